"""Grouping: what the grouping stage decided (events, articles' events, copies, merges), and the
articles it reads back to resume.

:class:`GroupingMixin` owns the ``events`` rows' identity and counts and the articles' grouping
columns (``event_id``, ``near_duplicate_of``, ``grouped_at``). ``save_grouping`` runs in ONE
transaction::

    upsert the events (title, and first/last seen for a new one; merged_into cleared: the stage
                      says they live)
    old events of the articles about to move                     -> touched
    assignments      -> articles.event_id, grouped_at (an event absorbed by this step's merges
                        is replaced by its survivor first)
    near-duplicates  -> articles.near_duplicate_of, grouped_at; an unassigned copy joins the
                        event of its original
    merges           -> articles of an absorbed event move to the final survivor (chains
                        a->b, b->c resolve to c); absorbed.merged_into = survivor, and events
                        already merged into an absorbed one are re-pointed
    counts and span (first/last seen) of every touched event are recomputed from the rows
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, case, distinct, func, or_, select, update
from sqlalchemy.engine import Connection

from aggregator.store.base import StoreBase
from aggregator.store.queries import article_page, article_time, chunks, dialect_insert
from aggregator.store.rows import from_row
from aggregator.store.schema import (
    UTCDateTime,
    article_sources,
    articles,
    events,
    sources,
    statements,
)
from aggregator.store.types import GroupedArticle, GroupingMark, StoredArticle

if TYPE_CHECKING:
    from aggregator.group.types import EventUpdate, GroupingStep


class GroupingMixin(StoreBase):
    """Events as grouping makes them, and the articles grouping reads (part of
    :class:`~aggregator.store.Store`)."""

    def save_grouping(self, step: GroupingStep, *, now: datetime) -> None:
        """Store one grouping step (:meth:`aggregator.group.Grouper.flush`) in ONE transaction.
        Idempotent. Articles are named by their ids as text (the grouping stage's document ids).

        ``events`` are upserted by id (title; first and last seen only for a new event);
        ``assignments`` (article id -> event id) set each article's event; ``near_duplicates``
        (article id -> original article id) mark copies, and a copy without an assignment joins
        its original's event; ``merges`` (absorbed -> surviving) move the absorbed events'
        articles to the survivor and set ``merged_into`` (an assignment to an event absorbed in
        the same call goes to the survivor, so an event created and absorbed within one batch
        need not be described). The counts of every touched event are recomputed (articles,
        distinct sources carrying them, distinct canonical statements, distinct statement
        sides), and so is its span: first/last seen are the earliest and latest time (published,
        else first seen) of ALL its articles, whatever this step's ``events`` said. Every
        article named is stamped ``grouped_at = now``. An event id that is neither stored nor
        in ``events`` is a StoreError.
        """
        events = step.events
        near_duplicates = [(int(copy), int(original)) for copy, original in step.near_duplicates]
        survivors = _resolve_merges(step.merges)
        # an article assigned to an event this same step absorbs goes straight to the survivor
        # (the same end state; and the absorbed event may never have been stored)
        assignments = [(int(a), survivors.get(e, e)) for a, e in step.assignments]
        touched: set[str] = {e.id for e in events}
        touched.update(event_id for _, event_id in assignments)
        touched.update(survivors)
        touched.update(survivors.values())
        with self._write("saving the grouping") as conn:
            _upsert_events(conn, events, now)
            moved = [article_id for article_id, _ in assignments]
            moved.extend(article_id for article_id, _ in near_duplicates)
            touched.update(_current_events(conn, moved))
            _assign(conn, assignments, now)
            if near_duplicates:
                _mark_copies(conn, near_duplicates, {a for a, _ in assignments}, now)
                touched.update(_current_events(conn, [copy for copy, _ in near_duplicates]))
            _merge(conn, survivors, now)
            _recount(conn, sorted(touched), now)

    def articles_for_grouping(
        self, *, all: bool = False, batch: int = 500
    ) -> Iterator[list[StoredArticle]]:
        """Articles not grouped yet (or all), oldest first by (published or first seen, id).

        Batches of at most ``batch``, each its own short transaction (keyset on the order key).
        """
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        when = article_time()
        after: tuple[datetime, int] | None = None
        while True:
            where: list[Any] = [] if all else [articles.c.grouped_at.is_(None)]
            if after is not None:
                at, last_id = after
                where.append(or_(when > at, and_(when == at, articles.c.id > last_id)))
            with self._read("reading articles to group") as conn:
                page = article_page(conn, *where, order_by=(when, articles.c.id), limit=batch)
            if not page:
                return
            yield page
            if len(page) < batch:
                return
            after = (page[-1].time, page[-1].id)

    def recent_grouped(
        self, *, since: datetime, until: datetime | None = None, limit: int | None = None
    ) -> list[GroupedArticle]:
        """Grouped articles whose time (published, else first seen) is in ``[since, until]``,
        oldest first; only the latest ``limit`` of them when given: what the clusterer needs
        to resume after a restart. See :meth:`grouped_history` for the same in batches."""
        return [
            a for part in self.grouped_history(since=since, until=until, limit=limit) for a in part
        ]

    def grouped_history(
        self,
        *,
        since: datetime,
        until: datetime | None = None,
        limit: int | None = None,
        batch: int = 500,
    ) -> Iterator[list[GroupedArticle]]:
        """:meth:`recent_grouped` in batches of at most ``batch``, oldest first, each read in
        its own short transaction (keyset on (time, id)): memory is bounded by the batch."""
        if batch < 1 or (limit is not None and limit < 1):
            raise ValueError(f"batch and limit must be at least 1, not {batch} and {limit}")
        with self._read("reading grouped articles") as conn:
            start = _grouping_start(conn, since, until, limit)
        left = limit
        while start is not None and (left is None or left > 0):
            size = batch if left is None else min(batch, left)
            with self._read("reading grouped articles") as conn:
                page = _grouped_page(conn, since, until, start, size)
            if not page:
                return
            yield page
            if len(page) < size:
                return
            if left is not None:
                left -= len(page)
            start = (page[-1].time, page[-1].id + 1)  # ids are integers: the next one on

    def pending_span(self) -> tuple[datetime, datetime] | None:
        """The earliest and latest time (published, else first seen) of the articles waiting
        to be grouped, or None when none is waiting."""
        when = article_time()
        with self._read("reading the pending articles' span") as conn:
            row = conn.execute(
                select(func.min(when), func.max(when)).where(articles.c.grouped_at.is_(None))
            ).first()
        if row is None or row[0] is None:
            return None
        return row[0], row[1]

    def grouping_mark(self) -> GroupingMark:
        """How far grouping has got (the latest grouping stamp; whether a grouped article waits
        to be grouped again): a grouper kept in memory stays valid while this does not change."""
        with self._read("reading the grouping mark") as conn:
            last = conn.execute(select(func.max(articles.c.grouped_at))).scalar_one()
            regrouped = conn.execute(
                select(articles.c.id)
                .where(articles.c.grouped_at.is_(None), articles.c.event_id.is_not(None))
                .limit(1)
            ).first()
        return GroupingMark(last_grouped_at=last, regrouping=regrouped is not None)


# -- saving a step ---------------------------------------------------------------------------


def _assign(conn: Connection, assignments: Sequence[tuple[int, str]], now: datetime) -> None:
    """Set each assigned article's event and grouping stamp."""
    if not assignments:
        return
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("b_id"))
        .values(event_id=bindparam("b_event"), grouped_at=now),
        # in id order, as replace_statements locks articles: no deadlock between the two
        [
            {"b_id": article_id, "b_event": event_id}
            for article_id, event_id in sorted(dict(assignments).items())
        ],
    )


def _mark_copies(
    conn: Connection,
    near_duplicates: Sequence[tuple[int, int]],
    assigned: set[int],
    now: datetime,
) -> None:
    """Mark each copy's original and grouping stamp; a copy not in ``assigned`` goes where its
    original is (a copy is the same story)."""
    original = articles.alias("original")
    its_event = (
        select(original.c.event_id)
        .where(original.c.id == bindparam("b_original"))
        .scalar_subquery()
    )
    rows = [
        {"b_id": copy, "b_original": source_id, "b_join": copy not in assigned}
        for copy, source_id in sorted(dict(near_duplicates).items())
    ]
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("b_id"))
        .values(
            near_duplicate_of=bindparam("b_original"),
            grouped_at=now,
            event_id=case((bindparam("b_join"), its_event), else_=articles.c.event_id),
        ),
        rows,
    )


def _merge(conn: Connection, survivors: dict[str, str], now: datetime) -> None:
    """Move each absorbed event's articles to its survivor and mark it (and the events merged
    into it before) merged into the survivor."""
    for absorbed, survivor in sorted(survivors.items()):
        conn.execute(
            update(articles).where(articles.c.event_id == absorbed).values(event_id=survivor)
        )
        conn.execute(
            update(events)
            .where(or_(events.c.id == absorbed, events.c.merged_into == absorbed))
            .values(merged_into=survivor, updated_at=now)
        )


def _resolve_merges(merges: Sequence[tuple[str, str]]) -> dict[str, str]:
    """absorbed -> final survivor; a merge into itself is ignored, a cycle is refused."""
    direct = {absorbed: survivor for absorbed, survivor in merges if absorbed != survivor}
    final: dict[str, str] = {}
    for absorbed in direct:
        seen = {absorbed}
        survivor = direct[absorbed]
        while survivor in direct:
            if survivor in seen:
                raise ValueError(f"event merges form a cycle through {survivor!r}")
            seen.add(survivor)
            survivor = direct[survivor]
        final[absorbed] = survivor
    return final


def _upsert_events(conn: Connection, updates: Sequence[EventUpdate], now: datetime) -> None:
    if not updates:
        return
    latest = {e.id: e for e in updates}  # an id repeated keeps its last description
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "first_seen_at": e.first_seen_at,
            "last_seen_at": e.last_seen_at,
            "article_count": 0,
            "source_count": 0,
            "statement_count": 0,
            "side_count": 0,
            "merged_into": None,
            "created_at": now,
            "updated_at": now,
        }
        for e in (latest[i] for i in sorted(latest))  # sorted: the same lock order everywhere
    ]
    insert = dialect_insert(conn, events)
    for part in chunks(rows, 500):
        conn.execute(
            insert.on_conflict_do_update(
                index_elements=["id"],
                # first/last seen are not taken from the update: it describes one batch only,
                # and _recount sets the span from all the event's articles
                set_={
                    "title": insert.excluded.title,
                    "merged_into": None,
                    "updated_at": now,
                },
            ),
            list(part),
        )


def _current_events(conn: Connection, article_ids: Sequence[int]) -> set[str]:
    found: set[str] = set()
    for part in chunks(list(article_ids)):
        found.update(
            e
            for e in conn.execute(
                select(articles.c.event_id).where(articles.c.id.in_(part)).distinct()
            ).scalars()
            if e is not None
        )
    return found


def _recount(conn: Connection, event_ids: Sequence[str], now: datetime) -> None:
    """Recompute the counts and the span of these events from their articles, links and
    statements.

    The span (first/last seen) is the earliest and latest article time (published, else first
    seen) over ALL the event's articles, not just this step's: a step may re-group an old
    article, or merge another event in. An event left without articles keeps its span.
    """
    for part in chunks(event_ids):
        counts: dict[str, dict[str, int]] = {
            e: {"article_count": 0, "source_count": 0, "statement_count": 0, "side_count": 0}
            for e in part
        }
        # (None, None): no articles left, the stored span stays
        spans: dict[str, tuple[datetime | None, datetime | None]] = dict.fromkeys(
            part, (None, None)
        )
        in_part = articles.c.event_id.in_(part)
        when = article_time()
        for event_id, n, first, last in conn.execute(
            select(articles.c.event_id, func.count(), func.min(when), func.max(when))
            .where(in_part)
            .group_by(articles.c.event_id)
        ):
            counts[event_id]["article_count"] = n
            spans[event_id] = (first, last)
        for event_id, n in conn.execute(
            select(articles.c.event_id, func.count(distinct(article_sources.c.source_id)))
            .join(article_sources, article_sources.c.article_id == articles.c.id)
            .where(in_part)
            .group_by(articles.c.event_id)
        ):
            counts[event_id]["source_count"] = n
        # a quote five outlets carry is one statement: count distinct canonicals
        canonical = func.coalesce(statements.c.canonical_id, statements.c.id)
        for event_id, n, sides in conn.execute(
            select(
                articles.c.event_id,
                func.count(distinct(canonical)),
                func.count(distinct(statements.c.side)),
            )
            .join(statements, statements.c.article_id == articles.c.id)
            .where(in_part)
            .group_by(articles.c.event_id)
        ):
            counts[event_id]["statement_count"] = n
            counts[event_id]["side_count"] = sides
        conn.execute(
            update(events)
            .where(events.c.id == bindparam("b_id"))
            .values(
                article_count=bindparam("b_articles"),
                source_count=bindparam("b_sources"),
                statement_count=bindparam("b_statements"),
                side_count=bindparam("b_sides"),
                # NULL (no articles left): keep the stored span
                first_seen_at=func.coalesce(
                    bindparam("b_first", type_=UTCDateTime), events.c.first_seen_at
                ),
                last_seen_at=func.coalesce(
                    bindparam("b_last", type_=UTCDateTime), events.c.last_seen_at
                ),
                updated_at=now,
            ),
            [
                {
                    "b_id": e,
                    "b_articles": c["article_count"],
                    "b_sources": c["source_count"],
                    "b_statements": c["statement_count"],
                    "b_sides": c["side_count"],
                    "b_first": spans[e][0],
                    "b_last": spans[e][1],
                }
                for e, c in counts.items()
            ],
        )


# -- reading grouped articles ----------------------------------------------------------------


def _grouping_start(
    conn: Connection, since: datetime, until: datetime | None, limit: int | None
) -> tuple[datetime, int] | None:
    """The (time, id) key of the first grouped article of the latest ``limit`` in
    ``[since, until]`` (all of them when ``limit`` is None), or None when there is none."""
    when = article_time()
    query = select(when, articles.c.id).where(*_grouped_between(since, until))
    if limit is None:
        query = query.order_by(when, articles.c.id).limit(1)
    else:
        query = query.order_by(when.desc(), articles.c.id.desc()).offset(limit - 1).limit(1)
    row = conn.execute(query).first()
    if row is None and limit is not None:  # fewer than ``limit``: all of them
        return _grouping_start(conn, since, until, None)
    return None if row is None else (row[0], row[1])


def _grouped_between(since: datetime, until: datetime | None) -> list[Any]:
    when = article_time()
    where: list[Any] = [articles.c.event_id.is_not(None), when >= since]
    if until is not None:
        where.append(when <= until)
    return where


def _grouped_page(
    conn: Connection,
    since: datetime,
    until: datetime | None,
    start: tuple[datetime, int],
    batch: int,
) -> list[GroupedArticle]:
    """At most ``batch`` grouped articles whose time is in ``[since, until]``, oldest first,
    from the (time, id) key ``start`` on (inclusive)."""
    when = article_time()
    at, first_id = start
    where = _grouped_between(since, until)
    where.append(or_(when > at, and_(when == at, articles.c.id >= first_id)))
    query = (
        select(
            articles.c.id,
            articles.c.title,
            articles.c.text,
            when.label("time"),
            sources.c.name.label("source"),
            articles.c.event_id,
            articles.c.near_duplicate_of,
            articles.c.language,
        )
        .join(sources, sources.c.id == articles.c.primary_source_id)
        .where(*where)
        .order_by(when, articles.c.id)
        .limit(batch)
    )
    return [from_row(GroupedArticle, row) for row in conn.execute(query).mappings()]
