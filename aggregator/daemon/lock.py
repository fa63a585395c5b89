"""One daemon per SQLite database file: an exclusive lock keyed on the file for the daemon's
lifetime, whatever path names it."""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

from aggregator.errors import DaemonAlreadyRunning, StoreError
from aggregator.store import lock_file
from aggregator.store.engine import normalise_url
from aggregator.store.engine import sqlite_path as engine_sqlite_path


def sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///…`` URL names (an SQLite URI's path part too, as the store opens
    it); None for PostgreSQL and in-memory databases."""
    try:
        parsed = normalise_url(url)
    except StoreError:
        return None
    if parsed.get_backend_name() != "sqlite":
        return None
    path = engine_sqlite_path(parsed)
    return None if path is None else Path(path)


class SingleDaemonLock:
    """An exclusive ``flock`` on the database file's daemon lock for as long as the daemon runs.

    The lock file is keyed on the file, not on its path (:func:`aggregator.store.locks.lock_file`:
    beside the real file, named after its device and inode), so a second daemon reaching the
    same file through a symlink or another spelling of the path is refused too; a database that
    does not exist yet is created, empty, to be keyed on. The kernel drops the lock when the
    process ends however it ends (kill -9 included), so a stale lock file never blocks a
    restart; the pid written into it only makes the message clearer. PostgreSQL needs no lock:
    daemons share its work through leases.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path: Path | None = None
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`DaemonAlreadyRunning` naming the holder (a
        :class:`~aggregator.errors.StoreError` if the file cannot be created or has several
        hard links)."""
        self.path = path = lock_file(self.database, "daemon")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot open the daemon's lock file {path}: {exc} (check that its folder is "
                "writable)"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 400).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise DaemonAlreadyRunning(
                f"another daemon is already running on {self.database} "
                f"({holder}; lock file {path}). SQLite allows one daemon per database: "
                "stop the other one, or use PostgreSQL to run several."
            ) from None
        os.ftruncate(fd, 0)
        real = os.path.realpath(self.database.expanduser())
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}, database {real}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (the file stays: removing it would race with a starting daemon)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SingleDaemonLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
