"""The daemon as a real process over SQLite, against feeds served on loopback.

Intervals are 2 s and the tick 0.2 s; every wait is bounded.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from aggregator import clock
from aggregator.model import FetchOutcome
from aggregator.store import open_store
from tests.integration.test_daemon_support import (
    DaemonProcess,
    items,
    rss,
    wait_for,
    write_config,
)
from tests.support.server import FeedServer

pytestmark = pytest.mark.fault

INTERVAL = 2.0
#: a daemon's start (imports, migrations, sync) and its first fetch, on a loaded 2-core machine
STARTUP = 60


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'daemon.db'}"


@pytest.fixture
def daemons(tmp_path: Path) -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.close()


def start(
    daemons: list[DaemonProcess], config: Path, url: str, tmp_path: Path, **kwargs: object
) -> DaemonProcess:
    daemon = DaemonProcess(config, url, tmp_path / f"daemon-{len(daemons)}.log", **kwargs)  # type: ignore[arg-type]
    daemons.append(daemon)
    return daemon


def article_titles(url: str) -> list[str]:
    with open_store(url) as store:
        return sorted(a.title for a in store.articles())


def test_new_entry_is_stored_and_processed_within_two_intervals_and_a_404_disturbs_nothing(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    feed = items("north", 3)
    good = feed_server.add(
        "/good.xml", rss("north", feed), content_type="application/rss+xml", etag=True
    )
    broken = feed_server.url("/missing.xml")  # 404
    config = write_config(tmp_path / "feeds.yaml", [("good", good), ("broken", broken)])
    daemon = start(daemons, config, sqlite_url, tmp_path)

    wait_for(
        lambda: len(article_titles(sqlite_url)) == 3, timeout=STARTUP, what="the first 3 entries"
    )
    newer = ("north-new", "A new statement on the border talks", feed[0][2] + timedelta(hours=1))
    feed_server.add(
        "/good.xml", rss("north", [newer, *feed]), content_type="application/rss+xml", etag=True
    )
    changed_at = time.monotonic()
    wait_for(lambda: newer[1] in article_titles(sqlite_url), timeout=30, what="the new entry")
    stored_after = time.monotonic() - changed_at
    # due within one interval (+10 % jitter) of the previous fetch, seen on the next tick
    assert stored_after <= 2 * INTERVAL + 1.0, f"stored {stored_after:.1f} s after it appeared"

    def grouped() -> bool:
        with open_store(sqlite_url) as store:
            return not any(batch for batch in store.articles_for_grouping())

    wait_for(grouped, timeout=2 * INTERVAL + 5, what="extraction and grouping of every article")

    with open_store(sqlite_url) as store:
        good_log = store.recent_fetch_log("good", limit=100)
        broken_log = store.recent_fetch_log("broken", limit=100)
        status = {s.name: s for s in store.source_status()}
    assert broken_log
    assert all(row.outcome is FetchOutcome.FAILED for row in broken_log)
    assert all(row.http_status == 404 for row in broken_log)
    assert {row.outcome for row in good_log} <= {FetchOutcome.OK, FetchOutcome.NOT_MODIFIED}
    assert len(good_log) >= 2
    assert status["good"].consecutive_failures == 0
    assert status["broken"].consecutive_failures >= 1  # backing off, the others unaffected
    assert daemon.terminate() == 0


def test_sigterm_drains_in_flight_fetches_releases_leases_and_exits_zero(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    slow = feed_server.add(
        "/slow.xml", rss("slow", items("slow", 2)), content_type="application/rss+xml", delay=1.5
    )
    config = write_config(tmp_path / "feeds.yaml", [("slow", slow)], interval="1h")
    daemon = start(daemons, config, sqlite_url, tmp_path)
    wait_for(lambda: feed_server.count("/slow.xml") >= 1, timeout=STARTUP, what="the slow fetch")
    assert daemon.terminate() == 0  # sent while the slow answer is still being waited for

    with open_store(sqlite_url) as store:
        log_rows = store.recent_fetch_log("slow")
        leased = store.claim_due(
            now=clock.now(), owner="probe", lease=timedelta(seconds=1), force=True
        )
        beats = store.daemons(now=clock.now())
    assert [r.outcome for r in log_rows] == [FetchOutcome.OK]  # finished, not abandoned
    assert [s.source.name for s in leased] == ["slow"]  # no lease left behind
    assert [b.state for b in beats] == ["stopped"]
    stopped = daemon.logged("daemon stopped")
    assert stopped
    assert stopped[0]["drained"] is True


def test_kill_9_and_restart_leave_no_duplicates(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    feeds = {f"src{n}": items(f"src{n}", 6) for n in range(4)}
    sources = []
    for name, feed in feeds.items():
        url = feed_server.add(f"/{name}.xml", rss(name, feed), content_type="application/rss+xml")
        sources.append((name, url))
    config = write_config(tmp_path / "feeds.yaml", sources)
    first = start(daemons, config, sqlite_url, tmp_path)
    wait_for(lambda: feed_server.count() >= 6, timeout=STARTUP, what="fetching to begin")
    first.kill()  # whatever it was doing, it does no more

    second = start(daemons, config, sqlite_url, tmp_path)
    expected = sorted(title for feed in feeds.values() for _, title, _ in feed)
    wait_for(lambda: article_titles(sqlite_url) == expected, timeout=STARTUP, what="all entries")

    def settled() -> dict[str, int] | None:
        with open_store(sqlite_url) as store:
            pending = any(batch for batch in store.articles_for_grouping())
            return None if pending else store.stats()

    before = wait_for(settled, timeout=30, what="processing to finish")
    second.kill()
    third = start(daemons, config, sqlite_url, tmp_path)
    wait_for(lambda: len(third.logged("daemon started")) == 1, timeout=STARTUP, what="the restart")
    # two more polling rounds over the unchanged feeds, counted at the server
    polled = feed_server.count()
    wait_for(
        lambda: feed_server.count() >= polled + 2 * len(sources),
        timeout=STARTUP,
        what="two more polling rounds",
    )
    after = wait_for(settled, timeout=30, what="processing to finish")
    assert third.terminate() == 0
    assert after == before
    assert before["articles"] == len(expected)


def test_a_second_daemon_on_the_same_sqlite_database_refuses_to_start(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    url = feed_server.add("/a.xml", rss("a", items("a", 1)), content_type="application/rss+xml")
    config = write_config(tmp_path / "feeds.yaml", [("a", url)])
    first = start(daemons, config, sqlite_url, tmp_path)
    wait_for(lambda: first.logged("daemon started"), timeout=STARTUP, what="the first daemon")
    second = start(daemons, config, sqlite_url, tmp_path)
    assert second.wait(timeout=STARTUP) == 1
    assert "another daemon is already running" in second.log_text()
    assert "use PostgreSQL to run several" in second.log_text()
    assert first.process.poll() is None
    assert first.terminate() == 0
    third = start(daemons, config, sqlite_url, tmp_path)  # the lock went with the first
    wait_for(lambda: third.logged("daemon started"), timeout=STARTUP, what="a later daemon")
    assert third.terminate() == 0


def test_sighup_reloads_sources_and_a_bad_file_keeps_the_old_configuration(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    a = feed_server.add("/a.xml", rss("a", items("a", 1)), content_type="application/rss+xml")
    b = feed_server.add("/b.xml", rss("b", items("b", 1)), content_type="application/rss+xml")
    config = write_config(tmp_path / "feeds.yaml", [("alpha", a)])
    daemon = start(daemons, config, sqlite_url, tmp_path)
    wait_for(lambda: feed_server.count("/a.xml") >= 1, timeout=STARTUP, what="alpha's first fetch")

    write_config(config, [("beta", b)])
    daemon.signal(signal.SIGHUP)
    wait_for(lambda: feed_server.count("/b.xml") >= 1, timeout=30, what="beta after the reload")
    with open_store(sqlite_url) as store:
        status = {s.name: s for s in store.source_status()}
    assert status["beta"].enabled
    assert not status["alpha"].enabled

    config.write_text("sources:\n  - name: Not A Slug\n", encoding="utf-8")
    daemon.signal(signal.SIGHUP)
    wait_for(
        lambda: daemon.logged("reload refused, keeping the previous configuration"),
        timeout=30,
        what="the refusal",
    )
    fetched = feed_server.count("/b.xml")
    wait_for(lambda: feed_server.count("/b.xml") > fetched, timeout=30, what="beta still polled")
    assert daemon.process.poll() is None
    assert daemon.terminate() == 0


def test_a_restarted_daemon_takes_over_a_dead_daemons_leases_at_once(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    """The restarted daemon holds the one-daemon lock, so the dead daemon's leases are released
    at start, however long they were taken for."""
    slow = feed_server.add(
        "/slow.xml", rss("slow", items("slow", 2)), content_type="application/rss+xml", delay=20
    )
    config = write_config(tmp_path / "feeds.yaml", [("slow", slow)], interval="1h")
    first = start(daemons, config, sqlite_url, tmp_path, lease="10m")
    wait_for(lambda: feed_server.count("/slow.xml") >= 1, timeout=STARTUP, what="the slow fetch")
    first.kill()  # dies holding the lease
    killed_at = time.monotonic()
    feed_server.add("/slow.xml", rss("slow", items("slow", 2)), content_type="application/rss+xml")
    second = start(daemons, config, sqlite_url, tmp_path, lease="10m")
    wait_for(lambda: feed_server.count("/slow.xml") >= 2, timeout=STARTUP, what="the takeover")
    assert feed_server.requests_for("/slow.xml")[1].at - killed_at < STARTUP, "not the 10-min lease"
    wait_for(lambda: len(article_titles(sqlite_url)) == 2, timeout=30, what="the entries")
    released = second.logged("released the leases of dead holders")
    assert released
    assert released[0]["leases"] == 1
    assert second.terminate() == 0


def test_work_still_running_after_the_grace_period_is_abandoned_and_the_exit_is_prompt(
    feed_server: FeedServer, tmp_path: Path, sqlite_url: str, daemons: list[DaemonProcess]
) -> None:
    stuck = feed_server.add(
        "/stuck.xml", rss("stuck", items("stuck", 1)), content_type="application/rss+xml", delay=20
    )
    config = write_config(tmp_path / "feeds.yaml", [("stuck", stuck)], interval="1h")
    daemon = start(daemons, config, sqlite_url, tmp_path, grace=1.0)
    wait_for(lambda: feed_server.count("/stuck.xml") >= 1, timeout=STARTUP, what="the stuck fetch")
    asked = time.monotonic()
    assert daemon.terminate(timeout=10) == 0
    assert time.monotonic() - asked < 6  # the grace period (1 s), not the 20 s answer
    stopped = daemon.logged("daemon stopped")
    assert stopped
    assert stopped[0]["drained"] is False
    with open_store(sqlite_url) as store:
        leased = store.claim_due(
            now=clock.now(), owner="probe", lease=timedelta(seconds=1), force=True
        )
    assert [s.source.name for s in leased] == ["stuck"]  # its lease was given back
