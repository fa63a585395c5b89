"""The digest schedule: cron times in the subscription's zone, catch-up once, retries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from aggregator.config import SubscriptionConfig
from aggregator.daemon import DigestSchedule
from aggregator.daemon.schedule import retry_after_outcome


def subscription(send_at: time, zone: str) -> SubscriptionConfig:
    return SubscriptionConfig(
        name="daily", recipients=["analyst@example.org"], send_at=send_at, timezone=zone
    )


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("send_at", "zone", "day", "expected_utc"),
    [
        (time(7, 0), "UTC", (2026, 11, 25), utc(2026, 11, 25, 7)),
        (time(7, 0), "Europe/London", (2026, 1, 15), utc(2026, 1, 15, 7)),  # GMT
        (time(7, 0), "Europe/London", (2026, 7, 15), utc(2026, 7, 15, 6)),  # BST
        (time(7, 0), "Europe/London", (2026, 3, 29), utc(2026, 3, 29, 6)),  # the change day
        (time(7, 30), "Asia/Tbilisi", (2026, 6, 1), utc(2026, 6, 1, 3, 30)),
        (time(23, 0), "America/New_York", (2026, 11, 24), utc(2026, 11, 25, 4)),
    ],
)
def test_fire_time_is_send_at_in_the_subscription_zone(
    send_at: time, zone: str, day: tuple[int, int, int], expected_utc: datetime
) -> None:
    schedule = DigestSchedule(subscription(send_at, zone))
    start = utc(*day) - timedelta(hours=12)
    fires = schedule.fires_between(start, start + timedelta(hours=48))
    assert expected_utc in [f.astimezone(UTC) for f in fires]


def test_a_send_time_skipped_by_the_clock_change_still_fires_once_that_day() -> None:
    # 01:30 does not exist in London on 2026-03-29 (01:00 -> 02:00)
    schedule = DigestSchedule(subscription(time(1, 30), "Europe/London"))
    fires = schedule.fires_between(utc(2026, 3, 28, 12), utc(2026, 3, 30, 12))
    days = [f.astimezone(UTC).date().isoformat() for f in fires]
    assert days.count("2026-03-29") <= 1
    assert "2026-03-30" in days


def test_due_fires_once_at_the_time_and_never_again_for_it() -> None:
    schedule = DigestSchedule(subscription(time(7, 0), "UTC"), catch_up=False)
    assert schedule.due(utc(2026, 11, 25, 6, 59, 58)) is None
    assert schedule.due(utc(2026, 11, 25, 6, 59, 59)) is None
    assert schedule.due(utc(2026, 11, 25, 7, 0, 0)) == utc(2026, 11, 25, 7)
    assert schedule.due(utc(2026, 11, 25, 7, 0, 1)) is None
    assert schedule.due(utc(2026, 11, 26, 6, 0)) is None


def test_missed_runs_coalesce_into_the_latest_one() -> None:
    schedule = DigestSchedule(subscription(time(7, 0), "UTC"), catch_up=False)
    assert schedule.due(utc(2026, 11, 20, 8)) is None
    # the process was stalled for five days: one digest, the latest
    assert schedule.due(utc(2026, 11, 25, 9)) == utc(2026, 11, 25, 7)
    assert schedule.due(utc(2026, 11, 25, 9, 0, 1)) is None


@pytest.mark.parametrize(
    ("started", "expected"),
    [
        (utc(2026, 11, 25, 9), utc(2026, 11, 25, 7)),  # down at 07:00 today
        (utc(2026, 11, 25, 6), utc(2026, 11, 24, 7)),  # before today's time: yesterday's
    ],
)
def test_start_up_catches_up_the_latest_missed_digest_once(
    started: datetime, expected: datetime
) -> None:
    schedule = DigestSchedule(subscription(time(7, 0), "UTC"))
    assert schedule.due(started) == expected
    assert schedule.due(started + timedelta(seconds=1)) is None


def test_start_up_without_catch_up_waits_for_the_next_time() -> None:
    schedule = DigestSchedule(subscription(time(7, 0), "UTC"), catch_up=False)
    assert schedule.due(utc(2026, 11, 25, 9)) is None


def test_a_failed_delivery_is_retried_then_superseded_by_the_next_period() -> None:
    schedule = DigestSchedule(subscription(time(7, 0), "UTC"), catch_up=False)
    schedule.due(utc(2026, 11, 25, 6))
    fire = schedule.due(utc(2026, 11, 25, 7))
    assert fire is not None
    schedule.failed(fire, retry_at=utc(2026, 11, 25, 7, 5))
    assert schedule.due(utc(2026, 11, 25, 7, 4)) is None
    assert schedule.due(utc(2026, 11, 25, 7, 5)) == fire
    assert schedule.due(utc(2026, 11, 25, 7, 10)) is None
    schedule.failed(fire, retry_at=utc(2026, 11, 26, 8))
    assert schedule.due(utc(2026, 11, 26, 7)) == utc(2026, 11, 26, 7)  # newer period wins
    assert schedule.due(utc(2026, 11, 26, 9)) is None


@pytest.mark.parametrize(
    ("zone", "fire", "label"),
    [
        ("UTC", utc(2026, 11, 25, 7), "2026-11-24"),
        ("Asia/Tbilisi", utc(2026, 11, 24, 21), "2026-11-24"),  # 01:00 on the 25th there
        ("America/New_York", utc(2026, 11, 25, 4), "2026-11-23"),  # 23:00 on the 24th there
    ],
)
def test_a_fire_delivers_the_previous_local_day(zone: str, fire: datetime, label: str) -> None:
    schedule = DigestSchedule(subscription(time(7, 0), zone))
    assert schedule.period(fire).label == label


@pytest.mark.parametrize(
    ("status", "retried"),
    [
        ("in-flight", True),  # another owner's live claim: wait it out, then resume
        ("sent", False),
        ("already-sent", False),
        ("uncertain", False),  # may have been delivered: never resent automatically
        ("rendered", False),
        (None, False),  # an injected delivery that reports nothing
    ],
)
def test_only_a_digest_in_flight_elsewhere_is_retried(status: str | None, retried: bool) -> None:
    now = utc(2026, 11, 25, 7)
    wait = timedelta(minutes=16)
    expected = now + wait if retried else None
    assert retry_after_outcome(status, now=now, in_flight_wait=wait) == expected
