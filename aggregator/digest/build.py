"""build_digest: the pure digest stage — select and rank events, then lay each one out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aggregator.digest.contested import find_contested
from aggregator.digest.layout import build_columns, clean_text, order_sides
from aggregator.digest.model import Digest, DigestOptions, EventInput, EventView, Period
from aggregator.digest.select import rank_events


def build_digest(
    events: Sequence[EventInput],
    options: DigestOptions,
    period: Period,
    *,
    generated_at: datetime,
) -> Digest:
    """The digest of ``events`` for ``period``: filtered, ranked and laid out. No I/O.

    Events whose span does not overlap the period are left out; see
    :mod:`aggregator.digest.select` for the filters and the weight, and
    :mod:`aggregator.digest.layout` for the table.
    """
    views: list[EventView] = []
    for rank, ranked in enumerate(rank_events(events, options, period), start=1):
        event = ranked.event
        sides = order_sides(event.statements, options.sides)
        points = find_contested(event.statements, sides)
        contested = frozenset(claim.statement_id for p in points for claim in p.claims)
        views.append(
            EventView(
                rank=rank,
                id=event.id,
                title=clean_text(event.title) or "(untitled event)",
                first_seen=event.first_seen,
                last_seen=event.last_seen,
                weight=round(ranked.weight, 3),
                source_count=ranked.sources,
                article_count=len({(a.source, a.url, a.title) for a in event.articles}),
                statement_count=len(event.statements),
                side_count=ranked.sides,
                columns=build_columns(event.statements, options, contested, sides),
                contested=points,
            )
        )
    return Digest(
        subscription=options.subscription,
        timezone=options.timezone,
        period=period,
        generated_at=generated_at,
        events=tuple(views),
        considered=len(events),
    )
