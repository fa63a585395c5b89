"""Whether the store may have changed since a moment: the token the web archive's page cache
is keyed on (``Store.change_token``).

    token at T1 == token at T2   =>  no write was committed to the store between T1 and T2
                                     (by this process or any other: daemons, other workers)
    the converse need not hold: a token may change with nothing a page shows (any commit)

    SQLite file    a counter of this process, raised whenever ``PRAGMA data_version`` of one
                   connection kept for the purpose (never used to read or write) changes: it
                   does at every commit of every other connection, in this process or another
    SQLite memory  the one connection's ``total_changes`` (no other connection can see it)
    PostgreSQL     ``pg_current_snapshot()`` as text (PostgreSQL 13+): which transactions of
                   the cluster have completed; it moves when any of them commits or aborts, in
                   any database of the cluster (more misses, never a stale hit)

A reader takes the token before it reads what it keeps under it, so what it kept is at least as
new as the token says. The connections of the pool cannot give the SQLite token: each has its
data_version of its own, and one opened anew knows nothing of the commits before it.
"""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text
from sqlalchemy.engine import Connection

from aggregator.errors import StoreUnavailableError

_SNAPSHOT = text("SELECT pg_current_snapshot()::text")
#: how long the watching connection waits for a locked SQLite file: the token is read on the web
#: server's event loop, which nothing may hold up; a read that fails skips the cache once
WATCH_TIMEOUT_S = 0.05


class ChangeCounter:
    """The change token of one store (see the module docstring); thread-safe."""

    def __init__(self, sqlite_path: str | None, busy_timeout_s: float) -> None:
        self._path = sqlite_path  # None: not a SQLite file
        self._timeout = busy_timeout_s
        self._lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None
        self._seen: int | None = None
        self._count = 0

    @property
    def watches_file(self) -> bool:
        """Whether :meth:`watched` gives the token (a SQLite file), else :meth:`token`."""
        return self._path is not None

    def token(self, conn: Connection) -> str:
        """The token of PostgreSQL or an in-memory SQLite, read on a pooled connection."""
        if conn.dialect.name != "sqlite":
            return str(conn.execute(_SNAPSHOT).scalar_one())
        raw = conn.connection.dbapi_connection  # in memory: the one connection sees all writes
        return f"memory:{raw.total_changes}"  # type: ignore[union-attr]

    def watched(self) -> str:
        """The token of a SQLite file, from the connection kept to watch it."""
        with self._lock:
            try:
                if self._watch is None:
                    self._watch = sqlite3.connect(
                        self._path or "", timeout=self._timeout, check_same_thread=False
                    )
                version = int(self._watch.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error as exc:
                self._close()
                reason = f"cannot watch the database {self._path} for changes: {exc}"
                raise StoreUnavailableError(reason) from exc
            if version != self._seen:
                self._seen = version
                self._count += 1
            return str(self._count)

    def close(self) -> None:
        """Close the watching connection (opened again when a token is asked for)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self._seen = None  # a new connection's first data_version says nothing: a change
