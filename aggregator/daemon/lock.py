"""One daemon per SQLite database: an exclusive lock file beside it for the daemon's lifetime."""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote

from aggregator.errors import DaemonAlreadyRunning


def sqlite_path(url: str) -> Path | None:
    """The file a ``sqlite:///…`` URL names; None for PostgreSQL and in-memory databases."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            path = unquote(url[len(prefix) :].split("?", 1)[0])
            return None if path in ("", ":memory:") else Path(path).expanduser()
    return None


class SingleDaemonLock:
    """An exclusive ``flock`` on ``<database>.daemon.lock`` for as long as the daemon runs.

    The kernel drops the lock when the process ends however it ends (kill -9 included), so a
    stale lock file never blocks a restart; the pid written into it only makes the message
    clearer. PostgreSQL needs no lock: daemons share its work through leases.
    """

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".daemon.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`DaemonAlreadyRunning` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise DaemonAlreadyRunning(
                f"another daemon is already running on {self.database} "
                f"({holder}; lock file {self.path}). SQLite allows one daemon per database: "
                "stop the other one, or use PostgreSQL to run several."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (the file stays: removing it would race with a starting daemon)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SingleDaemonLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
