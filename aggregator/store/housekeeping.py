"""Running the service: the schema, the store's counts, daemon heartbeats, backfill checkpoints
and named locks between processes.

:class:`HousekeepingMixin` owns the ``daemons`` and ``backfill_checkpoints`` tables and reads
the whole store for ``aggregator stats`` and ``/metrics``. The locks themselves are
``locks.py`` (the daemon's one-per-database lock uses its ``lock_file`` too).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, column, delete, func, inspect, literal, select, table
from sqlalchemy.engine import Connection

from aggregator.store import locks, migrate
from aggregator.store.base import StoreBase
from aggregator.store.engine import wrap_errors
from aggregator.store.queries import dialect_insert
from aggregator.store.rows import from_row
from aggregator.store.schema import (
    articles,
    backfill_checkpoints,
    daemons,
    digests,
    events,
    fetch_log,
    sources,
    statements,
)
from aggregator.store.sources import source_ids
from aggregator.store.types import Checkpoint, DaemonRow, DaemonState, StoreCounts

_PING = select(literal(1))
#: fetch outcomes that mean "the source answered"
SUCCESSFUL = ("ok", "not_modified")


class HousekeepingMixin(StoreBase):
    """Schema, counts, heartbeats, checkpoints, locks (part of :class:`~aggregator.store.Store`)."""

    # -- the schema and the store's counts -----------------------------------------------------

    def upgrade(self) -> str:
        """Create or migrate the schema to the newest revision; returns that revision."""
        with wrap_errors(self._url, "migrating the schema"):
            return migrate.upgrade(self._engine)

    def ping(self) -> None:
        """One trivial read (the health check's): StoreError when the store cannot be read."""
        with self._read("reading the store") as conn:
            conn.execute(_PING)

    def change_token(self) -> str:
        """An opaque token that differs from every earlier one once a write has been committed
        to the store, by any process (``changes.py``): equal tokens, unchanged store."""
        if self._changes.watches_file:
            return self._changes.watched()
        with self._read("reading the store's change token") as conn:
            return self._changes.token(conn)

    def revision(self) -> str | None:
        """The schema revision the database is at (None when empty)."""
        with self._read("reading the schema revision") as conn:
            return migrate.current_revision(conn)

    def stats(self) -> dict[str, int]:
        """``{"sources", "articles", "statements", "events", "digests_sent"}`` counts; tables
        added by later migrations count 0 until they exist (a store opened without upgrading)."""
        with self._read("counting rows") as conn:
            present = set(inspect(conn).get_table_names())
            found = {
                "sources": _count(conn, sources),
                "articles": _count(conn, articles),
                "statements": 0,
                "events": 0,
                "digests_sent": 0,
            }
            # lightweight table clauses: these tables belong to later migrations
            if "statements" in present:
                found["statements"] = _count(conn, table("statements"))
            if "events" in present:
                # an event absorbed into another is not an event of its own any more
                live = table("events", column("merged_into"))
                found["events"] = _count(conn, live, live.c.merged_into.is_(None))
            if "digests" in present:
                sent = table("digests", column("status"))
                found["digests_sent"] = _count(conn, sent, sent.c.status == "sent")
        return found

    def counts(self) -> StoreCounts:
        """Fetches by outcome, articles, statements, live events, digests sent and the latest
        successful poll, in two queries (what ``/metrics`` shows)."""

        def count(counted: Any, *where: Any) -> Any:
            return select(func.count()).select_from(counted).where(*where).scalar_subquery()

        totals = select(
            count(articles).label("articles"),
            count(statements).label("statements"),
            count(events, events.c.merged_into.is_(None)).label("events"),
            count(digests, digests.c.status == "sent").label("digests_sent"),
            select(func.max(fetch_log.c.started_at))
            .where(fetch_log.c.outcome.in_(SUCCESSFUL))
            .scalar_subquery()
            .label("last_successful_poll"),
        )
        with self._read("counting rows") as conn:
            fetches = {
                outcome: int(n)
                for outcome, n in conn.execute(
                    select(fetch_log.c.outcome, func.count()).group_by(fetch_log.c.outcome)
                )
            }
            row = conn.execute(totals).one()
        return StoreCounts(
            fetches=fetches,
            articles=int(row.articles),
            statements=int(row.statements),
            events=int(row.events),
            digests_sent=int(row.digests_sent),
            last_successful_poll=row.last_successful_poll,
        )

    # -- daemons -------------------------------------------------------------------------------

    def beat(
        self,
        owner: str,
        *,
        host: str,
        pid: int,
        version: str,
        now: datetime,
        state: DaemonState = "running",
    ) -> None:
        """Record a heartbeat of daemon ``owner`` (``state='stopped'`` on a clean shutdown); a
        restart (it was stopped, or a new pid) resets its ``started_at``."""
        with self._write("recording a heartbeat") as conn:
            insert = dialect_insert(conn, daemons)
            restarted = (daemons.c.state == "stopped") | (daemons.c.pid != insert.excluded.pid)
            conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["id"],
                    set_={
                        "host": insert.excluded.host,
                        "pid": insert.excluded.pid,
                        "version": insert.excluded.version,
                        "started_at": case(
                            (restarted, insert.excluded.started_at), else_=daemons.c.started_at
                        ),
                        "last_beat_at": insert.excluded.last_beat_at,
                        "state": insert.excluded.state,
                    },
                ),
                {
                    "id": owner,
                    "host": host,
                    "pid": pid,
                    "version": version,
                    "started_at": now,
                    "last_beat_at": now,
                    "state": state,
                },
            )

    def daemons(self, *, alive_within: timedelta | None = None, now: datetime) -> list[DaemonRow]:
        """Known daemons by id; with ``alive_within``, only running ones that beat that recently."""
        query = select(daemons).order_by(daemons.c.id)
        if alive_within is not None:
            query = query.where(
                daemons.c.state == "running", daemons.c.last_beat_at >= now - alive_within
            )
        with self._read("reading daemons") as conn:
            return [from_row(DaemonRow, row) for row in conn.execute(query).mappings()]

    def prune_daemons(self, older_than: datetime) -> int:
        """Forget daemons whose last beat is before ``older_than``; returns how many."""
        with self._write("pruning daemons") as conn:
            result = conn.execute(delete(daemons).where(daemons.c.last_beat_at < older_than))
            return int(result.rowcount)

    # -- backfill checkpoints ------------------------------------------------------------------

    def checkpoint(self, source: str, start: datetime, end: datetime) -> Checkpoint | None:
        """Where the backfill of ``source`` over exactly ``[start, end)`` stopped; None if never
        begun. An unknown source is a StoreError."""
        with self._read(f"reading the backfill checkpoint of {source}") as conn:
            source_id = source_ids(conn, [source])[source]
            row = (
                conn.execute(
                    select(backfill_checkpoints).where(
                        backfill_checkpoints.c.source_id == source_id,
                        backfill_checkpoints.c.range_start == start,
                        backfill_checkpoints.c.range_end == end,
                    )
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        return from_row(Checkpoint, row, source=source)

    def save_checkpoint(
        self,
        source: str,
        start: datetime,
        end: datetime,
        *,
        cursor: str | None,
        pages_done: int,
        entries_done: int,
        finished: bool,
        now: datetime,
    ) -> None:
        """Record how far the backfill of ``source`` over ``[start, end)`` got (an upsert on
        (source, range); ``finished`` sets ``finished_at``)."""
        if end <= start:
            raise ValueError(f"empty range: end {end.isoformat()} is not after {start.isoformat()}")
        values = {
            "cursor": cursor,
            "pages_done": pages_done,
            "entries_done": entries_done,
            "updated_at": now,
            "finished_at": now if finished else None,
        }
        with self._write(f"saving the backfill checkpoint of {source}") as conn:
            source_id = source_ids(conn, [source])[source]
            conn.execute(
                dialect_insert(conn, backfill_checkpoints).on_conflict_do_update(
                    index_elements=["source_id", "range_start", "range_end"], set_=values
                ),
                {"source_id": source_id, "range_start": start, "range_end": end, **values},
            )

    # -- named locks between processes --------------------------------------------------------

    def exclusive(self, name: str) -> AbstractContextManager[bool]:
        """Hold the lock ``name`` (e.g. ``"grouping"``) for a ``with`` block, if nobody else does.

        Yields True when this caller holds it for the block, False when another holder has it
        (then do nothing: the other one is doing the work). Never waits. PostgreSQL: a session
        advisory lock on a connection kept for the block; SQLite file: a ``flock`` on
        ``<database>.<name>.lock``; in-memory SQLite: always True. The lock dies with the
        process. Not re-entrant: a second request while it is held, even from this process, gets
        False. ``name``: 1-64 letters, digits, ``_`` or ``-`` (else ValueError). No transaction
        is held (see ``locks.py``).
        """
        return locks.exclusive(self._engine, self._url, name)


def _count(conn: Connection, counted: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(counted).where(*where)).scalar_one())
