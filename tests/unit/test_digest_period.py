"""Digest periods across time zones and DST changes."""

# ruff: noqa: E501  (one table row per line reads best)

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from aggregator.digest import day_period, previous_day, span_period
from aggregator.errors import ConfigError


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "timezone", "start", "end", "label"),
    [
        # plain day in UTC
        (utc(2026, 11, 25, 7, 0), "UTC", utc(2026, 11, 24), utc(2026, 11, 25), "2026-11-24"),
        # London in winter is UTC+0
        (utc(2026, 11, 25, 7), "Europe/London", utc(2026, 11, 24), utc(2026, 11, 25), "2026-11-24"),
        # London in summer: local midnight is 23:00 UTC the day before
        (utc(2008, 8, 10, 6), "Europe/London", utc(2008, 8, 8, 23), utc(2008, 8, 9, 23), "2008-08-09"),
        # 23:30 UTC on the 24th is already the 25th in Tbilisi (UTC+4): yesterday is the 24th
        (utc(2026, 11, 24, 23, 30), "Asia/Tbilisi", utc(2026, 11, 23, 20), utc(2026, 11, 24, 20), "2026-11-24"),
        # 03:00 UTC on the 25th is still the 24th in New York: yesterday is the 23rd
        (utc(2026, 11, 25, 3), "America/New_York", utc(2026, 11, 23, 5), utc(2026, 11, 24, 5), "2026-11-23"),
        # spring forward in London (29 March 2026): a 23-hour day
        (utc(2026, 3, 30, 6), "Europe/London", utc(2026, 3, 29), utc(2026, 3, 29, 23), "2026-03-29"),
        # fall back in London (25 October 2026): a 25-hour day
        (utc(2026, 10, 26, 6), "Europe/London", utc(2026, 10, 24, 23), utc(2026, 10, 26), "2026-10-25"),
        # fall back in New York (1 November 2026)
        (utc(2026, 11, 2, 12), "America/New_York", utc(2026, 11, 1, 4), utc(2026, 11, 2, 5), "2026-11-01"),
        # half-hour zone
        (utc(2026, 11, 25, 12), "Asia/Kolkata", utc(2026, 11, 23, 18, 30), utc(2026, 11, 24, 18, 30), "2026-11-24"),
        # midnight itself skipped (Sao Paulo, 4 Nov 2018 00:00 -> 01:00): the day starts at 01:00
        (utc(2018, 11, 5, 12), "America/Sao_Paulo", utc(2018, 11, 4, 3), utc(2018, 11, 5, 2), "2018-11-04"),
        # a non-UTC aware "now" is converted first
        (
            datetime(2026, 11, 25, 1, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Tokyo")),
            "UTC", utc(2026, 11, 23), utc(2026, 11, 24), "2026-11-23",
        ),
    ],
)  # fmt: skip
def test_previous_day(
    now: datetime, timezone: str, start: datetime, end: datetime, label: str
) -> None:
    period = previous_day(now, timezone)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.start.tzinfo is not None
    assert period.start.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("day", "timezone", "hours"),
    [
        (date(2026, 3, 29), "Europe/London", 23),
        (date(2026, 10, 25), "Europe/London", 25),
        (date(2026, 3, 8), "America/New_York", 23),
        (date(2026, 6, 1), "Europe/Berlin", 24),
        (date(2026, 4, 5), "Australia/Sydney", 25),  # southern hemisphere: DST ends in April
        (date(2026, 10, 4), "Australia/Sydney", 23),
        (date(2026, 10, 4), "Asia/Tbilisi", 24),  # no DST
    ],
)
def test_day_length_across_dst(day: date, timezone: str, hours: int) -> None:
    period = day_period(day, timezone)
    assert period.end - period.start == timedelta(hours=hours)


def test_consecutive_days_tile_without_gap_or_overlap() -> None:
    day = date(2026, 3, 27)
    periods = [day_period(day + timedelta(days=i), "Europe/London") for i in range(5)]
    for earlier, later in itertools.pairwise(periods):
        assert earlier.end == later.start


@pytest.mark.parametrize(
    ("since", "until", "start", "end", "label"),
    [
        (date(2026, 11, 20), date(2026, 11, 24), utc(2026, 11, 20), utc(2026, 11, 25),
         "2026-11-20 – 2026-11-24"),
        (date(2026, 11, 24), date(2026, 11, 24), utc(2026, 11, 24), utc(2026, 11, 25),
         "2026-11-24 – 2026-11-24"),
        (utc(2026, 11, 24, 6), utc(2026, 11, 24, 18), utc(2026, 11, 24, 6), utc(2026, 11, 24, 18),
         "2026-11-24T06:00+00:00 – 2026-11-24T18:00+00:00"),
        # naive datetimes are read in the subscription's zone (London is UTC+0 in November)
        (datetime(2026, 11, 24, 6), datetime(2026, 11, 24, 9), utc(2026, 11, 24, 6),
         utc(2026, 11, 24, 9), "2026-11-24T06:00 – 2026-11-24T09:00"),
    ],
)  # fmt: skip
def test_span_period(since: date, until: date, start: datetime, end: datetime, label: str) -> None:
    period = span_period(since, until, "Europe/London")
    assert (period.start, period.end, period.label) == (start, end, label)


def test_span_period_refuses_an_empty_span() -> None:
    with pytest.raises(ValueError, match="empty period"):
        span_period(date(2026, 11, 24), date(2026, 11, 23), "UTC")


def test_unknown_time_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        day_period(date(2026, 11, 24), "Mars/Olympus")


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        previous_day(datetime(2026, 11, 25, 7), "UTC")
