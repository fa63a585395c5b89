"""Sources: syncing the configuration, claiming due sources under a lease, status rows.

:class:`SourcesMixin` owns the ``sources`` table's configuration and leases. What one fetch
writes to a source (validators, schedule, its lease given back) goes with the fetch, in
``FetchesMixin.save_fetch`` (``fetches.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import or_, select, true, update
from sqlalchemy.engine import Connection, RowMapping

from aggregator.errors import StoreError
from aggregator.model import FetchOutcome, Source, SourceKind, Validators
from aggregator.store.base import StoreBase
from aggregator.store.queries import dialect_insert
from aggregator.store.rows import from_row
from aggregator.store.schema import fetch_log, sources
from aggregator.store.types import SourceState, SourceStatus, SyncReport

# disabled_reason values set by the configuration; any other reason came from fetching (e.g. 410)
REASON_UNCONFIGURED = "no longer in the configuration"
REASON_CONFIG_DISABLED = "disabled in the configuration"
_CONFIG_REASONS = (REASON_UNCONFIGURED, REASON_CONFIG_DISABLED)


class SourcesMixin(StoreBase):
    """Configured sources and their leases (part of :class:`~aggregator.store.Store`)."""

    def sync_sources(self, sources: Sequence[Source], *, now: datetime) -> SyncReport:
        """Upsert configured sources by name; disable those no longer configured (atomic).

        The stored url (which may be a permanent-redirect target) changes only when the
        configured url does. A new source is due at ``now``. Sources are disabled, never
        deleted (their history stays).
        """
        names = [s.name for s in sources]
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise ValueError(f"duplicate source names: {', '.join(dupes)}")
        with self._write("syncing the configured sources") as conn:
            return _sync(conn, sources, now)

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
        if lease <= timedelta(0):
            raise ValueError(f"lease must be positive, got {lease}")
        query = select(sources.c.id).where(
            sources.c.enabled == true(),
            # any live lease excludes, even the caller's own: a source still being fetched by
            # this daemon must not be handed out to it a second time
            or_(sources.c.lease_owner.is_(None), sources.c.lease_expires_at <= now),
        )
        with self._write("claiming due sources") as conn:
            if names is not None:
                wanted = list(dict.fromkeys(names))
                source_ids(conn, wanted)  # unknown names: StoreError
                # naming a source means "fetch it now": its schedule does not hold it back
                query = query.where(sources.c.name.in_(wanted))
            elif not force:
                query = query.where(sources.c.next_poll_at <= now)
            query = query.order_by(sources.c.next_poll_at, sources.c.id)
            if limit is not None:
                query = query.limit(limit)
            # PostgreSQL: rows another daemon is claiming right now are skipped, not waited
            # for. SQLite ignores FOR UPDATE; our BEGIN IMMEDIATE serialises claims instead.
            ids = list(conn.execute(query.with_for_update(skip_locked=True)).scalars())
            if not ids:
                return []
            conn.execute(
                update(sources)
                .where(sources.c.id.in_(ids))
                .values(lease_owner=owner, lease_expires_at=now + lease)
            )
            rows = conn.execute(
                select(sources)
                .where(sources.c.id.in_(ids))
                .order_by(sources.c.next_poll_at, sources.c.id)
            ).mappings()
            return [_source_state(row) for row in rows]

    def release(self, owner: str, names: Sequence[str] | None = None) -> int:
        """Give back ``owner``'s leases (all, or the named sources'; e.g. on shutdown); returns
        how many were held."""
        stmt = update(sources).where(sources.c.lease_owner == owner)
        if names is not None:
            stmt = stmt.where(sources.c.name.in_(list(names)))
        with self._write("releasing leases") as conn:
            result = conn.execute(stmt.values(lease_owner=None, lease_expires_at=None))
            return int(result.rowcount)

    def renew_leases(self, owner: str, *, until: datetime) -> int:
        """Extend every lease ``owner`` holds to ``until`` (a live holder's heartbeat); returns
        how many it holds."""
        with self._write("renewing leases") as conn:
            result = conn.execute(
                update(sources).where(sources.c.lease_owner == owner).values(lease_expires_at=until)
            )
            return int(result.rowcount)

    def lease_holders(self) -> list[str]:
        """The owner ids holding a source's lease (live or expired), by id, e.g. to release
        those of a holder known to be dead."""
        query = (
            select(sources.c.lease_owner)
            .where(sources.c.lease_owner.is_not(None))
            .distinct()
            .order_by(sources.c.lease_owner)
        )
        with self._read("reading lease holders") as conn:
            return [str(owner) for owner in conn.execute(query).scalars()]

    def source_status(self) -> list[SourceStatus]:
        """One row a source for ``aggregator status``: enabled first, by name, with the outcome
        of its latest logged fetch."""
        last_outcome = (
            select(fetch_log.c.outcome)
            .where(fetch_log.c.source_id == sources.c.id)
            .order_by(fetch_log.c.started_at.desc(), fetch_log.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        query = select(sources, last_outcome.label("last_outcome")).order_by(
            sources.c.enabled.desc(), sources.c.name
        )
        with self._read("reading source status") as conn:
            return [_status(row) for row in conn.execute(query).mappings()]


def source_ids(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    """Ids of the named sources; unknown names raise StoreError."""
    found = {
        row.name: row.id
        for row in conn.execute(
            select(sources.c.name, sources.c.id).where(sources.c.name.in_(list(names)))
        )
    }
    unknown = [n for n in names if n not in found]
    if unknown:
        raise StoreError(f"unknown source(s): {', '.join(unknown)}")
    return found


def _source_state(row: RowMapping) -> SourceState:
    """A stored source row as the fetcher sees it."""
    return SourceState(
        source=Source(
            name=row["name"],
            url=row["url"],
            kind=cast(SourceKind, row["kind"]),
            publisher=row["publisher"],
            side=row["side"],
            language=row["language"],
            interval=timedelta(seconds=row["interval_seconds"]),
            fulltext=bool(row["fulltext"]),
            enabled=bool(row["enabled"]),
        ),
        validators=Validators(etag=row["etag"], last_modified=row["last_modified"]),
        failures=row["consecutive_failures"],
        next_poll_at=row["next_poll_at"],
        disabled_reason=row["disabled_reason"],
        last_error=row["last_error"],
        lease_owner=row["lease_owner"],
        lease_expires_at=row["lease_expires_at"],
    )


# -- syncing the configuration ---------------------------------------------------------------


def _sync(conn: Connection, configured: Sequence[Source], now: datetime) -> SyncReport:
    """Bring the stored sources in line with ``configured`` (names already checked unique)."""
    stored = {row.name: row for row in conn.execute(select(sources)).mappings()}
    added: list[str] = []
    updated: list[str] = []
    disabled: list[str] = []
    unchanged: list[str] = []

    new_rows = []
    for source in configured:
        row = stored.get(source.name)
        if row is None:
            new_rows.append(_new_source_row(source, now))
            added.append(source.name)
            continue
        changes = _changes(row, source, now)
        if not changes:
            unchanged.append(source.name)
            continue
        conn.execute(
            update(sources).where(sources.c.id == row["id"]).values(**changes, updated_at=now)
        )
        if changes.get("enabled") is False:
            disabled.append(source.name)
        else:
            updated.append(source.name)
    if new_rows:
        # another process starting at the same moment may insert the same names: theirs wins,
        # the rows are identical (both come from the same configuration)
        conn.execute(
            dialect_insert(conn, sources).on_conflict_do_nothing(index_elements=["name"]),
            new_rows,
        )

    configured_names = {s.name for s in configured}
    gone = sorted(n for n, row in stored.items() if n not in configured_names and row["enabled"])
    if gone:
        conn.execute(
            update(sources)
            .where(sources.c.name.in_(gone))
            .values(enabled=False, disabled_reason=REASON_UNCONFIGURED, updated_at=now)
        )
        disabled.extend(gone)
    return SyncReport(
        added=tuple(added),
        updated=tuple(updated),
        disabled=tuple(disabled),
        unchanged=tuple(unchanged),
    )


def _config_values(source: Source) -> dict[str, Any]:
    return {
        "kind": source.kind,
        "publisher": source.publisher,
        "side": source.side,
        "language": source.language,
        "interval_seconds": max(1, round(source.interval.total_seconds())),
        "fulltext": source.fulltext,
    }


def _new_source_row(source: Source, now: datetime) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "configured_url": source.url,
        **_config_values(source),
        "enabled": source.enabled,
        "disabled_reason": None if source.enabled else REASON_CONFIG_DISABLED,
        "next_poll_at": now,  # a new source is due immediately
        "consecutive_failures": 0,
        "created_at": now,
        "updated_at": now,
    }


def _changes(row: RowMapping, source: Source, now: datetime) -> dict[str, Any]:
    """Column updates that bring a stored source in line with its configuration."""
    changes = {k: v for k, v in _config_values(source).items() if row[k] != v}
    url_changed = row["configured_url"] != source.url
    if url_changed:
        # a new configured url replaces any stored redirect target, and starts afresh
        changes.update(
            url=source.url,
            configured_url=source.url,
            etag=None,
            last_modified=None,
            consecutive_failures=0,
            last_error=None,
            next_poll_at=now,
        )
    reason = row["disabled_reason"]
    if not source.enabled:
        if row["enabled"] or reason != REASON_CONFIG_DISABLED:
            changes.update(enabled=False, disabled_reason=REASON_CONFIG_DISABLED)
    elif not row["enabled"] and (reason in _CONFIG_REASONS or reason is None or url_changed):
        # re-enabled by the configuration; a source disabled by a fetch (410 Gone) stays
        # disabled until its configured url changes
        changes.update(enabled=True, disabled_reason=None, next_poll_at=now)
    return changes


def _status(row: RowMapping) -> SourceStatus:
    outcome = row["last_outcome"]
    return from_row(
        SourceStatus,
        row,
        enabled=bool(row["enabled"]),
        last_outcome=None if outcome is None else FetchOutcome(outcome),
    )
