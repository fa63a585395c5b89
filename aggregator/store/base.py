"""What every part of :class:`~aggregator.store.Store` shares: the engine and its transactions.

Reads run in a plain transaction; writes on SQLite take the write lock up front
(``BEGIN IMMEDIATE``) so that concurrent processes queue on the busy timeout instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy.engine import URL, Connection, Engine

from aggregator.store.changes import WATCH_TIMEOUT_S, ChangeCounter
from aggregator.store.engine import (
    IMMEDIATE,
    display_url,
    is_memory,
    sqlite_path,
    wrap_errors,
)


class StoreBase:
    """Repository over one database. Thread-safe: each call takes its own pooled connection."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self._engine = engine
        self._url = url
        watched = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
        # the token is read on the web server's event loop: a locked file must not hold it up
        # (a failed read only skips the page cache for that request)
        self._changes = ChangeCounter(watched, WATCH_TIMEOUT_S)

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return display_url(self._url)

    @property
    def in_memory(self) -> bool:
        """True for an in-memory SQLite database, which no other process can see."""
        return is_memory(self._url)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    def close(self) -> None:
        """Release every pooled connection."""
        self._changes.close()
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with wrap_errors(self._url, action), self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with wrap_errors(self._url, action), self._engine.connect() as conn:
            conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                yield conn
