"""Engines for SQLite and PostgreSQL, their connection settings, and error wrapping.

SQLite: WAL, a busy timeout, foreign keys, ``synchronous=NORMAL``; transactions are begun by us
(``BEGIN`` or, for writes, ``BEGIN IMMEDIATE``) because a deferred transaction that reads and then
writes can fail at once with "database is locked" when another process wrote in between, whatever
the busy timeout. PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
    StatementError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import StaticPool

from aggregator.errors import StoreError, StoreUnavailableError

BUSY_TIMEOUT_MS = 30_000
# SQLSTATE classes about the server, the connection or the schema, not about a statement's
# values: connection exception, invalid authorization, invalid catalog name, a statement that
# cannot run at all (no such table or column: an old schema; no privilege), insufficient
# resources (disk full, out of memory, too many connections), operator intervention, system error
_UNAVAILABLE_SQLSTATE_CLASSES = frozenset({"08", "28", "3D", "42", "53", "57", "58"})
# ... and SQLite's primary result codes with that meaning: BUSY, LOCKED, NOMEM, READONLY, IOERR,
# CORRUPT, FULL, CANTOPEN, NOTADB
_UNAVAILABLE_SQLITE_CODES = frozenset({5, 6, 7, 8, 10, 11, 13, 14, 26})
# SQLSTATE classes of a refused value: data exception (NUL, encoding, value too long),
# integrity constraint violation, program limit exceeded (an index row too big), and an
# exception raised by a PL/pgSQL trigger or function
_REFUSED_VALUE_SQLSTATE_CLASSES = frozenset({"22", "23", "54", "P0"})
# execution option asking our SQLite "begin" hook for BEGIN IMMEDIATE (take the write lock now)
IMMEDIATE = "aggregator_begin_immediate"


def normalise_url(url: str) -> URL:
    """Parse a database URL; ``postgres://`` and ``postgresql://`` go to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"not a database URL: {url!r} "
            "(expected sqlite:///path/to/file.db or postgresql://user@host/dbname)"
        ) from exc
    if parsed.drivername in ("postgresql", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed.set(drivername="sqlite")
    raise StoreError(
        f"unsupported database {parsed.drivername!r} in {display_url(parsed)}: "
        "use sqlite:///path/to/file.db or postgresql://user@host/dbname"
    )


def display_url(url: URL) -> str:
    """The URL for messages: password hidden, driver name as the user would write it."""
    shown = url.set(drivername=url.get_backend_name())
    return shown.render_as_string(hide_password=True)


def _is_uri(url: URL) -> bool:
    """Whether a SQLite URL names its database as an SQLite URI ("sqlite:///file:x.db?uri=true",
    which pysqlite opens with ``uri=True``: the name is then no path as written)."""
    flag = url.query.get("uri", "")
    value = flag[-1] if isinstance(flag, tuple) else flag
    return value.lower() in {"true", "1", "yes", "on"} and (url.database or "").startswith("file:")


def is_memory(url: URL) -> bool:
    """True for an in-memory SQLite database (one shared connection, no WAL)."""
    if url.get_backend_name() != "sqlite":
        return False
    if url.database in (None, "", ":memory:"):
        return True
    return _is_uri(url) and (
        url.query.get("mode") == "memory" or url.database in ("file::memory:", "file:")
    )


def sqlite_path(url: URL) -> str | None:
    """The file of a SQLite URL as the engine opens it ("~" expanded; an SQLite URI's path
    part, "file:///data/x.db" -> /data/x.db); None in memory."""
    if is_memory(url):
        return None
    assert url.database is not None
    database = url.database
    if _is_uri(url):
        rest = database[len("file:") :]
        if rest.startswith("//"):  # an authority, empty or "localhost", then an absolute path
            rest = "/" + rest[2:].partition("/")[2]
        database = unquote(rest)
    return str(Path(database).expanduser())


def create_store_engine(url: URL) -> Engine:
    """An engine with this project's connection settings for the URL's backend."""
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError as exc:  # pragma: no cover - the drivers are dependencies
        raise StoreError(f"no database driver for {display_url(url)}: {exc}") from exc


def _sqlite_engine(url: URL) -> Engine:
    connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    if is_memory(url):
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        # sqlite3 does not expand "~"; users write sqlite:///~/aggregator.db anyway (an SQLite
        # URI is passed on as written: its path part is what the folder is made for)
        path = Path(sqlite_path(url) or "")
        if not _is_uri(url):
            url = url.set(database=str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(
                f"cannot create the folder for the database at {display_url(url)}: {exc}"
            ) from exc
        engine = create_engine(url, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # we emit BEGIN ourselves (see the module docstring), so the driver must not
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if not is_memory(url):
                _enable_wal(cur)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _enable_wal(cur: sqlite3.Cursor) -> None:
    """Switch the database file to WAL mode, waiting out another process doing the same.

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once,
    without its busy handler, while another connection (another process opening a new
    database, say) holds one; the mode is stored in the file, so once set it stays set.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = cur.execute("PRAGMA journal_mode").fetchone()
            if mode is not None and str(mode[0]).lower() == "wal":
                return
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def driver_reason(exc: SQLAlchemyError) -> str:
    """The driver's message, first line, without SQLAlchemy's boilerplate."""
    orig = exc.orig if isinstance(exc, StatementError) else None
    text = str(orig) if orig is not None else str(exc).split("\n[SQL:", 1)[0]
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def describe(exc: SQLAlchemyError, url: URL, action: str) -> str:
    """A sentence a user can act on for a database error raised while doing ``action``."""
    where = display_url(url)
    reason = driver_reason(exc)
    lowered = reason.lower()
    if isinstance(exc, OperationalError):
        if "locked" in lowered or "busy" in lowered:
            return (
                f"the database at {where} stayed locked by another process for "
                f"{BUSY_TIMEOUT_MS // 1000} s while {action}: {reason}"
            )
        if "unable to open" in lowered:
            return (
                f"cannot open the database at {where}: {reason} "
                "(check that the folder exists and is writable)"
            )
        if "connect" in lowered or "could not translate host" in lowered:
            return f"cannot reach the database at {where}: {_short_connect_reason(reason)}"
    if _no_schema(exc, reason):
        return (
            f"the database at {where} has no schema (or an old one) while {action}: {reason}; "
            "run `aggregator db upgrade`"
        )
    if isinstance(exc, IntegrityError):
        return f"the database at {where} refused {action}: {reason}"
    return f"database error at {where} while {action}: {reason}"


def _no_schema(exc: SQLAlchemyError, reason: str) -> bool:
    lowered = reason.lower()
    return "no such table" in lowered or (
        isinstance(exc, ProgrammingError) and "relation" in lowered
    )


def _old_schema(reason: str) -> bool:
    """SQLite's word for a column an older schema lacks (PostgreSQL's is SQLSTATE 42703)."""
    return "no such column" in reason.lower()


def unavailable(exc: SQLAlchemyError) -> bool:
    """Whether ``exc`` says the database cannot be used at all (unreachable, locked, full, no
    schema) rather than that it refused this statement: every further write would fail too."""
    if isinstance(exc, PoolTimeoutError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    reason = driver_reason(exc)
    if exc.connection_invalidated or _no_schema(exc, reason) or _old_schema(reason):
        return True
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _UNAVAILABLE_SQLITE_CODES
    # psycopg's own connection failures carry no SQLSTATE
    return isinstance(exc, OperationalError)


def refused_value(exc: SQLAlchemyError) -> bool:
    """Whether the database refused the values of a statement (a NUL, an index row too big, a
    constraint or a trigger saying no) while staying usable: the fault of the data written."""
    if not isinstance(exc, DBAPIError) or unavailable(exc):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate[:2] in _REFUSED_VALUE_SQLSTATE_CLASSES
    return isinstance(exc, IntegrityError | DataError)


def _short_connect_reason(reason: str) -> str:
    lowered = reason.lower()
    for needle, short in (
        ("connection refused", "connection refused (is the server running?)"),
        ("does not exist", reason),
        ("password authentication failed", "password authentication failed"),
        ("timeout", "connection timed out"),
    ):
        if needle in lowered:
            return short
    return reason


@contextmanager
def wrap_errors(url: URL, action: str) -> Iterator[None]:
    """Re-raise SQLAlchemy errors met while doing ``action`` as :class:`StoreError`."""
    try:
        yield
    # Database and driver errors (and values the driver or a column type refused). Misuse of
    # SQLAlchemy itself (ArgumentError, CompileError …) is a bug here and propagates as is.
    except (StatementError, PoolTimeoutError) as exc:
        kind = StoreUnavailableError if unavailable(exc) else StoreError
        raise kind(describe(exc, url, action)) from exc
