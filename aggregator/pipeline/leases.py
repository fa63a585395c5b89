"""Who holds a lease or a claim, how a live holder keeps it, and when a holder is provably gone.

A source's lease and a digest's claim name their holder by an owner id unique to one process,
``host:pid:random`` (:func:`process_owner`). Both expire: a holder that dies stops renewing, and
what it held comes back. A live holder renews what it holds while it works (the daemon from its
heartbeat, a one-off command from a :class:`Renewal` thread), so leases can be short: a dead
holder's come back within one lease, however it died and on whatever machine.

Sooner than that, a holder may be *provably* gone: one on this machine whose process no longer
exists (:func:`holder_gone`). Such proof is only ever used to take over sooner what a dead
process held; a wrong guess (two machines with one host name) could at worst let two processes
work on the same thing, which the store's conditional writes already make harmless.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from aggregator.errors import AggregatorError

log = logging.getLogger("aggregator.leases")  # the name its records carried before the move


def process_owner() -> str:
    """A lease owner id unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_process(owner: str) -> tuple[str, int] | None:
    """The (host, pid) an owner id made by :func:`process_owner` names; None for other ids."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def holder_gone(owner: str) -> bool:
    """True when ``owner`` was a process on this machine that no longer runs (or is a zombie).

    False whenever that cannot be proven: another machine, an id of another form, this very
    process, or a process that exists (perhaps a later one that reused the pid: then its lease
    is simply waited out).
    """
    found = owner_process(owner)
    if found is None:
        return False
    host, pid = found
    if host != socket.gethostname() or pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but was not yet reaped by its parent still has its pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False  # no /proc (not Linux): it exists, so it is taken as alive
    # "pid (comm) state …": comm may hold spaces and parentheses, the state follows the last ")"
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


class Renewal:
    """Call ``renew`` every ``every`` seconds on a thread for the duration of a ``with`` block.

    For a one-off command's leases (the daemon renews from its heartbeat instead). A renewal
    that fails is logged and tried again at the next turn: the worst a missed one does is let a
    lease lapse, after which another process may take the work over.
    """

    def __init__(self, renew: Callable[[], object], every: float, *, what: str) -> None:
        if every <= 0:
            raise ValueError(f"a renewal period must be positive, got {every}")
        self._renew = renew
        self._every = every
        self._what = what
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"renew {what}", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._renew()
            except AggregatorError as exc:
                log.warning("could not renew %s: %s", self._what, exc)

    def __enter__(self) -> Renewal:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        # a turn stuck on the database is not waited out: what it renews is released by now
        self._thread.join(timeout=5)
