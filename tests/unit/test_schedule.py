"""The pure poll schedule: next poll time, failure count and disabling, with a seeded rng."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from aggregator.fetch import PollState, backoff_delay, next_poll_state
from aggregator.model import FetchOutcome, FetchResult

NOW = datetime(2026, 2, 14, 8, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)
URL = "https://example.org/feed.xml"
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def result(
    outcome: FetchOutcome, *, retry_after: datetime | None = None, error: str | None = None
) -> FetchResult:
    return FetchResult(
        source="wire",
        requested_url=URL,
        outcome=outcome,
        final_url=URL,
        retry_after=retry_after,
        error=error,
        error_type=None if error is None else "HTTPStatusError",
        fetched_at=NOW,
    )


def state(outcome_result: FetchResult, failures: int, seed: int = 7) -> PollState:
    return next_poll_state(
        outcome_result, interval=INTERVAL, failures=failures, now=NOW, rng=random.Random(seed)
    )


@pytest.mark.parametrize(
    ("outcome", "failures", "earliest", "latest", "failures_after"),
    [
        # success: back to the interval, ±10 %
        (FetchOutcome.OK, 0, 13.5 * MIN, 16.5 * MIN, 0),
        (FetchOutcome.OK, 5, 13.5 * MIN, 16.5 * MIN, 0),
        (FetchOutcome.NOT_MODIFIED, 3, 13.5 * MIN, 16.5 * MIN, 0),
        # failure n waits interval × 2**n, ±10 %
        (FetchOutcome.FAILED, 0, 27 * MIN, 33 * MIN, 1),
        (FetchOutcome.FAILED, 1, 54 * MIN, 66 * MIN, 2),
        (FetchOutcome.FAILED, 3, 216 * MIN, 264 * MIN, 4),
        # then capped at 6 h, jitter only downwards there
        (FetchOutcome.FAILED, 5, 5.4 * HOUR, 6 * HOUR, 6),
        (FetchOutcome.FAILED, 10_000, 5.4 * HOUR, 6 * HOUR, 10_001),
        # throttled without Retry-After backs off like a failure
        (FetchOutcome.THROTTLED, 0, 27 * MIN, 33 * MIN, 1),
    ],
)
def test_next_poll_window(
    outcome: FetchOutcome,
    failures: int,
    earliest: timedelta,
    latest: timedelta,
    failures_after: int,
) -> None:
    error = None if outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED) else "it broke"
    for seed in range(50):
        polled = state(result(outcome, error=error), failures, seed)
        assert NOW + earliest <= polled.next_poll <= NOW + latest, seed
        assert polled.failures == failures_after
        assert polled.disabled_reason is None
        assert polled.last_error == error


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        (NOW + 3 * HOUR, NOW + 3 * HOUR),  # later than the backoff: honoured exactly
        (NOW + 24 * HOUR, NOW + 24 * HOUR),  # the cap itself
        (NOW + timedelta(days=400), NOW + 24 * HOUR),  # absurd: capped at a day
    ],
)
def test_throttled_honours_retry_after(retry_after: datetime, expected: datetime) -> None:
    polled = state(result(FetchOutcome.THROTTLED, retry_after=retry_after, error="slow down"), 0)
    assert polled.next_poll == expected
    assert polled.failures == 1
    assert polled.last_error == "slow down"


def test_throttled_retry_after_sooner_than_backoff_uses_backoff() -> None:
    throttled = result(FetchOutcome.THROTTLED, retry_after=NOW + MIN, error="slow down")
    polled = state(throttled, 2)
    assert NOW + 108 * MIN <= polled.next_poll <= NOW + 132 * MIN


def test_gone_disables_with_the_reason() -> None:
    polled = state(result(FetchOutcome.GONE, error="gone for good"), 0)
    assert polled.disabled_reason == f"410 Gone from {URL} at 2026-02-14 08:00:00 UTC"
    assert polled.last_error == "gone for good"
    assert polled.failures == 1


def test_failure_without_message_still_records_why() -> None:
    bare = FetchResult(source="wire", requested_url=URL, outcome=FetchOutcome.FAILED)
    assert state(bare, 0).last_error == "fetch failed"


def test_same_seed_same_schedule_and_jitter_spreads_sources() -> None:
    failed = result(FetchOutcome.FAILED, error="boom")
    assert state(failed, 1, seed=3) == state(failed, 1, seed=3)
    times = {state(result(FetchOutcome.OK), 0, seed).next_poll for seed in range(20)}
    assert len(times) == 20


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, INTERVAL), (1, 2 * INTERVAL), (4, 16 * INTERVAL), (5, 6 * HOUR), (10**6, 6 * HOUR)],
)
def test_backoff_delay(failures: int, expected: timedelta) -> None:
    assert backoff_delay(INTERVAL, failures, 6 * HOUR) == expected


def test_custom_backoff_max() -> None:
    polled = next_poll_state(
        result(FetchOutcome.FAILED, error="x"),
        interval=INTERVAL,
        failures=8,
        now=NOW,
        rng=random.Random(1),
        backoff_max=HOUR,
    )
    assert NOW + 54 * MIN <= polled.next_poll <= NOW + HOUR
