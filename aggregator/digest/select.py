"""Which events a subscription sees for a period, and in what order.

Weight of an event (higher first)::

    weight = 3.0 * sides            # distinct parties heard (party statements with a side)
           + 2.0 * log2(1 + sources) # distinct sources that carried it (articles and statements)
           + 1.5 * official_voices  # distinct sides heard through an official source
           + 2.0 * recency          # 0.5 ** (hours from last_seen_at to period end / 12)
           + 1.0 * relevance        # international affairs (aggregator.digest.relevance)

Sides weigh most because the digest exists to set parties side by side; sources count
logarithmically so a story syndicated to forty outlets does not drown one that three carried;
an official voice (a ministry's own page, the UN's) is the primary record; recency only breaks
near-ties between otherwise similar events. Equal weights fall back to the most recent
``last_seen_at``, then the title and id, so the order is total and stable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aggregator.digest.model import DigestOptions, Period
from aggregator.digest.relevance import relevance as relevance_of
from aggregator.model import Event

SIDE_WEIGHT = 3.0
SOURCE_WEIGHT = 2.0
OFFICIAL_WEIGHT = 1.5
RECENCY_WEIGHT = 2.0
RECENCY_HALF_LIFE_HOURS = 12.0
RELEVANCE_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class Ranked:
    """An event that passed the filters, with its weight and the figures it came from."""

    event: Event
    weight: float
    sides: int
    sources: int
    relevance: float = 0.0


def event_sources(event: Event) -> set[str]:
    """Distinct source names that carried the event: its articles and its statements' reports."""
    names = {report.source for report in event.articles}
    for statement in event.statements:
        names.update(report.source for report in statement.reports)
    return names


def event_sides(event: Event) -> set[str]:
    """Distinct parties' sides among the event's statements (commentators have none)."""
    return {s.side for s in event.statements if s.side and not s.commentary}


def official_voices(event: Event) -> set[str]:
    """Sides with at least one statement carried by an official source."""
    return {
        s.side
        for s in event.statements
        if s.side and not s.commentary and any(report.kind == "official" for report in s.reports)
    }


def recency(event: Event, period: Period) -> float:
    """1.0 for an event still active at the period's end, halving every 12 hours before it."""
    hours = (period.end - event.last_seen_at).total_seconds() / 3600.0
    return float(0.5 ** (max(hours, 0.0) / RECENCY_HALF_LIFE_HOURS))


def event_weight(event: Event, period: Period, relevance: float | None = None) -> float:
    """The ranking weight (see the module docstring for the formula and why)."""
    if relevance is None:
        relevance = relevance_of(event)
    return (
        SIDE_WEIGHT * len(event_sides(event))
        + SOURCE_WEIGHT * math.log2(1 + len(event_sources(event)))
        + OFFICIAL_WEIGHT * len(official_voices(event))
        + RECENCY_WEIGHT * recency(event, period)
        + RELEVANCE_WEIGHT * relevance
    )


def in_period(event: Event, period: Period) -> bool:
    """True when the event was active during the period (its span overlaps ``[start, end)``)."""
    return event.last_seen_at >= period.start and event.first_seen_at < period.end


class EventFilter:
    """A subscription's filters, compiled once. Every non-empty filter must match.

    - keywords: any keyword occurs as whole words (case-insensitive) in the event title, an
      article title or a statement;
    - sides: any statement speaks for one of these sides;
    - actors: any statement's canonical actor or speaker as written is one of these names;
    - min_sources: at least this many distinct sources carried the event.
    """

    def __init__(self, options: DigestOptions) -> None:
        self._keywords = _keyword_pattern(options.keywords)
        self._sides = {side.casefold() for side in options.sides}
        self._actors = {actor.casefold() for actor in options.actors}
        self._min_sources = options.min_sources

    def matches(self, event: Event, sources: int) -> bool:
        """True when the event passes every filter; ``sources`` is its distinct source count."""
        if sources < self._min_sources:
            return False
        if self._sides and not any(
            s.side and s.side.casefold() in self._sides for s in event.statements
        ):
            return False
        if self._actors and not any(
            (s.actor and s.actor.casefold() in self._actors)
            or (s.speaker and s.speaker.casefold() in self._actors)
            for s in event.statements
        ):
            return False
        return self._keywords is None or any(self._keywords.search(text) for text in _texts(event))


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    words = [k.strip() for k in keywords if k.strip()]
    if not words:
        return None
    # \b fails next to a non-word character ("U.S."), so bound by "not a word character" instead
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _texts(event: Event) -> Iterable[str]:
    yield event.title
    for article in event.articles:
        yield article.title
    for statement in event.statements:
        yield statement.text


def rank_events(events: Iterable[Event], options: DigestOptions, period: Period) -> list[Ranked]:
    """Events active in ``period`` that pass the subscription's filters, heaviest first."""
    event_filter = EventFilter(options)
    ranked: list[Ranked] = []
    for event in events:
        if not in_period(event, period):
            continue
        sources = len(event_sources(event))
        if not event_filter.matches(event, sources):
            continue
        score = relevance_of(event)
        weight = event_weight(event, period, score)
        ranked.append(Ranked(event, weight, len(event_sides(event)), sources, score))
    ranked.sort(
        key=lambda r: (-r.weight, -r.event.last_seen_at.timestamp(), r.event.title, r.event.id)
    )
    return ranked
