"""The store's public face: :func:`open_store` and :class:`Store`, one short transaction a method.

Transactions are opened by :class:`~aggregator.store.base.StoreBase`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from aggregator.model import Article, FetchResult, Source
from aggregator.store import ingest, migrate, queries
from aggregator.store import sources as source_rows
from aggregator.store.archive_methods import ArchiveMethods
from aggregator.store.engine import create_store_engine, normalise_url, wrap_errors
from aggregator.store.ops_methods import OpsMethods
from aggregator.store.pipeline_methods import PipelineMethods
from aggregator.store.types import (
    FetchLogRow,
    PollStateLike,
    SaveReport,
    SourceState,
    SourceStatus,
    StoredArticle,
    SyncReport,
)


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Connect to ``url`` (sqlite:///… or postgresql://…) and, by default, migrate to head."""
    parsed = normalise_url(url)
    engine = create_store_engine(parsed)
    store = Store(engine, parsed)
    try:
        with wrap_errors(parsed, "connecting"), engine.connect():
            pass
        if upgrade:
            store.upgrade()
    except BaseException:
        store.close()
        raise
    return store


class Store(PipelineMethods, OpsMethods, ArchiveMethods):
    """Repository over one database. Thread-safe: each call takes its own pooled connection.

    Sources, entries and the fetch log are here; statements, grouping and the digest's read are
    in :class:`PipelineMethods`; the digest ledger, heartbeats and backfill checkpoints in
    :class:`OpsMethods`; the web archive's reads (one event, days, actors, search, counts) in
    :class:`ArchiveMethods`.
    """

    # -- schema -------------------------------------------------------------------------------

    def upgrade(self) -> str:
        """Create or migrate the schema to the newest revision; returns that revision."""
        with wrap_errors(self._url, "migrating the schema"):
            return migrate.upgrade(self._engine)

    def revision(self) -> str | None:
        """The schema revision the database is at (None when empty)."""
        with self._read("reading the schema revision") as conn:
            return migrate.current_revision(conn)

    # -- sources ------------------------------------------------------------------------------

    def sync_sources(self, sources: Sequence[Source], *, now: datetime) -> SyncReport:
        """Upsert configured sources by name; disable those no longer configured (atomic).

        The stored url (which may be a permanent-redirect target) changes only when the
        configured url does. A new source is due at ``now``.
        """
        with self._write("syncing the configured sources") as conn:
            return source_rows.sync_sources(conn, sources, now)

    def claim_due(
        self,
        *,
        now: datetime,
        owner: str,
        lease: timedelta,
        names: Sequence[str] | None = None,
        limit: int | None = None,
        force: bool = False,
    ) -> list[SourceState]:
        """Lease due sources to ``owner`` until ``now + lease`` and return them (atomic).

        Due: enabled, ``next_poll_at <= now``, and no live lease held by another owner.
        ``names`` picks those sources whatever their schedule (unknown names raise StoreError);
        ``force`` ignores the schedule. Another owner's live lease is always respected.
        """
        with self._write("claiming due sources") as conn:
            return source_rows.claim_due(
                conn, now=now, owner=owner, lease=lease, names=names, limit=limit, force=force
            )

    def release(self, owner: str, names: Sequence[str] | None = None) -> int:
        """Give back ``owner``'s leases (e.g. on shutdown); returns how many were held."""
        with self._write("releasing leases") as conn:
            return source_rows.release(conn, owner=owner, names=names)

    def renew_leases(self, owner: str, *, until: datetime) -> int:
        """Extend every lease ``owner`` holds to ``until`` (a live holder's heartbeat); returns
        how many it holds."""
        with self._write("renewing leases") as conn:
            return source_rows.renew(conn, owner=owner, until=until)

    def lease_holders(self) -> list[str]:
        """The owner ids holding a source's lease (live or expired), e.g. to release those of a
        holder known to be dead."""
        with self._read("reading lease holders") as conn:
            return source_rows.lease_holders(conn)

    def source_status(self) -> list[SourceStatus]:
        """One row a source for ``aggregator status``."""
        with self._read("reading source status") as conn:
            return source_rows.source_status(conn)

    # -- articles -----------------------------------------------------------------------------

    def save_fetch(
        self,
        state: SourceState,
        result: FetchResult,
        articles: Sequence[Article],
        poll: PollStateLike,
        *,
        now: datetime,
    ) -> SaveReport:
        """Store one fetch in ONE transaction: entries, fetch_log row, source schedule, lease.

        Entries: a known (source, guid) with the same content hash is unchanged; with another
        hash it is updated (the article itself only if this source is its primary source); an
        unseen guid whose canonical URL is already stored is linked to that article; a guid
        repeated within ``articles`` keeps its last occurrence. An entry whose values the
        database refuses is left out and logged (``SaveReport.refused``, noted in the fetch_log
        row) and the others are stored. Validators are replaced only on OK;
        ``permanent_redirect`` replaces the url; 410 (or ``poll.disabled_reason``) disables.
        """
        with self._write(f"saving the fetch of {state.source.name}") as conn:
            if not articles:
                self._bookkeeping_commit(conn)
            return ingest.save_fetch(conn, state, result, articles, poll, now)

    def save_fetches(self, fetches: Sequence[ingest.FetchToSave]) -> list[SaveReport]:
        """Store several fetches in ONE transaction, each by the rules of :meth:`save_fetch`
        (one fetch_log row each); all are stored or, on an error, none. Returns their reports
        in order. Meant for many small outcomes (304s, failures) that would otherwise cost a
        commit each."""
        if not fetches:
            return []
        names = ", ".join(f.state.source.name for f in fetches[:3])
        more = f" and {len(fetches) - 3} more" if len(fetches) > 3 else ""
        with self._write(f"saving the fetches of {names}{more}") as conn:
            if not any(f.articles for f in fetches):
                self._bookkeeping_commit(conn)
            return [
                ingest.save_fetch(conn, f.state, f.result, f.articles, f.poll, f.now)
                for f in fetches
            ]

    def _bookkeeping_commit(self, conn: Connection) -> None:
        """Commit a transaction without entries (304s, failures) without waiting for the WAL.

        On PostgreSQL a server crash in the next few hundred ms could lose these log rows and
        schedule updates, and the sources would simply be polled again; article writes stay
        durable. SQLite's ``synchronous=NORMAL`` in WAL mode already behaves that way.
        """
        if self.dialect == "postgresql":
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")

    def save_entries(
        self, source: str, articles: Sequence[Article], *, now: datetime
    ) -> SaveReport:
        """Store entries of ``source`` outside a fetch (a backfill's archive pages or files), in
        ONE transaction, by the rules of :meth:`save_fetch`; no fetch_log row, and the source's
        validators, schedule and lease stay as they are. Unknown source: StoreError."""
        with self._write(f"saving entries of {source}") as conn:
            return ingest.save_entries(conn, source, articles, now)[1]

    def articles(
        self, *, source: str | None = None, limit: int | None = None
    ) -> list[StoredArticle]:
        """Stored articles newest first, optionally only those ``source`` carries."""
        with self._read("reading articles") as conn:
            return queries.stored_articles(conn, source=source, limit=limit)

    def articles_by_id(self, ids: Sequence[int]) -> list[StoredArticle]:
        """The stored articles with these ids (e.g. ``SaveReport.new_article_ids``)."""
        result: list[StoredArticle] = []
        with self._read("reading articles") as conn:
            for part in ingest.chunks(list(ids)):
                result.extend(queries.stored_articles(conn, ids=part))
        order = {article_id: i for i, article_id in enumerate(ids)}
        return sorted(result, key=lambda a: order[a.id])

    def known_guids(self, source: str, guids: Sequence[str]) -> set[str]:
        """The subset of ``guids`` already stored for ``source`` (e.g. to skip known pages)."""
        with self._read("looking up known entries") as conn:
            return queries.known_guids(conn, source, guids)

    def article_count(self) -> int:
        """How many articles are stored."""
        with self._read("counting articles") as conn:
            return queries.article_count(conn)

    def stats(self) -> dict[str, int]:
        """``{"sources", "articles", "statements", "events", "digests_sent"}`` counts."""
        with self._read("counting rows") as conn:
            return queries.stats(conn)

    # -- fetch log ----------------------------------------------------------------------------

    def recent_fetch_log(self, source: str | None = None, limit: int = 50) -> list[FetchLogRow]:
        """The newest fetch_log rows, newest first, optionally for one source."""
        with self._read("reading the fetch log") as conn:
            return queries.recent_fetch_log(conn, source, limit)

    def prune_fetch_log(self, older_than: datetime) -> int:
        """Delete fetch_log rows that started before ``older_than``; returns how many."""
        with self._write("pruning the fetch log") as conn:
            return queries.prune_fetch_log(conn, older_than)
