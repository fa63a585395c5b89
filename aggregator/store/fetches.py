"""Fetches: what one fetch of one source writes, in ONE transaction, and the fetch log.

:class:`FetchesMixin` owns the ``fetch_log`` table and a fetch's bookkeeping on its source::

    save_fetch(state, result, entries, poll):
        entries     -> articles.store_entries (the upsert rules, refused entries left out)
        fetch_log   <- one row: outcome, status, counts, bytes, error (+ the refused entries)
        sources     <- validators (on OK), permanent redirect, schedule from ``poll``,
                       disabled on 410, the lease given back if the caller still holds it

``save_fetches`` stores several fetches that way in one transaction: a pass hands it the 304s
and failures that queued up while the previous transaction ran, so that bookkeeping-only outcomes
cost one commit together rather than one each. Every fetch is still one fetch_log row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.engine import Connection

from aggregator.model import Article, FetchOutcome, FetchResult
from aggregator.store.articles import store_entries
from aggregator.store.base import StoreBase
from aggregator.store.rows import from_row
from aggregator.store.schema import fetch_log, sources
from aggregator.store.storable import storable_or_none
from aggregator.store.types import (
    FetchLogRow,
    PollStateLike,
    RefusedEntry,
    SaveReport,
    SourceState,
)

GONE_REASON = "the server answered 410 Gone: the feed was removed"


@dataclass(frozen=True, slots=True)
class FetchToSave:
    """One fetch as :meth:`Store.save_fetch` takes it, for :meth:`Store.save_fetches`."""

    state: SourceState
    result: FetchResult
    articles: Sequence[Article]
    poll: PollStateLike
    now: datetime


class FetchesMixin(StoreBase):
    """Fetches and the fetch log (part of :class:`~aggregator.store.Store`)."""

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
        fetch = FetchToSave(state, result, articles, poll, now)
        with self._write(f"saving the fetch of {state.source.name}") as conn:
            if not articles:
                self._bookkeeping_commit(conn)
            return _save_fetch(conn, fetch)

    def save_fetches(self, fetches: Sequence[FetchToSave]) -> list[SaveReport]:
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
            return [_save_fetch(conn, fetch) for fetch in fetches]

    def _bookkeeping_commit(self, conn: Connection) -> None:
        """Commit a transaction without entries (304s, failures) without waiting for the WAL.

        On PostgreSQL a server crash in the next few hundred ms could lose these log rows and
        schedule updates, and the sources would simply be polled again; article writes stay
        durable. SQLite's ``synchronous=NORMAL`` in WAL mode already behaves that way.
        """
        if self.dialect == "postgresql":
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")

    def recent_fetch_log(self, source: str | None = None, limit: int = 50) -> list[FetchLogRow]:
        """The newest fetch_log rows, newest first, optionally for one source."""
        query = select(fetch_log, sources.c.name.label("source")).join(
            sources, sources.c.id == fetch_log.c.source_id
        )
        if source is not None:
            query = query.where(sources.c.name == source)
        query = query.order_by(fetch_log.c.started_at.desc(), fetch_log.c.id.desc()).limit(limit)
        with self._read("reading the fetch log") as conn:
            return [
                from_row(FetchLogRow, row, outcome=FetchOutcome(row["outcome"]))
                for row in conn.execute(query).mappings()
            ]

    def prune_fetch_log(self, older_than: datetime) -> int:
        """Delete fetch_log rows that started before ``older_than``; returns how many."""
        with self._write("pruning the fetch log") as conn:
            result = conn.execute(delete(fetch_log).where(fetch_log.c.started_at < older_than))
            return int(result.rowcount)


def _save_fetch(conn: Connection, fetch: FetchToSave) -> SaveReport:
    """One fetch's entries, its fetch_log row and its source's new state."""
    state, result, now = fetch.state, fetch.result, fetch.now
    name = state.source.name
    if result.source != name:
        raise ValueError(f"fetch result is for {result.source!r}, not {name!r}")
    source_id, report = store_entries(conn, name, fetch.articles, now)
    error = "; ".join(e for e in (result.error, refused_note(report.refused)) if e) or None
    conn.execute(
        fetch_log.insert().values(
            source_id=source_id,
            started_at=result.fetched_at or now,
            duration_ms=max(0, round(result.duration * 1000)),
            outcome=FetchOutcome(result.outcome).value,
            http_status=result.status,
            new_entries=report.new,
            updated_entries=report.updated,
            bytes=len(result.body) if result.body is not None else None,
            error=storable_or_none(error),
            error_type=result.error_type,
        )
    )
    _update_source(conn, source_id, state, result, fetch.poll, report, now)
    return report


def refused_note(refused: Sequence[RefusedEntry]) -> str | None:
    """One sentence for the fetch_log and the pass's report: how many entries the database
    refused, and why the first one was."""
    if not refused:
        return None
    what = "1 entry" if len(refused) == 1 else f"{len(refused)} entries"
    return f"{what} not stored: {refused[0].reason}"


def _update_source(
    conn: Connection,
    source_id: int,
    state: SourceState,
    result: FetchResult,
    poll: PollStateLike,
    report: SaveReport,
    now: datetime,
) -> None:
    values: dict[str, Any] = {
        "consecutive_failures": poll.failures,
        "next_poll_at": poll.next_poll,
        "last_error": storable_or_none(poll.last_error),
        "last_fetch_at": result.fetched_at or now,
        "last_status": result.status,
        "last_new_entries": report.new,
        "updated_at": now,
    }
    if result.outcome == FetchOutcome.OK:
        # a 200 without validators clears the old ones: they no longer describe this body
        values["etag"] = result.validators.etag
        values["last_modified"] = result.validators.last_modified
    if result.permanent_redirect:
        values["url"] = result.permanent_redirect
    reason = poll.disabled_reason
    if reason is None and result.outcome == FetchOutcome.GONE:
        reason = GONE_REASON
    if reason is not None:
        values["enabled"] = False
        values["disabled_reason"] = reason
    if state.lease_owner is None:
        values["lease_owner"] = None
        values["lease_expires_at"] = None
    else:
        # release only our own lease: if it expired and another daemon took it, that one keeps it
        ours = sources.c.lease_owner == state.lease_owner
        values["lease_owner"] = case((ours, None), else_=sources.c.lease_owner)
        values["lease_expires_at"] = case((ours, None), else_=sources.c.lease_expires_at)
    conn.execute(update(sources).where(sources.c.id == source_id).values(values))
