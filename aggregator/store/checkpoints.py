"""Backfill checkpoints: how far the backfill of one source over one date range got."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from aggregator.store.ingest import dialect_insert
from aggregator.store.schema import backfill_checkpoints
from aggregator.store.sources import source_ids
from aggregator.store.types import Checkpoint


def checkpoint(conn: Connection, source: str, start: datetime, end: datetime) -> Checkpoint | None:
    """The checkpoint of ``source`` over exactly ``[start, end)``, or None (never started)."""
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
    return Checkpoint(
        source=source,
        range_start=row["range_start"],
        range_end=row["range_end"],
        cursor=row["cursor"],
        pages_done=row["pages_done"],
        entries_done=row["entries_done"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
    )


def save(
    conn: Connection,
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
    """Insert or replace the checkpoint of ``source`` over ``[start, end)``."""
    if end <= start:
        raise ValueError(f"empty range: end {end.isoformat()} is not after {start.isoformat()}")
    source_id = source_ids(conn, [source])[source]
    insert = dialect_insert(conn, backfill_checkpoints)
    values = {
        "cursor": cursor,
        "pages_done": pages_done,
        "entries_done": entries_done,
        "updated_at": now,
        "finished_at": now if finished else None,
    }
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=["source_id", "range_start", "range_end"], set_=values
        ),
        {"source_id": source_id, "range_start": start, "range_end": end, **values},
    )
