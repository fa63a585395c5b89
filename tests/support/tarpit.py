"""A TCP tarpit on 127.0.0.1 (port 0) that holds an SMTP client up where a test wants it.

    with Tarpit("connect") as pit:    # the accept queue is full: the client's connect() hangs
        ...                           # (its socket sits in SYN_SENT: see syn_sent_to)
    with Tarpit("greeting") as pit:   # connections are accepted, the 220 greeting never comes
        wait_for(lambda: pit.accepted >= 1, ...)

The kernel does the holding up: in "connect" mode the listening socket has a backlog of 0 and
one connection of our own already fills its queue, so the SYN of every further client is
dropped and retried until the client gives up.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType
from typing import Literal

Mode = Literal["connect", "greeting"]
_SYN_SENT = "02"


class Tarpit:
    """See the module docstring."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.accepted = 0

    def __enter__(self) -> Tarpit:
        if self.mode == "connect":
            filler = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            self._held.append(filler)  # never accepted: the queue stays full
        else:
            self._listener.settimeout(0.05)
            self._thread = threading.Thread(target=self._accept, daemon=True)
            self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._held.append(conn)  # say nothing, ever
                self.accepted += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            held, self._held = self._held, []
        for sock in [*held, self._listener]:
            with contextlib.suppress(OSError):
                sock.close()


def syn_sent_to(port: int) -> bool:
    """True while some socket of this machine's network namespace is connecting to
    127.0.0.1:``port`` and has had no answer (TCP state SYN_SENT, from /proc/net/tcp)."""
    with open("/proc/net/tcp", encoding="ascii") as table:
        next(table)
        for line in table:
            fields = line.split()
            remote, state = fields[2], fields[3]
            if state == _SYN_SENT and int(remote.split(":")[1], 16) == port:
                return True
    return False
