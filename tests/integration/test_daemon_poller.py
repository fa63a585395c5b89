"""The daemon's poller on a real store and a real HTTP server: passes side by side, bounded,
and polite together."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from aggregator import clock
from aggregator.config import Settings, parse_settings
from aggregator.daemon.poller import Poller
from aggregator.pipeline.poll import PassReport, SourceReport
from aggregator.store import Store, open_store
from tests.integration.test_daemon_support import items, rss, wait_for
from tests.support.server import FeedServer


def settings_for(server: FeedServer, names: list[str]) -> Settings:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for name in names:
        lines += [
            f"  - name: {name}",
            f"    url: {server.url(f'/{name}.xml')}",
            "    kind: outlet",
            f"    publisher: {name}",
            "    interval: 1h",
        ]
    return parse_settings("\n".join(lines) + "\n")


class Seen:
    def __init__(self) -> None:
        self.sources: list[str] = []
        self.passes: list[PassReport] = []
        self.errors: list[BaseException] = []
        self.lock = threading.Lock()

    def source(self, report: SourceReport) -> None:
        with self.lock:
            self.sources.append(report.source)

    def finished(self, report: PassReport) -> None:
        with self.lock:
            self.passes.append(report)

    def failed(self, exc: BaseException) -> None:
        self.errors.append(exc)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'poller.db'}") as opened:
        yield opened


def make_poller(store: Store, seen: Seen, capacity: int) -> Poller:
    return Poller(
        store,
        owner="poller-test",
        lease=timedelta(minutes=1),
        capacity=capacity,
        rng=random.Random(1),
        on_source=seen.source,
        on_pass=seen.finished,
        on_error=seen.failed,
    )


def serve(server: FeedServer, names: list[str], delay: float) -> None:
    for name in names:
        body = rss(name, items(name, 1))
        server.add(f"/{name}.xml", body, content_type="application/rss+xml", delay=delay)


def test_no_more_sources_are_claimed_than_there_is_room_for(
    feed_server: FeedServer, store: Store
) -> None:
    names = ["a", "b", "c", "d"]
    serve(feed_server, names, delay=1.0)
    settings = settings_for(feed_server, names)
    store.sync_sources(settings.to_sources(), now=clock.now())
    seen = Seen()
    poller = make_poller(store, seen, capacity=2)
    poller.start()
    try:
        assert poller.poll(settings) == 2
        assert poller.poll(settings) == 0  # full: the next tick claims nothing
        wait_for(lambda: len(seen.sources) == 2, timeout=30, what="the first two")
        assert poller.poll(settings) == 2  # their room is free again
        assert poller.drain(30)
    finally:
        poller.close()
    assert sorted(seen.sources) == names
    assert seen.errors == []
    assert [len(p.sources) for p in seen.passes] == [2, 2]


def test_passes_side_by_side_stay_within_the_per_host_limit(
    feed_server: FeedServer, store: Store
) -> None:
    first, second = ["a", "b", "c"], ["d", "e", "f"]
    serve(feed_server, first + second, delay=0.5)
    seen = Seen()
    poller = make_poller(store, seen, capacity=200)
    poller.start()
    try:
        settings = settings_for(feed_server, first)
        store.sync_sources(settings.to_sources(), now=clock.now())
        assert poller.poll(settings) == 3
        settings = settings_for(feed_server, first + second)
        store.sync_sources(settings.to_sources(), now=clock.now())
        assert poller.poll(settings) == 3  # a second pass while the first is in flight
        assert poller.drain(60)
    finally:
        poller.close()
    assert sorted(seen.sources) == first + second
    assert len(seen.passes) == 2
    limits = settings.fetch_limits()
    assert feed_server.max_in_flight <= limits.max_per_host  # both passes, one host
