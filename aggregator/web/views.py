"""What the pages and the API show, read from the store and laid out by the digest stage.

    digest of a day  = delivery.digest_for_period(store, subscription's options, caps lifted)
    event            = digest.whole_event_view(store.event(id), caps lifted)
                       + timeline (articles a day) + related events (merged into it)
    latest day       = the subscription's newest digest in the ledger, else the day of the
                       most recently active event, else yesterday
    calendar         = days with a digest in the ledger + days an event was active (the last
                       CALENDAR_EVENT_DAYS, one query: Store.event_days)

"Caps lifted" is the one difference from the mail: every statement in its cell, every outlet,
every event in the main section; the layout (sides, commentary, others, order) is the mail's.
"""

from __future__ import annotations

import calendar as calendar_module
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from aggregator.config import SubscriptionConfig
from aggregator.digest import (
    Digest,
    DigestOptions,
    EventView,
    day_period,
    previous_day,
    whole_event_view,
)
from aggregator.model import Event
from aggregator.pipeline.deliver import digest_for_period, digest_options
from aggregator.web.params import parse_day
from aggregator.web.site import Archive

#: "every": larger than any day of any store
EVERY = 1_000_000
#: days the calendar reaches back for days with events
CALENDAR_EVENT_DAYS = 92
#: months the calendar shows, newest first
CALENDAR_MONTHS = 12


#: parties side by side on a web page: every party of nearly every event has its own column,
#: and at 1280 px eight columns are still 140 px wide; the rare ninth party goes under Others
#: with its side named, as in the mail
WEB_COLUMNS = 8


def lifted(options: DigestOptions) -> DigestOptions:
    """``options`` with every cap lifted: nothing is folded or cut, and up to ``WEB_COLUMNS``
    parties stand side by side (the mail's ``max_columns`` is for a 600 px message)."""
    return replace(
        options,
        max_columns=max(options.max_columns, WEB_COLUMNS),
        max_statements_per_cell=EVERY,
        max_outlets_shown=EVERY,
        max_events=EVERY,
        max_also=EVERY,
    )


def digest_of_day(
    archive: Archive, subscription: SubscriptionConfig, day: date, base_url: str
) -> Digest:
    """The whole digest of ``subscription`` for the local calendar day ``day``."""
    options = lifted(digest_options(subscription, base_url))
    period = day_period(day, subscription.timezone)
    return digest_for_period(archive.store, options, period, now=archive.clock())


def latest_day(archive: Archive, subscription: SubscriptionConfig) -> date:
    """The day of the subscription's latest digest (see the module docstring)."""
    for row in archive.store.digest_days(subscription.name, limit=20):
        day = parse_day(row.period_label)
        if day is not None:
            return day
    now = archive.clock()
    newest = archive.store.events_between(datetime(1970, 1, 1, tzinfo=UTC), now, limit=1)
    if newest:
        return newest[0].last_seen_at.astimezone(subscription.tzinfo).date()
    return date.fromisoformat(previous_day(now, subscription.timezone).label)


# ------------------------------------------------------------------------------------ events
@dataclass(frozen=True, slots=True)
class TimelineDay:
    """One day of an event's life: how many of its articles appeared that day (UTC)."""

    day: date
    articles: int


@dataclass(frozen=True, slots=True)
class RelatedEvent:
    """Another event the page links to, by its title (its id when it has none stored)."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class EventPage:
    """An event with every statement, its articles a day and the events merged into it."""

    view: EventView
    detail: Event
    timeline: tuple[TimelineDay, ...]
    merged_from: tuple[str, ...]
    #: the events merged into it, with their titles (empty unless read: :func:`related_events`)
    merged: tuple[RelatedEvent, ...] = ()


def event_page(detail: Event, base_url: str, titles: Mapping[str, str] | None = None) -> EventPage:
    """The event page of a live event (caps lifted, the digest's default layout); ``titles``
    names the related events (:func:`related_titles`)."""
    options = lifted(DigestOptions(subscription="event", timezone="UTC", base_url=base_url))
    view = whole_event_view(detail, options)
    named = titles or {}
    return EventPage(
        view=view,
        detail=detail,
        timeline=timeline(detail),
        merged_from=detail.merged_from,
        merged=tuple(RelatedEvent(e, named.get(e) or e) for e in detail.merged_from),
    )


def related_titles(archive: Archive, detail: Event) -> dict[str, str]:
    """The titles of the events ``detail`` links to, in one query (none when it links none)."""
    return archive.store.event_titles(detail.merged_from) if detail.merged_from else {}


def timeline(detail: Event) -> tuple[TimelineDay, ...]:
    """Articles a day (UTC) over the event's life; an undated article counts on its first day."""
    per_day: Counter[date] = Counter()
    for article in {(r.article_id, r.published) for r in detail.articles}:
        when = article[1] or detail.first_seen_at
        per_day[when.astimezone(UTC).date()] += 1
    return tuple(TimelineDay(day, count) for day, count in sorted(per_day.items()))


# ---------------------------------------------------------------------------------- calendar
@dataclass(frozen=True, slots=True)
class CalendarDay:
    """A day of the calendar: the subscriptions with a digest in the ledger, events or not."""

    day: date
    digests: tuple[str, ...]
    events: bool

    @property
    def linked(self) -> bool:
        return bool(self.digests) or self.events


@dataclass(frozen=True, slots=True)
class Month:
    """A month as weeks of seven days (Monday first); None pads the first and last week."""

    label: str
    weeks: tuple[tuple[CalendarDay | None, ...], ...]


def calendar(archive: Archive) -> tuple[Month, ...]:
    """The months with a digest or an event, newest first (at most CALENDAR_MONTHS)."""
    digests: dict[date, list[str]] = {}
    for row in archive.store.digest_days(limit=400):
        day = parse_day(row.period_label)
        if day is not None and row.subscription not in digests.get(day, []):
            digests.setdefault(day, []).append(row.subscription)
    today = archive.clock().astimezone(UTC).date()
    active = set(archive.store.event_days(today - timedelta(days=CALENDAR_EVENT_DAYS), today))
    months = sorted({(d.year, d.month) for d in [*digests, *active]}, reverse=True)
    return tuple(_month(year, month, digests, active) for year, month in months[:CALENDAR_MONTHS])


def _month(year: int, month: int, digests: dict[date, list[str]], active: set[date]) -> Month:
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return Month(
        label=date(year, month, 1).strftime("%B %Y"),
        weeks=tuple(
            tuple(
                CalendarDay(d, tuple(digests.get(d, ())), d in active) if d.month == month else None
                for d in week
            )
            for week in weeks
        ),
    )
