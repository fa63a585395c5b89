"""A slow source does not hold up the others (issue #12, fault 8): a source due every second is
fetched on its interval while another source's answer takes ten seconds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aggregator.model import FetchOutcome
from aggregator.store import open_store
from tests.integration.test_daemon_support import DaemonProcess, items, rss, wait_for, write_config
from tests.support.server import FeedServer

SLOW = 10.0  # seconds the slow source takes to answer
INTERVAL = 1.0  # the fast source's interval (±10 % jitter); the daemon ticks every 0.2 s


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.close()


def test_a_fast_source_is_polled_on_its_interval_while_a_slow_one_is_in_flight(
    feed_server: FeedServer, tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    slow = feed_server.add(
        "/slow.xml", rss("slow", items("slow", 1)), content_type="application/rss+xml", delay=SLOW
    )
    fast = feed_server.add(
        "/fast.xml", rss("fast", items("fast", 1)), content_type="application/rss+xml", etag=True
    )
    url = f"sqlite:///{tmp_path / 'polling.db'}"
    config = write_config(tmp_path / "feeds.yaml", [("slow", slow), ("fast", fast)], interval="1s")
    daemon = DaemonProcess(config, url, tmp_path / "daemon.log")
    daemons.append(daemon)

    def slow_answered() -> bool:
        with open_store(url) as store:
            return any(r.outcome is FetchOutcome.OK for r in store.recent_fetch_log("slow"))

    wait_for(slow_answered, timeout=60, what="the slow source's first answer")
    asked = feed_server.requests_for("/slow.xml")[0].at
    during = [r.at for r in feed_server.requests_for("/fast.xml") if asked < r.at < asked + SLOW]
    # about SLOW / INTERVAL fetches; waiting for the slow answer would allow one at most
    assert len(during) >= SLOW / INTERVAL / 2, (
        f"the fast source was fetched {len(during)} times in the {SLOW:g} s the slow one took"
    )
    with open_store(url) as store:
        fast_log = store.recent_fetch_log("fast", limit=100)
    assert all(r.outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED) for r in fast_log)
    assert daemon.terminate() == 0
