"""Digest periods: calendar days (or spans of days) in a subscription's time zone, in UTC.

A day is ``[local midnight, next local midnight)`` converted to UTC, so it lasts 23 or 25 hours
across a DST change, and starts at the first instant that exists when midnight itself is skipped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aggregator.digest.model import Period
from aggregator.errors import ConfigError


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; an unknown name is a :class:`ConfigError`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/London)", key="timezone"
        ) from exc


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    # fold=0 on a skipped midnight resolves with the offset before the jump, which lands on the
    # first instant of the day that exists (e.g. 01:00 local when clocks go 00:00 -> 01:00)
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def day_period(day: date, timezone: str) -> Period:
    """The calendar day ``day`` in ``timezone`` as a half-open UTC interval."""
    tz = zone(timezone)
    return Period(
        start=_local_midnight(day, tz),
        end=_local_midnight(day + timedelta(days=1), tz),
        label=day.isoformat(),
    )


def previous_day(now: datetime, timezone: str) -> Period:
    """The calendar day before the one ``now`` falls on, in ``timezone``. ``now`` must be aware."""
    if now.tzinfo is None:
        raise ValueError("previous_day needs an aware datetime (use aggregator.clock.now())")
    today = now.astimezone(zone(timezone)).date()
    return day_period(today - timedelta(days=1), timezone)


def span_period(since: date | datetime, until: date | datetime, timezone: str) -> Period:
    """The period from ``since`` to ``until`` (``--since/--until``).

    A date means a whole local day: ``since`` from its midnight, ``until`` up to the end of that
    day (inclusive, as a reader means "until the 24th"). An aware datetime is taken as the exact
    instant (``until`` exclusive); a naive one is read in ``timezone``.
    """
    tz = zone(timezone)
    start = _instant(since, tz, end_of_day=False)
    end = _instant(until, tz, end_of_day=True)
    if end <= start:
        raise ValueError(f"empty period: --until ({until}) is not after --since ({since})")
    return Period(start=start, end=end, label=f"{_label(since)} – {_label(until)}")


def _instant(value: date | datetime, tz: ZoneInfo, *, end_of_day: bool) -> datetime:
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return aware.astimezone(UTC)
    return _local_midnight(value + timedelta(days=1) if end_of_day else value, tz)


def _label(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()
