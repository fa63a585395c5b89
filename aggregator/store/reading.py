"""The web archive's reads: archive days, an actor's statements, the actor index, the counts
``/metrics`` shows. (One event: ``period.event``; search: ``search.py``.)

Every function takes a connection inside a transaction opened by :class:`~aggregator.store.Store`.
Pages are keyset-paginated: a page's cursor names the last row's sort key, and the next page
starts strictly after it, so a row is never shown twice nor skipped while rows are added::

    events_between      live events active in [start, end), by (last_seen_at desc, id)
    actor_statements    canonical statements with actor_slug = slug, by (article time desc, id desc)
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, cast

from sqlalchemy import and_, case, or_, select
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import func

from aggregator.model import StatementKind
from aggregator.store.cursors import read_time_cursor, time_cursor
from aggregator.store.schema import (
    article_sources,
    articles,
    digests,
    events,
    fetch_log,
    sources,
    statements,
)
from aggregator.store.slugs import actor_slug
from aggregator.store.storable import storable_text
from aggregator.store.types import ActorPage, ActorStatement, EventSummary, StoreCounts

#: the most rows one page may ask for (a larger limit is lowered to it)
MAX_PAGE = 200
#: the roles an actor page names
MAX_ROLES = 5
#: fetch outcomes that mean "the source answered"
SUCCESSFUL = ("ok", "not_modified")


def page_size(limit: int, maximum: int = MAX_PAGE) -> int:
    """``limit`` within 1 .. ``maximum``; a limit below 1 is a ValueError."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return min(limit, maximum)


def events_between(
    conn: Connection, start: datetime, end: datetime, *, after: str | None, limit: int
) -> list[EventSummary]:
    """Live events active in ``[start, end)``, most recently active first; see
    :meth:`Store.events_between`."""
    if end <= start:
        raise ValueError(f"empty period: end {end.isoformat()} is not after {start.isoformat()}")
    query = select(events).where(
        events.c.merged_into.is_(None),
        events.c.first_seen_at < end,
        events.c.last_seen_at >= start,
    )
    if after is not None:
        last_seen, event_id = read_time_cursor(after)
        query = query.where(
            or_(
                events.c.last_seen_at < last_seen,
                and_(events.c.last_seen_at == last_seen, events.c.id > event_id),
            )
        )
    rows = conn.execute(
        query.order_by(events.c.last_seen_at.desc(), events.c.id).limit(page_size(limit))
    ).mappings()
    return [
        EventSummary(
            id=row["id"],
            title=row["title"],
            first_seen_at=row["first_seen_at"],
            last_seen_at=row["last_seen_at"],
            article_count=row["article_count"],
            source_count=row["source_count"],
            statement_count=row["statement_count"],
            side_count=row["side_count"],
        )
        for row in rows
    ]


def primary_link() -> Any:
    """SQL for an article's link as its primary source carries it (else its canonical URL)."""
    link = (
        select(article_sources.c.link)
        .where(
            article_sources.c.article_id == articles.c.id,
            article_sources.c.source_id == articles.c.primary_source_id,
        )
        .order_by(article_sources.c.first_seen_at)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(link, articles.c.canonical_url)


def actor_statements(
    conn: Connection,
    slug: str,
    *,
    start: datetime | None,
    end: datetime | None,
    after: str | None,
    limit: int,
) -> ActorPage:
    """One page of an actor's canonical statements; see :meth:`Store.actor_statements`.

    Two queries, both on the partial index ``ix_statements_actor_time`` (actor_slug,
    article_time, id) WHERE canonical_id IS NULL: the actor's spellings, roles and sides (all
    its statements) with the count in the period; then the page, an index range read backwards
    whose rows alone are joined to their articles.
    """
    size = page_size(limit)
    slug = storable_text(slug)  # from a URL: no NUL reaches the driver
    time = statements.c.article_time
    of_actor = (statements.c.actor_slug == slug, statements.c.canonical_id.is_(None))
    in_period = [
        *(() if start is None else (time >= start,)),
        *(() if end is None else (time < end,)),
    ]
    actor, roles, sides, total = _actor_profile(conn, of_actor, in_period)
    query = select(statements.c.id).where(*of_actor, *in_period)
    if after is not None:
        after_time, key = read_time_cursor(after)
        if not key.isdigit():
            raise ValueError("not a page cursor")
        query = query.where(
            or_(time < after_time, and_(time == after_time, statements.c.id < int(key)))
        )
    page_ids = query.order_by(time.desc(), statements.c.id.desc()).limit(size + 1).subquery()
    rows = list(
        conn.execute(
            select(
                statements,
                articles.c.event_id,
                articles.c.title.label("article_title"),
                primary_link().label("url"),
                sources.c.publisher,
            )
            .join(page_ids, page_ids.c.id == statements.c.id)
            .join(articles, articles.c.id == statements.c.article_id)
            .join(sources, sources.c.id == articles.c.primary_source_id)
            .order_by(time.desc(), statements.c.id.desc())
        ).mappings()
    )
    page = rows[:size]
    more = len(rows) > size
    return ActorPage(
        actor=actor,
        roles=roles,
        sides=sides,
        statements=tuple(_actor_statement(row) for row in page),
        next_cursor=time_cursor(page[-1]["article_time"], page[-1]["id"]) if more else None,
        total=total,
    )


def _actor_profile(
    conn: Connection, of_actor: tuple[Any, ...], in_period: list[Any]
) -> tuple[str | None, tuple[str, ...], tuple[str, ...], int]:
    """The actor's most frequent spelling, roles and sides (over all its statements), and how
    many of its statements fall in the period."""
    counted = case((and_(*in_period), 1), else_=0) if in_period else 1
    spellings: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    sides: Counter[str] = Counter()
    total = 0
    for actor, role, side, count, in_range in conn.execute(
        select(
            statements.c.actor,
            statements.c.role,
            statements.c.side,
            func.count(),
            func.sum(counted),
        )
        .where(*of_actor)
        .group_by(statements.c.actor, statements.c.role, statements.c.side)
    ):
        total += int(in_range or 0)
        for counter, value in ((spellings, actor), (roles, role), (sides, side)):
            if value:
                counter[value] += count
    return (
        _by_frequency(spellings)[0] if spellings else None,
        _by_frequency(roles)[:MAX_ROLES],
        _by_frequency(sides),
        total,
    )


def _by_frequency(counter: Counter[str]) -> tuple[str, ...]:
    """Most frequent first; ties alphabetical, so a page reads the same every time."""
    return tuple(value for value, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _actor_statement(row: RowMapping) -> ActorStatement:
    return ActorStatement(
        id=row["id"],
        text=row["text"],
        kind=cast(StatementKind, row["kind"]),
        speaker=row["speaker"],
        actor=row["actor"],
        role=row["role"],
        side=row["side"],
        commentary=bool(row["commentary"]),
        event_id=row["event_id"],
        article_id=row["article_id"],
        article_title=row["article_title"],
        url=row["url"],
        publisher=row["publisher"],
        published=row["article_time"],
    )


def actors(conn: Connection, prefix: str, limit: int) -> list[tuple[str, str, int]]:
    """(slug, most frequent spelling, canonical statements) of the actors whose slug starts
    with the slug of ``prefix``, most statements first; see :meth:`Store.actors`."""
    wanted = actor_slug(prefix) if prefix else ""
    if prefix and not wanted:
        return []  # nothing of the prefix can be in a slug
    where: list[Any] = [statements.c.actor_slug.is_not(None), statements.c.canonical_id.is_(None)]
    if wanted:
        where.append(statements.c.actor_slug.startswith(wanted, autoescape=True))
    count = func.count().label("n")
    top = (
        select(statements.c.actor_slug, count)
        .where(*where)
        .group_by(statements.c.actor_slug)
        .order_by(count.desc(), statements.c.actor_slug)
        .limit(page_size(limit))
    )
    counts = {slug: int(n) for slug, n in conn.execute(top)}
    if not counts:
        return []
    spellings: dict[str, Counter[str]] = {slug: Counter() for slug in counts}
    for slug, actor, n in conn.execute(
        select(statements.c.actor_slug, statements.c.actor, func.count())
        .where(*where, statements.c.actor_slug.in_(list(counts)))
        .group_by(statements.c.actor_slug, statements.c.actor)
    ):
        spellings[slug][actor] += n
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(slug, _by_frequency(spellings[slug])[0], n) for slug, n in ordered]


def counts(conn: Connection) -> StoreCounts:
    """The counts ``/metrics`` shows, in two queries; see :meth:`Store.counts`."""
    fetches = {
        outcome: int(n)
        for outcome, n in conn.execute(
            select(fetch_log.c.outcome, func.count()).group_by(fetch_log.c.outcome)
        )
    }

    def count(table: Any, *where: Any) -> Any:
        return select(func.count()).select_from(table).where(*where).scalar_subquery()

    row = conn.execute(
        select(
            count(articles).label("articles"),
            count(statements).label("statements"),
            count(events, events.c.merged_into.is_(None)).label("events"),
            count(digests, digests.c.status == "sent").label("digests_sent"),
            select(func.max(fetch_log.c.started_at))
            .where(fetch_log.c.outcome.in_(SUCCESSFUL))
            .scalar_subquery()
            .label("last_successful_poll"),
        )
    ).one()
    return StoreCounts(
        fetches=fetches,
        articles=int(row.articles),
        statements=int(row.statements),
        events=int(row.events),
        digests_sent=int(row.digests_sent),
        last_successful_poll=row.last_successful_poll,
    )
