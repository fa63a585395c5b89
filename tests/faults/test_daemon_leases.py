"""A killed daemon's, or a killed ``aggregator fetch``'s, leases do not keep its sources from the
next daemon (issue #12, fault 3).

Each source answers after 20 s, so a kill lands while every source is leased; after the kill the
routes answer at once, and the next fetch of a source shows when it was taken over. Intervals
are an hour: nothing becomes due again by its schedule during a test, so a second request for
a source is a takeover. The daemons run as ``aggregator run`` with their default lease and
heartbeat unless a test says otherwise.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from aggregator import clock
from aggregator.store import open_store
from tests.integration.test_daemon_support import (
    ROOT,
    DaemonProcess,
    items,
    rss,
    wait_for,
    write_config,
)
from tests.support.server import FeedServer

SOURCES = 2  # both in flight at once: two requests a host at most (max_per_host)
SLOW = 20.0  # seconds before a source answers while the first holder runs
#: bounds every wait: a daemon's start (imports, migrations, sync) on a loaded 2-core machine
STARTUP = 60.0
#: "at once": from the new daemon's start to its fetch of every source, a tick and the fetch
AT_ONCE = 10.0


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.close()


def slow_sources(server: FeedServer) -> list[tuple[str, str]]:
    sources = []
    for n in range(SOURCES):
        body = rss(f"s{n}", items(f"s{n}", 2))
        url = server.add(f"/s{n}.xml", body, content_type="application/rss+xml", delay=SLOW)
        sources.append((f"s{n}", url))
    return sources


def answer_at_once(server: FeedServer) -> None:
    for n in range(SOURCES):
        server.add(
            f"/s{n}.xml", rss(f"s{n}", items(f"s{n}", 2)), content_type="application/rss+xml"
        )


def all_leased(server: FeedServer) -> bool:
    return all(server.count(f"/s{n}.xml") >= 1 for n in range(SOURCES))


def taken_over(server: FeedServer) -> float | None:
    """When the last source was requested a second time (time.monotonic()), once all were."""
    seconds = [server.requests_for(f"/s{n}.xml") for n in range(SOURCES)]
    if any(len(requests) < 2 for requests in seconds):
        return None
    return max(requests[1].at for requests in seconds)


def start(
    daemons: list[DaemonProcess], config: Path, url: str, log: Path, heartbeat: float | None = None
) -> DaemonProcess:
    """``aggregator run``, its lease left to the default (and its heartbeat unless given)."""
    daemon = DaemonProcess(config, url, log, entry="cli", lease=None, heartbeat=heartbeat)
    daemons.append(daemon)
    return daemon


def restart_takes_over(daemon: DaemonProcess, server: FeedServer, killed_at: float) -> None:
    """The new ``daemon`` released the dead holder's leases at start and fetched every source
    at once: within seconds of its start, not after any lease (10 min before the fix, 30 s by
    default now)."""
    wait_for(lambda: daemon.logged("daemon started"), timeout=STARTUP, what="the new daemon")
    started = time.monotonic()
    at = wait_for(lambda: taken_over(server), timeout=STARTUP, what="the takeover of every source")
    assert at - started < AT_ONCE, f"taken over {at - started:.1f} s after the start"
    assert at - killed_at < STARTUP, f"taken over {at - killed_at:.1f} s after the kill"
    (released,) = daemon.logged("released the leases of dead holders")
    assert released["leases"] == SOURCES


def test_a_restarted_daemon_fetches_a_killed_daemons_sources_at_once(
    feed_server: FeedServer, tmp_path: Path, db_url: str, daemons: list[DaemonProcess]
) -> None:
    config = write_config(tmp_path / "feeds.yaml", slow_sources(feed_server), interval="1h")
    first = start(daemons, config, db_url, tmp_path / "first.log")
    wait_for(lambda: all_leased(feed_server), timeout=STARTUP, what="the first daemon's fetches")
    first.kill()  # mid-pass: every source leased, no answer yet
    killed_at = time.monotonic()
    answer_at_once(feed_server)

    second = start(daemons, config, db_url, tmp_path / "second.log")
    restart_takes_over(second, feed_server, killed_at)

    def stored() -> bool:
        with open_store(db_url) as store:
            return len(store.articles()) == 2 * SOURCES

    wait_for(stored, timeout=30, what="every entry stored")


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_running_peer_takes_a_killed_daemons_sources_within_two_heartbeats(
    feed_server: FeedServer, tmp_path: Path, db_url: str, daemons: list[DaemonProcess]
) -> None:
    heartbeat = 2.0  # `aggregator run --heartbeat 2s`; the lease defaults to two heartbeats
    config = write_config(tmp_path / "feeds.yaml", slow_sources(feed_server), interval="1h")
    first = start(daemons, config, db_url, tmp_path / "first.log", heartbeat=heartbeat)
    wait_for(lambda: all_leased(feed_server), timeout=STARTUP, what="the first daemon's fetches")
    peer = start(daemons, config, db_url, tmp_path / "peer.log", heartbeat=heartbeat)
    wait_for(lambda: peer.logged("daemon started"), timeout=STARTUP, what="the peer's start")

    def peer_beat_a_few_times() -> bool:
        with open_store(db_url) as store:
            rows = [d for d in store.daemons(now=clock.now()) if d.pid == peer.pid]
        beats = timedelta(seconds=3 * heartbeat)
        return bool(rows) and rows[0].last_beat_at - rows[0].started_at >= beats

    wait_for(peer_beat_a_few_times, timeout=STARTUP, what="the peer's heartbeats")
    # the live holder renews its leases: the peer, ticking all along, took none of them
    assert [feed_server.count(f"/s{n}.xml") for n in range(SOURCES)] == [1] * SOURCES

    first.kill()
    killed_at = time.monotonic()
    answer_at_once(feed_server)
    at = wait_for(lambda: taken_over(feed_server), timeout=STARTUP, what="every source taken over")
    # the last renewal came at most a heartbeat before the kill and the lease is two heartbeats:
    # it lapses within two heartbeats of the kill; then a tick (1 s) and the fetch, and a loaded
    # machine's delays
    assert at - killed_at < 2 * heartbeat + 6.0, f"taken over {at - killed_at:.1f} s after the kill"
    assert not peer.logged("released the leases of dead holders")  # it lapsed: not released


def test_a_killed_fetch_does_not_hold_its_sources_from_the_daemon(
    feed_server: FeedServer, tmp_path: Path, db_url: str, daemons: list[DaemonProcess]
) -> None:
    config = write_config(tmp_path / "feeds.yaml", slow_sources(feed_server), interval="1h")
    fetch = subprocess.Popen(
        [sys.executable, "-m", "aggregator.cli", "--config", str(config), "--db", db_url, "fetch"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: all_leased(feed_server), timeout=STARTUP, what="the fetch's requests")
    finally:
        fetch.kill()
        fetch.wait(timeout=10)
    killed_at = time.monotonic()
    answer_at_once(feed_server)

    daemon = start(daemons, config, db_url, tmp_path / "daemon.log")
    restart_takes_over(daemon, feed_server, killed_at)
