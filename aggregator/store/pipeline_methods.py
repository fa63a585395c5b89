"""Store methods for the pipeline's later stages: statements, grouping, and the digest's read."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aggregator import clock
from aggregator.model import Statement
from aggregator.store import corrections as correction_rows
from aggregator.store import events as events_module
from aggregator.store import period, queries
from aggregator.store import statements as statement_rows
from aggregator.store.base import StoreBase
from aggregator.store.schema import articles
from aggregator.store.types import (
    EventDetail,
    GroupedArticle,
    GroupingMark,
    StoredArticle,
    StoredStatement,
)
from aggregator.wording import plural

if TYPE_CHECKING:
    from aggregator.group.types import GroupingStep


class PipelineMethods(StoreBase):
    """Statements, events and grouping (part of :class:`~aggregator.store.Store`)."""

    # -- statements ---------------------------------------------------------------------------

    def replace_statements(
        self, article_id: int, statements: Sequence[Statement], *, version: str
    ) -> int:
        """Make ``statements`` the article's statements, in ONE transaction; returns how many.

        If the stored ones are identical (same text, offsets, speaker, actor, role, side, kind and
        cue, in order) only ``extracted_version`` is set and their ids stay stable; otherwise the
        old rows are deleted and the new ones inserted (statements elsewhere that named a deleted
        one as canonical become their own canonical until grouping runs again), and a grouped
        article's ``grouped_at`` is cleared so that grouping merges its new statements and
        recounts its event. Idempotent. An unknown article is a StoreError.
        """
        with self._write(f"storing the statements of article {article_id}") as conn:
            return statement_rows.replace_statements(
                conn, [(article_id, statements)], version=version, now=clock.now()
            )

    def replace_statements_many(
        self, items: Sequence[tuple[int, Sequence[Statement]]], *, version: str
    ) -> int:
        """:meth:`replace_statements` for many articles in ONE transaction (a few statements
        whatever their number: use it for batches); returns how many statements are stored.

        An article id given twice keeps its last statements; any unknown article id is a
        StoreError and nothing is written.
        """
        with self._write(f"storing the statements of {plural(len(items), 'article')}") as conn:
            return statement_rows.replace_statements(conn, items, version=version, now=clock.now())

    def articles_for_extraction(
        self, *, version: str, all: bool = False, batch: int = 500
    ) -> Iterator[list[StoredArticle]]:
        """Articles whose statements come from another extractor version (or all), by id.

        Batches of at most ``batch``, each read in its own short transaction (keyset on the id),
        so the table is never loaded whole and nothing is held between batches.
        """
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        last_id = 0
        while True:
            where = [articles.c.id > last_id]
            if not all:
                # "< or >" rather than "!=": both are ranges of ix_articles_extracted_version,
                # so finding the few stale articles does not read the whole table
                column = articles.c.extracted_version
                stale = column.is_(None) | (column < version) | (column > version)
                where.append(stale)
            with self._read("reading articles to extract") as conn:
                page = queries.article_page(conn, *where, order_by=(articles.c.id,), limit=batch)
            if not page:
                return
            yield page
            if len(page) < batch:
                return
            last_id = page[-1].id

    def statements_for_articles(self, ids: Sequence[int]) -> dict[int, list[StoredStatement]]:
        """Each article id -> its stored statements in order ([] when it has none)."""
        with self._read("reading statements") as conn:
            return statement_rows.statements_for_articles(conn, ids)

    def set_statement_canonicals(self, pairs: Sequence[tuple[int, int | None]]) -> None:
        """Set each statement's canonical (``(statement id, canonical id or None)``), atomically.

        None, or the statement's own id, makes it canonical. Chains within ``pairs`` are
        followed to their end (a -> b, b -> c stores a -> c), since readers follow one step;
        a cycle is a ValueError. Statements that no longer exist are skipped; a canonical that
        no longer exists (re-extracted meanwhile) leaves the statement canonical.
        """
        with self._write("setting canonical statements") as conn:
            statement_rows.set_canonicals(conn, pairs)

    def correct_speakers(self, pins: Sequence[tuple[str, Mapping[str, Any]]]) -> int:
        """Pin ``side``/``role``/``commentary`` on the statements of each named speaker (actor or
        speaker as written, any case); returns the statements changed."""
        with self._write("correcting speakers") as conn:
            return correction_rows.correct_speakers(conn, pins)

    def articles_by_url(
        self, urls: Sequence[str]
    ) -> dict[str, tuple[int, str | None, datetime, str]]:
        """The articles the URLs name (canonical URL or a source's link): id, event, time,
        title."""
        with self._read("finding articles by URL") as conn:
            return correction_rows.articles_by_url(conn, urls)

    def event_article_urls(self, event_id: str) -> list[str]:
        """The URLs of an event's articles, earliest first (empty: no such event)."""
        with self._read("reading an event's articles") as conn:
            return correction_rows.event_article_urls(conn, event_id)

    # -- events and grouping ------------------------------------------------------------------

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
        with self._write("saving the grouping") as conn:
            events_module.save_grouping(
                conn,
                assignments=[(int(article), event) for article, event in step.assignments],
                near_duplicates=[
                    (int(copy), int(original)) for copy, original in step.near_duplicates
                ],
                event_updates=step.events,
                merges=step.merges,
                now=now,
            )

    def articles_for_grouping(
        self, *, all: bool = False, batch: int = 500
    ) -> Iterator[list[StoredArticle]]:
        """Articles not grouped yet (or all), oldest first by (published or first seen, id).

        Batches of at most ``batch``, each its own short transaction (keyset on the order key).
        """
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        after: tuple[datetime, int] | None = None
        while True:
            with self._read("reading articles to group") as conn:
                page = events_module.articles_for_grouping(
                    conn, everything=all, after=after, batch=batch
                )
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
            start = events_module.grouping_start(conn, since, until, limit)
        left = limit
        while start is not None and (left is None or left > 0):
            size = batch if left is None else min(batch, left)
            with self._read("reading grouped articles") as conn:
                page = events_module.recent_grouped(
                    conn, since, until=until, start=start, batch=size
                )
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
        with self._read("reading the pending articles' span") as conn:
            return events_module.pending_span(conn)

    def grouping_mark(self) -> GroupingMark:
        """How far grouping has got (the latest grouping stamp; whether a grouped article waits
        to be grouped again): a grouper kept in memory stays valid while this does not change."""
        with self._read("reading the grouping mark") as conn:
            return events_module.grouping_mark(conn)

    def events_in_period(self, start: datetime, end: datetime) -> list[EventDetail]:
        """Live events active in ``[start, end)`` with their reports and canonical statements.

        Five queries whatever the number of events. Only articles whose time is before ``end``
        are included (a digest rendered later shows what was known when the period ended).
        """
        with self._read("reading the events of a period") as conn:
            return period.events_in_period(conn, start, end)
