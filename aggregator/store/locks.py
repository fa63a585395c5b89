"""Named locks between processes: at most one holder of, say, "grouping" per database. Never waits.

- PostgreSQL: a session-level ``pg_try_advisory_lock`` on a connection kept for the block and
  unlocked at its end (advisory locks belong to one database, so other databases do not compete).
- SQLite file: a non-blocking ``flock`` on a lock file keyed on the database *file*, not on the
  path that names it (:func:`lock_file`): a symlink, another spelling of the path or a folder
  reached twice all come to the same lock.
- In-memory SQLite: always granted (no other process can see the database).

On both backends the lock dies with its holder however it ends (the kernel drops the ``flock``;
PostgreSQL ends the session), so a crash never leaves a stale lock. The lock is not re-entrant:
a second ``exclusive`` with the same name while the first is held, even in the same process, is
refused.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from aggregator.errors import StoreError
from aggregator.store.engine import is_memory, wrap_errors

# a name becomes part of a file name: keep it to a safe alphabet
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


def lock_key(name: str) -> int:
    """The PostgreSQL advisory lock key of ``name``: a signed 64-bit integer, the same in every
    process and Python run (``hash()`` is salted per process, so it would not do)."""
    digest = hashlib.sha256(f"aggregator:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file(database: Path, name: str) -> Path:
    """The lock file of ``name`` for the SQLite database file at ``database``, however named.

    It sits in the folder where the file really is (symlinks resolved) and is named after the
    file's device and inode, ``aggregator-<dev>-<ino>.<name>.lock``: a symlink, another spelling
    of the path, or the folder reached by another path (a bind mount) all lead to it. A database
    that does not exist yet is created first, empty (which SQLite reads as an empty database),
    so that it has an inode. A file with several hard links is refused: a lock beside one link
    cannot see another link's folder, and SQLite itself, which names its -wal and -journal
    files after the path, corrupts such a file when it is opened by two names.
    """
    real = Path(os.path.realpath(database.expanduser()))
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):
            # a new file only (O_EXCL): never open and close a database file SQLite may hold,
            # which would drop its POSIX locks in this process
            os.close(os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        found = os.stat(real)
    except OSError as exc:
        raise StoreError(
            f"cannot create or read the database file {real}: {exc} "
            "(check that its folder exists and is writable)"
        ) from exc
    if found.st_nlink > 1:
        raise StoreError(
            f"the database file {real} has {found.st_nlink} hard links: SQLite names its "
            "journal after the path, so two names of one file corrupt it, and no lock can tell "
            "them apart; keep one name (a symlink is fine) and remove the other links"
        )
    return real.parent / f"aggregator-{found.st_dev}-{found.st_ino}.{name}.lock"


def exclusive(engine: Engine, url: URL, name: str) -> AbstractContextManager[bool]:
    """See :meth:`aggregator.store.Store.exclusive` (this returns its context manager)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"lock name {name!r} must be 1-64 letters, digits, '_' or '-'")
    if url.get_backend_name() == "postgresql":
        return _advisory(engine, url, name)
    if is_memory(url):
        return _granted()
    assert url.database is not None
    return _flock(lock_file(Path(url.database), name))


@contextmanager
def _granted() -> Iterator[bool]:
    yield True


@contextmanager
def _advisory(engine: Engine, url: URL, name: str) -> Iterator[bool]:
    key = lock_key(name)
    with wrap_errors(url, f"taking the {name!r} lock"):
        conn = engine.connect()
        try:
            held = bool(conn.execute(select(func.pg_try_advisory_lock(key))).scalar_one())
            # the lock belongs to the session, not the transaction: end the transaction so the
            # connection does not sit "idle in transaction" for the whole block
            conn.commit()
        except BaseException:
            conn.close()
            raise
    try:
        yield held
    finally:
        if held:
            _advisory_unlock(conn, key)
        conn.close()


def _advisory_unlock(conn: Connection, key: int) -> None:
    try:
        conn.execute(select(func.pg_advisory_unlock(key)))
        conn.commit()
    except SQLAlchemyError:
        # the session is broken (a lost connection already dropped the lock); make sure the pool
        # never hands it out again still holding the lock, and do not hide the block's own error
        conn.invalidate()


@contextmanager
def _flock(path: Path) -> Iterator[bool]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"cannot open the lock file {path}: {exc} (check that its folder is writable)"
        ) from exc
    try:
        held = _try_flock(fd)
        if held:
            # only for a human looking at the file (who holds it), so a full disk is no error
            with suppress(OSError):
                os.ftruncate(fd, 0)
                os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        yield held
    finally:
        os.close(fd)  # closing the descriptor drops the lock; the file stays (see daemon/lock.py)


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
