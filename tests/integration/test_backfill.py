"""The backfill against real stores: archives served on loopback, saved folders, the corpus."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aggregator.backfill import BackfillReport, run_backfill
from aggregator.config import Settings, parse_settings
from aggregator.parse import parse_feed
from aggregator.store import Store, open_store
from tests.integration.test_daemon_support import rss
from tests.support.server import Exchange, FeedServer

RSS = "application/rss+xml"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'backfill.db'}") as opened:
        yield opened


def settings_for(sources: Sequence[dict[str, str]]) -> Settings:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for source in sources:
        lines.append(f"  - name: {source['name']}")
        lines += [f"    {k}: {v}" for k, v in source.items() if k != "name"]
        lines += ["    kind: official", "    publisher: Test Ministry"]
    return parse_settings("\n".join(lines) + "\n")


def backfill(
    store: Store, settings: Settings, since: date, until: date, **kwargs: Any
) -> BackfillReport:
    return run_backfill(
        store, settings, since=since, until=until, progress=False, process=False, **kwargs
    )


def day_items(prefix: str, first: date, count: int) -> list[tuple[str, str, datetime]]:
    """One item a day going back from ``first``."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    return [
        (f"{prefix}-{n}", f"Briefing number {n} of {prefix}", start - timedelta(days=n))
        for n in range(count)
    ]


def archived(name: str, entries: list[tuple[str, str, datetime]], prev: str | None) -> bytes:
    """An RSS page with an RFC 5005 prev-archive link."""
    body = rss(name, entries).decode()
    if prev is not None:
        atom = 'xmlns:atom="http://www.w3.org/2005/Atom"'
        link = f'<atom:link {atom} rel="prev-archive" href="{prev}"/>'
        body = body.replace("<channel>", "<channel>" + link, 1)
    return body.encode()


# ---------------------------------------------------------------------------- the corpus


def test_whitehouse_series_union_in_range_without_duplicates_twice_over(
    corpora: Path, store: Store
) -> None:
    folder = corpora / "realfeeds" / "feeds" / "whitehouse_series"
    since, until = date(2026, 1, 1), date(2026, 6, 30)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2026, 7, 1, tzinfo=UTC)
    expected: set[str] = set()
    seen_anywhere = 0
    for path in sorted(folder.glob("*.xml")):
        for a in parse_feed(path.read_bytes(), source="wh", url=path.as_uri()).articles:
            seen_anywhere += 1
            when = a.published or a.updated
            if when is not None and start <= when < end:
                expected.add(a.guid)
    assert 10 < len(expected) < seen_anywhere  # the range cuts the series, overlaps collapse

    settings = settings_for([{"name": "wh", "url": "https://www.whitehouse.gov/feed/"}])
    first = backfill(store, settings, since, until, sources=["wh"], from_dir=folder)
    assert first.sources[0].pages == 11
    assert first.new == len(expected)
    assert store.known_guids("wh", sorted(expected)) == expected
    assert store.article_count() == len(expected)

    for again in (
        backfill(store, settings, since, until, sources=["wh"], from_dir=folder),
        backfill(store, settings, since, until, sources=["wh"], from_dir=folder, fresh=True),
    ):
        assert again.new == 0
        assert again.sources[0].updated == 0
        assert store.article_count() == len(expected)


# ---------------------------------------------------------------------------- archives on loopback


def test_rfc5005_archive_is_walked_to_the_start_of_the_range_and_no_further(
    feed_server: FeedServer, store: Store
) -> None:
    # six pages of five daily entries, newest first: page n covers days 5n .. 5n+4 before Mar 30
    entries = day_items("mfa", date(2026, 3, 30), 30)
    for n in range(6):
        prev = feed_server.url(f"/archive/{n + 1}.xml") if n < 5 else None
        feed_server.add(
            f"/archive/{n}.xml", archived("mfa", entries[5 * n : 5 * n + 5], prev), content_type=RSS
        )
    settings = settings_for([{"name": "mfa", "url": feed_server.url("/archive/0.xml")}])
    since, until = date(2026, 3, 14), date(2026, 3, 27)  # days 3 .. 16 back: pages 0 .. 3
    report = backfill(store, settings, since, until)

    fetched = [r.path for r in feed_server.requests]
    assert fetched == [f"/archive/{n}.xml" for n in range(4)]
    kept = {g for g, _, when in entries if since <= when.date() <= until}
    assert store.known_guids("mfa", [g for g, _, _ in entries]) == kept
    assert report.sources[0].finished
    assert report.new == len(kept) == 14

    feed_server.clear_log()
    again = backfill(store, settings, since, until)
    assert feed_server.requests == []  # finished: the checkpoint says so
    assert again.sources[0].note == "already loaded"
    fresh = backfill(store, settings, since, until, fresh=True)
    assert fresh.new == 0
    assert store.article_count() == 14


def paged_handler(pages: dict[int, bytes]) -> Any:
    def handle(exchange: Exchange) -> None:
        query = exchange.request.path.partition("?")[2]
        number = int(query.removeprefix("paged=")) if query.startswith("paged=") else 1
        body = pages.get(number)
        if body is None:
            exchange.respond(404, b"no such page", {"Content-Type": "text/plain"})
        else:
            exchange.respond(200, body, {"Content-Type": RSS})

    return handle


def test_wordpress_paged_feed_is_guessed_and_ends_at_404(
    feed_server: FeedServer, sqlite_store: Store
) -> None:
    entries = day_items("wp", date(2026, 5, 20), 12)
    pages = {n + 1: rss("wp", entries[4 * n : 4 * n + 4]) for n in range(3)}
    url = feed_server.add("/feed/", handler=paged_handler(pages))
    settings = settings_for([{"name": "wp", "url": url}])
    report = backfill(sqlite_store, settings, date(2026, 1, 1), date(2026, 12, 31))
    assert [r.path for r in feed_server.requests] == [
        "/feed/",
        "/feed/?paged=2",
        "/feed/?paged=3",
        "/feed/?paged=4",
    ]
    assert report.new == 12
    assert report.sources[0].finished
    assert "HTTP 404" in report.sources[0].note


@pytest.mark.fault
def test_a_server_that_ignores_paged_is_read_once(
    feed_server: FeedServer, sqlite_store: Store
) -> None:
    url = feed_server.add(
        "/feed.xml", rss("same", day_items("same", date(2026, 5, 20), 3)), content_type=RSS
    )
    report = backfill(
        sqlite_store,
        settings_for([{"name": "same", "url": url}]),
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert feed_server.count() == 2  # the feed, and one ?paged=2 guess that brought nothing new
    assert report.new == 3
    assert report.sources[0].finished


def test_archive_url_templates_by_page_and_by_date(
    feed_server: FeedServer, sqlite_store: Store
) -> None:
    entries = day_items("tp", date(2026, 2, 10), 9)
    for n in range(3):
        feed_server.add(f"/p/{n + 1}.xml", rss("tp", entries[3 * n : 3 * n + 3]), content_type=RSS)
    feed_server.add("/p/4.xml", rss("tp", []), content_type=RSS)  # the end: an empty page
    for when in ("2026-02-10", "2026-02-09", "2026-02-08"):
        day = [e for e in entries if e[2].date().isoformat() == when]
        feed_server.add(
            f"/d/{when}.xml", rss("dd", [(f"d{g}", t, w) for g, t, w in day]), content_type=RSS
        )
    settings = settings_for(
        [
            {
                "name": "tp",
                "url": feed_server.url("/feed.xml"),
                "archive_url": feed_server.url("/p/{page}.xml"),
            },
            {
                "name": "dd",
                "url": feed_server.url("/feed.xml"),
                "archive_url": feed_server.url("/d/{date}.xml"),
            },
        ]
    )
    report = backfill(sqlite_store, settings, date(2026, 2, 8), date(2026, 2, 10))
    by_name = {s.source: s for s in report.sources}
    assert by_name["tp"].new == 3
    assert by_name["tp"].finished
    assert by_name["dd"].new == 3
    assert by_name["dd"].pages == 3
    assert "/feed.xml" not in [r.path for r in feed_server.requests]
    assert "/p/5.xml" not in [r.path for r in feed_server.requests]


@pytest.mark.fault
def test_an_interrupted_walk_resumes_at_its_checkpoint(
    feed_server: FeedServer, store: Store
) -> None:
    entries = day_items("rs", date(2026, 3, 30), 20)
    for n in range(4):
        prev = feed_server.url(f"/a/{n + 1}.xml") if n < 3 else None
        feed_server.add(
            f"/a/{n}.xml", archived("rs", entries[5 * n : 5 * n + 5], prev), content_type=RSS
        )
    good_page_2 = archived("rs", entries[10:15], feed_server.url("/a/3.xml"))
    feed_server.add("/a/2.xml", b"busy", status=500, content_type="text/plain")
    settings = settings_for([{"name": "rs", "url": feed_server.url("/a/0.xml")}])
    since, until = date(2026, 1, 1), date(2026, 3, 31)

    broken = backfill(store, settings, since, until)
    assert not broken.sources[0].finished
    assert broken.sources[0].error is not None
    assert broken.failed
    assert broken.new == 10

    feed_server.add("/a/2.xml", good_page_2, content_type=RSS)
    feed_server.clear_log()
    resumed = backfill(store, settings, since, until)
    assert [r.path for r in feed_server.requests] == ["/a/2.xml", "/a/3.xml"]
    assert resumed.sources[0].resumed
    assert resumed.sources[0].finished
    assert resumed.new == 10
    assert store.article_count() == 20


def test_a_folder_of_saved_pages_is_attributed_to_the_source(
    tmp_path: Path, sqlite_store: Store
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    paragraph = (
        "<p>The minister of foreign affairs said on Monday that the talks on the border had "
        "made real progress, and that both delegations would meet again within a month to "
        "settle the remaining questions of the crossing points.</p>"
    )
    for n, day in enumerate(("2026-04-03", "2026-06-01")):
        (folder / f"page{n}.html").write_text(
            "<html><head><title>Talks on the border</title>"
            f'<link rel="canonical" href="https://mfa.example.org/news/{n}">'
            f'<meta property="article:published_time" content="{day}T09:30:00+02:00">'
            "</head><body><article><h1>Talks on the border</h1>"
            + paragraph * 4
            + "</article></body></html>",
            encoding="utf-8",
        )
    (folder / "undated.html").write_text(
        "<html><body><article>" + paragraph * 4 + "</article></body></html>", encoding="utf-8"
    )
    (folder / "feed.xml").write_bytes(rss("mfa", day_items("f", date(2026, 4, 10), 2)))
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    settings = settings_for([{"name": "mfa", "url": "https://mfa.example.org/rss"}])
    report = backfill(
        sqlite_store,
        settings,
        date(2026, 4, 1),
        date(2026, 4, 30),
        sources=["mfa"],
        from_dir=folder,
    )
    result = report.sources[0]
    assert result.pages == 4
    assert result.undated == 1
    assert result.in_range == 3  # page0 and the two feed entries; page1 is June
    stored = sqlite_store.articles(source="mfa")
    assert {a.canonical_url for a in stored} >= {"https://mfa.example.org/news/0"}
    page = next(a for a in stored if a.canonical_url == "https://mfa.example.org/news/0")
    assert page.published_at is not None
    assert page.published_at.replace(tzinfo=UTC) == datetime(2026, 4, 3, 7, 30, tzinfo=UTC)


@pytest.mark.fault
def test_from_needs_exactly_one_source(tmp_path: Path, sqlite_store: Store) -> None:
    from aggregator.errors import ConfigError

    settings = settings_for([{"name": "a", "url": "https://a.example.org/rss"}])
    with pytest.raises(ConfigError, match="exactly one --source"):
        backfill(sqlite_store, settings, date(2026, 1, 1), date(2026, 1, 2), from_dir=tmp_path)
    with pytest.raises(ConfigError, match="unknown source"):
        backfill(sqlite_store, settings, date(2026, 1, 1), date(2026, 1, 2), sources=["zz"])


# ---------------------------------------------------------------------------- around the walk


def test_processing_and_one_digest_per_day_follow(
    feed_server: FeedServer, tmp_path: Path, sqlite_store: Store
) -> None:
    entries = day_items("dg", date(2026, 3, 12), 6)
    feed_server.add("/a/0.xml", archived("dg", entries, None), content_type=RSS)
    text = "\n".join(
        [
            "settings:",
            "  allow_private_networks: true",
            "sources:",
            "  - name: dg",
            f"    url: {feed_server.url('/a/0.xml')}",
            "    kind: official",
            "    publisher: Test Ministry",
            "    side: Testland",
            "subscriptions:",
            "  - name: morning",
            "    recipients: [analyst@example.org]",
            "    timezone: Europe/London",
        ]
    )
    out = tmp_path / "out"
    report = run_backfill(
        sqlite_store,
        parse_settings(text),
        since=date(2026, 3, 9),
        until=date(2026, 3, 11),
        progress=False,
        digests=True,
        out_dir=out,
    )
    assert report.new == 3
    assert report.processed is not None
    assert report.processed.extracted == 3
    assert not any(batch for batch in sqlite_store.articles_for_grouping())
    assert [d.period.label for d in report.digests] == ["2026-03-09", "2026-03-10", "2026-03-11"]
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 9  # html, txt and eml for each of the three days
    assert all("2026-03-1" in name or "2026-03-09" in name for name in written)


@pytest.mark.fault
def test_send_needs_digests(sqlite_store: Store) -> None:
    from aggregator.errors import ConfigError

    settings = settings_for([{"name": "a", "url": "https://a.example.org/rss"}])
    with pytest.raises(ConfigError, match="--send needs --digests"):
        backfill(sqlite_store, settings, date(2026, 1, 1), date(2026, 1, 2), send=True)


def test_progress_bar_and_log_lines(
    feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import io
    import logging

    from rich.console import Console

    from aggregator.backfill.progress import LogProgress, RichProgress

    entries = day_items("pg", date(2026, 3, 12), 4)
    feed_server.add(
        "/a/0.xml", archived("pg", entries[:2], feed_server.url("/a/1.xml")), content_type=RSS
    )
    feed_server.add("/a/1.xml", archived("pg", entries[2:], None), content_type=RSS)
    settings = settings_for([{"name": "pg", "url": feed_server.url("/a/0.xml")}])
    screen = io.StringIO()
    with open_store(f"sqlite:///{tmp_path / 'bar.db'}") as store:
        backfill(
            store,
            settings,
            date(2026, 1, 1),
            date(2026, 3, 31),
            reporter=RichProgress(Console(file=screen, width=140)),
        )
    shown = screen.getvalue()
    assert "sources" in shown
    assert "pg" in shown
    assert "pages 2" in shown
    assert "entries 4 (new 4)" in shown

    caplog.set_level(logging.INFO, logger="aggregator.backfill")
    logging.getLogger("aggregator").propagate = True
    with open_store(f"sqlite:///{tmp_path / 'log.db'}") as store:
        backfill(store, settings, date(2026, 1, 1), date(2026, 3, 31), reporter=LogProgress())
    pages = [r for r in caplog.records if r.getMessage() == "page"]
    assert [r.page for r in pages] == [
        feed_server.url("/a/0.xml"),
        feed_server.url("/a/1.xml"),
    ]
    assert [r.in_range for r in pages] == [2, 2]


def test_the_one_off_script_runs_the_same_backfill(corpora: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "feeds.yaml"
    config.write_text(
        "sources:\n  - name: wh\n    url: https://www.whitehouse.gov/feed/\n"
        "    kind: official\n    publisher: The White House\n    side: United States\n",
        encoding="utf-8",
    )
    folder = corpora / "realfeeds" / "feeds" / "whitehouse_series"
    command = [
        sys.executable,
        "scripts/backfill.py",
        "--config",
        str(config),
        "--db",
        f"sqlite:///{tmp_path / 'script.db'}",
        "--since",
        "2026-01-01",
        "--until",
        "2026-01-31",
        "--no-process",
        "--source",
        "wh",
        "--from",
        str(folder),
        "--no-progress",
    ]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "wh" in done.stdout
    assert "done" in done.stdout
    assert "entries in range" in done.stdout
    bad = subprocess.run(
        [part for part in command if part not in ("--source", "wh")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "exactly one --source" in bad.stderr


def test_full_text_sources_get_their_pages_read_for_new_entries(
    feed_server: FeedServer, sqlite_store: Store
) -> None:
    paragraph = (
        "<p>The ministry said in a statement on Thursday that the negotiations over the disputed "
        "crossing would resume next week, and that the delegation would be led by the deputy "
        "foreign minister, who has handled the file since the spring.</p>"
    )
    page_url = feed_server.add(
        "/news/1.html",
        f"<html><body><article>{paragraph * 5}</article></body></html>",
        content_type="text/html",
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>ft</title>'
        f"<item><guid>ft-1</guid><title>Talks resume</title><link>{page_url}</link>"
        "<pubDate>Thu, 12 Mar 2026 10:00:00 GMT</pubDate>"
        "<description>Talks resume next week.</description></item></channel></rss>"
    )
    url = feed_server.add("/ft.xml", feed, content_type=RSS)
    settings = settings_for([{"name": "ft", "url": url, "fulltext": "true"}])
    report = backfill(sqlite_store, settings, date(2026, 3, 1), date(2026, 3, 31))
    assert report.new == 1
    (stored,) = sqlite_store.articles(source="ft")
    assert "led by the deputy foreign minister" in stored.text
    assert feed_server.count("/news/1.html") == 1
    backfill(sqlite_store, settings, date(2026, 3, 1), date(2026, 3, 31), fresh=True)
    assert feed_server.count("/news/1.html") == 1  # a known entry's page is not read again
