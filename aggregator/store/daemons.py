"""Daemon heartbeats: who runs, where, since when, last seen when."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import case, delete, select
from sqlalchemy.engine import Connection

from aggregator.store.ingest import dialect_insert
from aggregator.store.schema import daemons
from aggregator.store.types import DaemonRow, DaemonState


def beat(
    conn: Connection,
    owner: str,
    *,
    host: str,
    pid: int,
    version: str,
    now: datetime,
    state: DaemonState,
) -> None:
    """Insert or refresh ``owner``'s row; a restart (was stopped, new pid) resets started_at."""
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


def daemon_rows(
    conn: Connection, *, alive_within: timedelta | None, now: datetime
) -> list[DaemonRow]:
    """Every daemon, or only those running that beat within ``alive_within`` of ``now``; by id."""
    query = select(daemons).order_by(daemons.c.id)
    if alive_within is not None:
        query = query.where(
            daemons.c.state == "running", daemons.c.last_beat_at >= now - alive_within
        )
    return [
        DaemonRow(
            id=row["id"],
            host=row["host"],
            pid=row["pid"],
            version=row["version"],
            started_at=row["started_at"],
            last_beat_at=row["last_beat_at"],
            state=cast(DaemonState, row["state"]),
        )
        for row in conn.execute(query).mappings()
    ]


def prune(conn: Connection, older_than: datetime) -> int:
    """Forget daemons whose last beat is before ``older_than``; returns how many."""
    return int(conn.execute(delete(daemons).where(daemons.c.last_beat_at < older_than)).rowcount)
