"""Actors: who said what, for the web archive's actor pages and its actor index.

:class:`ActorsMixin` reads the canonical statements by their actor's slug
(``aggregator.store.slugs.actor_slug``), on the partial index ``ix_statements_actor_time``
(actor_slug, article_time, id) WHERE canonical_id IS NULL. Pages are keyset-paginated on
(article time desc, id desc): a page's cursor names the last row's sort key, and the next page
starts strictly after it, so a row is never shown twice nor skipped while rows are added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.sql import func

from aggregator.store.base import StoreBase
from aggregator.store.cursors import read_time_cursor, time_cursor
from aggregator.store.queries import page_size, primary_link
from aggregator.store.rows import from_row
from aggregator.store.schema import articles, sources, statements
from aggregator.store.slugs import actor_slug
from aggregator.store.storable import storable_text
from aggregator.store.types import ActorPage, ActorStatement

#: the roles an actor page names
MAX_ROLES = 5


class ActorsMixin(StoreBase):
    """Actors' statements and the actor index (part of :class:`~aggregator.store.Store`)."""

    def actor_statements(
        self,
        slug: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> ActorPage:
        """The canonical statements whose actor's slug (``aggregator.store.slugs.actor_slug``) is
        ``slug``, newest first by their article's time (published, else first seen), within
        ``[start, end)`` when given; with the actor's most frequent spelling, roles and sides
        over all its statements (``actor`` None: nobody has this slug).

        Two queries: the actor's spellings, roles and sides (all its statements) with the
        count in the period; then the page, an index range read backwards whose rows alone are
        joined to their articles. ``after`` is the ``next_cursor`` of the page before (a string
        no page made: ValueError).
        """
        size = page_size(limit)
        params: dict[str, Any] = {
            "slug": storable_text(slug),  # from a URL: no NUL reaches the driver
            "start": start,
            "end": end,
            "wanted": size + 1,
        }
        if after is not None:
            params["after_time"], key = read_time_cursor(after)
            if not key.isdigit():
                raise ValueError("not a page cursor")
            params["after_id"] = int(key)
        queries = _actor_queries(start is not None, end is not None, after is not None)
        with self._read(f"reading the statements of {params['slug']}") as conn:
            actor, roles, sides, total = _actor_profile(conn.execute(queries.profile, params))
            rows = list(conn.execute(queries.page, params).mappings())
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

    def actors(self, prefix: str = "", limit: int = 50) -> list[tuple[str, str, int]]:
        """(slug, most frequent spelling, canonical statements) of the actors whose slug starts
        with ``prefix``'s slug (all when empty), most statements first."""
        wanted = actor_slug(prefix) if prefix else ""
        if prefix and not wanted:
            return []  # nothing of the prefix can be in a slug
        where: list[Any] = [
            statements.c.actor_slug.is_not(None),
            statements.c.canonical_id.is_(None),
        ]
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
        with self._read("reading actors") as conn:
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


@dataclass(frozen=True, slots=True)
class _ActorQueries:
    profile: Any
    page: Any


@cache
def _actor_queries(start: bool, end: bool, after: bool) -> _ActorQueries:
    """:meth:`ActorsMixin.actor_statements`'s two queries, built once a set of bounds (as
    ``Store.event``'s): the parameters ``slug``, ``start``, ``end``, ``after_time`` and
    ``after_id`` (the cursor's key) and ``wanted`` (the page's size and one)."""
    time = statements.c.article_time
    of_actor = (statements.c.actor_slug == bindparam("slug"), statements.c.canonical_id.is_(None))
    in_period = [
        *((time >= bindparam("start"),) if start else ()),
        *((time < bindparam("end"),) if end else ()),
    ]
    query = select(statements.c.id).where(*of_actor, *in_period)
    if after:
        after_time: Any = bindparam("after_time")
        query = query.where(
            or_(
                time < after_time,
                and_(time == after_time, statements.c.id < bindparam("after_id")),
            )
        )
    page_ids = (
        query.order_by(time.desc(), statements.c.id.desc()).limit(bindparam("wanted")).subquery()
    )
    counted = case((and_(*in_period), 1), else_=0) if in_period else 1
    return _ActorQueries(
        profile=select(
            statements.c.actor,
            statements.c.role,
            statements.c.side,
            func.count(),
            func.sum(counted),
        )
        .where(*of_actor)
        .group_by(statements.c.actor, statements.c.role, statements.c.side),
        page=select(
            statements,
            articles.c.event_id,
            articles.c.title.label("article_title"),
            articles.c.language,
            primary_link().label("url"),
            sources.c.publisher,
        )
        .join(page_ids, page_ids.c.id == statements.c.id)
        .join(articles, articles.c.id == statements.c.article_id)
        .join(sources, sources.c.id == articles.c.primary_source_id)
        .order_by(time.desc(), statements.c.id.desc()),
    )


def _actor_profile(
    rows: Iterable[Any],
) -> tuple[str | None, tuple[str, ...], tuple[str, ...], int]:
    """The actor's most frequent spelling, roles and sides (over all its statements), and how
    many of its statements fall in the period, from the rows of the ``profile`` query."""
    spellings: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    sides: Counter[str] = Counter()
    total = 0
    for actor, role, side, count, in_range in rows:
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
    return from_row(
        ActorStatement, row, commentary=bool(row["commentary"]), published=row["article_time"]
    )
