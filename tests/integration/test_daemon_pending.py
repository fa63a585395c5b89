"""Work stored by another process is processed by the running daemon.

``aggregator backfill --no-process`` and ``aggregator fetch`` on another machine store articles
that none of the daemon's own polls saw; the daemon's periodic look at pending work
(``DaemonOptions.pending_check``, 1 s here) extracts and groups them all the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aggregator import clock
from aggregator.config import Settings, load_settings
from aggregator.daemon import Daemon, DaemonOptions, jobs
from aggregator.model import Article
from aggregator.pipeline.process import ProcessReport
from aggregator.store import Store, open_store
from aggregator.web.made import MadeReport, fingerprint, make_pages
from tests.integration.test_daemon_support import rss, wait_for, write_config
from tests.support.server import FeedServer

TEXT = (
    "The spokesperson of the lakeland foreign ministry said on Monday that "
    '"the reopening of the river crossing must wait for the inspectors", '
    "adding that a date would be set by the end of the month."
)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def backfilled(guid: str) -> Article:
    """An archive entry as a backfill stores it (our own writing)."""
    url = f"https://lakeland.example.org/news/{guid}"
    return Article(
        source="lakeland",
        guid=guid,
        url=url,
        title="Crossing to stay closed until the inspection",
        summary=TEXT,
        text=TEXT,
        html=None,
        published=datetime(2026, 11, 20, 9, tzinfo=UTC),
        updated=None,
        language="en",
        author=None,
        content_hash=f"hash-{guid}",
        link=url,
    )


def test_articles_stored_by_another_process_get_statements_and_an_event(
    store: Store, feed_server: FeedServer, tmp_path: Path
) -> None:
    # the daemon's own feed is empty and polled hourly: none of its polls stores anything
    url = feed_server.add("/lakeland.xml", rss("lakeland", []), content_type="application/rss+xml")
    settings = load_settings(
        write_config(tmp_path / "feeds.yaml", [("lakeland", url)], interval="1h")
    )
    runs: list[ProcessReport] = []

    def process(store: Store, settings: Settings) -> ProcessReport:
        runs.append(jobs.process(store, settings))
        return runs[-1]

    daemon = Daemon(
        store,
        settings,
        options=DaemonOptions(tick=0.1, heartbeat=60, pending_check=1.0, catch_up=False),
        process=process,
    )
    daemon.start()
    try:
        wait_for(lambda: feed_server.count("/lakeland.xml") >= 1, timeout=10, what="the first poll")
        wait_for(lambda: runs, timeout=10, what="the start-up processing run")
        # as `aggregator backfill --no-process` would, from another process
        report = store.save_entries("lakeland", [backfilled("archive-1")], now=clock.now())
        assert report.new == 1
        (article,) = store.articles(source="lakeland")

        def statements() -> int:
            return len(store.statements_for_articles([article.id])[article.id])

        wait_for(statements, timeout=15, what="statements of the backfilled article")
        wait_for(
            lambda: not any(store.articles_for_grouping()),
            timeout=15,
            what="grouping of the backfilled article",
        )
    finally:
        assert daemon.stop()
    assert feed_server.count("/lakeland.xml") == 1  # it came from no poll of the daemon's
    assert runs[0].extracted == 0  # the start-up run was over before the article was stored
    (found,) = store.statements_for_articles([article.id])[article.id]
    assert "river crossing" in found.statement.text
    assert store.events_in_period(
        datetime(2026, 11, 19, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)
    )


@pytest.mark.parametrize("stored_pages", [True, False])
def test_the_daemon_makes_pages_after_processing_when_configured(
    store: Store, feed_server: FeedServer, tmp_path: Path, stored_pages: bool
) -> None:
    url = feed_server.add("/lakeland.xml", rss("lakeland", []), content_type="application/rss+xml")
    config = write_config(
        tmp_path / "feeds.yaml",
        [("lakeland", url)],
        interval="1h",
        settings=["  web:", f"    stored_pages: {'true' if stored_pages else 'false'}"],
    )
    settings = load_settings(config)
    made: list[MadeReport] = []

    def pages(store: Store, settings: Settings) -> MadeReport:
        made.append(make_pages(store, settings))
        return made[-1]

    daemon = Daemon(
        store,
        settings,
        options=DaemonOptions(tick=0.1, heartbeat=60, pending_check=1.0, catch_up=False),
        after_process=pages,
    )
    daemon.start()
    try:
        store.save_entries("lakeland", [backfilled("archive-1")], now=clock.now())
        wait_for(
            lambda: not any(store.articles_for_grouping()) and store.stats()["events"],
            timeout=15,
            what="the article processed",
        )
        if stored_pages:
            wait_for(
                lambda: store.page_counts(fingerprint(None))["event"] == 1,
                timeout=15,
                what="its event's page made",
            )
    finally:
        assert daemon.stop()  # the processing run under way, and what follows it, end first
    assert bool(made) == stored_pages
    assert store.page_counts(fingerprint(None))["event"] == (1 if stored_pages else 0)
