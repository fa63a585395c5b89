"""Two daemons sharing one PostgreSQL database: leases split the sources, the ledger the digest."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.integration.test_daemon_support import DaemonProcess, items, rss, wait_for
from tests.support.server import FeedServer

SOURCES = 100
INTERVAL = 2.0
pytestmark = [pytest.mark.postgres, pytest.mark.fault]


class Inbox:
    """An SMTP handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(envelope.content)
        return "250 OK"


class LoopbackSMTP(Controller):
    """aiosmtpd on 127.0.0.1, port chosen by the kernel."""

    def __init__(self, handler: Inbox) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=0)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        async def create() -> asyncio.AbstractServer:
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=0
            )
            self.port = server.sockets[0].getsockname()[1]
            return server

        return create()


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    controller = LoopbackSMTP(handler)
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.close()


def config(path: Path, server: FeedServer, smtp_port: int, *, count: int = SOURCES) -> Path:
    lines = [
        "settings:",
        "  allow_private_networks: true",
        f"  smtp: {{host: 127.0.0.1, port: {smtp_port}}}",
        "sources:",
    ]
    for n in range(count):
        url = server.add(
            f"/s{n}.xml",
            rss(f"s{n}", items(f"s{n}", 1)),
            content_type="application/rss+xml",
            etag=True,
        )
        lines += [
            f"  - name: s{n}",
            f"    url: {url}",
            "    kind: outlet",
            f"    publisher: Outlet {n}",
            "    interval: 2s",
        ]
    # 00:00 UTC has passed today: both daemons catch yesterday's digest up on start
    lines += [
        "subscriptions:",
        "  - name: daily",
        "    recipients: [analyst@example.org]",
        '    send_at: "00:00"',
        "    timezone: UTC",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_daemons_share_100_sources_and_send_one_digest(
    feed_server: FeedServer,
    tmp_path: Path,
    db_url: str,
    daemons: list[DaemonProcess],
    inbox: tuple[Inbox, int],
) -> None:
    handler, port = inbox
    path = config(tmp_path / "feeds.yaml", feed_server, port)
    # each daemon holds at most 10 sources claimed: one whose ticks happen to fall first can
    # no longer claim all 100 as they fall due, so both must take part, whatever the timing
    first = DaemonProcess(path, db_url, tmp_path / "a.log", extra=("--batch", "10"))
    daemons.append(first)
    second = DaemonProcess(path, db_url, tmp_path / "b.log", extra=("--batch", "10"))
    daemons.append(second)
    for daemon in daemons:
        wait_for(lambda d=daemon: d.logged("daemon started"), timeout=60, what="start-up")

    def every_source_fetched_twice() -> bool:
        counts: dict[str, int] = {}
        for request in feed_server.requests:
            counts[request.path] = counts.get(request.path, 0) + 1
        return len(counts) == SOURCES and min(counts.values()) >= 2

    wait_for(every_source_fetched_twice, timeout=60, what="two rounds over every source")
    assert first.terminate() == 0
    assert second.terminate() == 0

    by_path: dict[str, list[float]] = {}
    for request in feed_server.requests:
        by_path.setdefault(request.path, []).append(request.at)
    assert len(by_path) == SOURCES
    for path_name, times in by_path.items():
        gaps = [b - a for a, b in itertools.pairwise(times)]
        # an interval of 2 s with ±10 % jitter: a second fetch within 1.5 s is a double fetch
        assert all(gap >= 1.5 for gap in gaps), f"{path_name} fetched twice: {gaps}"
        assert len(times) >= 2
    shares = [sum(int(r.get("sources", 0)) for r in d.logged("poll")) for d in daemons]
    assert all(share > 0 for share in shares), f"the work was not shared: {shares}"
    assert sum(shares) == len(feed_server.requests)
    assert len(handler.messages) == 1  # both caught the digest up; the ledger let one send


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_killed_daemons_leases_are_taken_over_by_the_other(
    feed_server: FeedServer,
    tmp_path: Path,
    db_url: str,
    daemons: list[DaemonProcess],
    inbox: tuple[Inbox, int],
) -> None:
    """Started on the same machine after the kill, the second daemon knows the first is gone
    (its pid no longer runs) and takes its leases at once, however long they were taken for.
    (A peer that was already running waits for the leases to lapse: tests/faults.)"""
    path = config(tmp_path / "feeds.yaml", feed_server, inbox[1], count=10)
    for n in range(10):  # every answer takes 20 s: the first daemon dies holding leases
        feed_server.add(
            f"/s{n}.xml",
            rss(f"s{n}", items(f"s{n}", 1)),
            content_type="application/rss+xml",
            delay=20,
        )
    first = DaemonProcess(path, db_url, tmp_path / "a.log", lease="10m")
    daemons.append(first)
    # all ten are claimed at once; two are asked for (two requests a host), the rest wait
    wait_for(lambda: feed_server.count() >= 2, timeout=30, what="the first daemon's claims")
    first.kill()
    killed_at = time.monotonic()
    feed_server.clear_log()
    for n in range(10):
        feed_server.add(
            f"/s{n}.xml", rss(f"s{n}", items(f"s{n}", 1)), content_type="application/rss+xml"
        )
    second = DaemonProcess(path, db_url, tmp_path / "b.log", lease="10m")
    daemons.append(second)
    wait_for(
        lambda: len({r.path for r in feed_server.requests}) == 10,
        timeout=30,
        what="the takeover of every source",
    )
    first_asked: dict[str, float] = {}
    for request in feed_server.requests:
        first_asked.setdefault(request.path, request.at)
    assert max(first_asked.values()) - killed_at < 20  # not the 10-min lease
    assert second.terminate() == 0
