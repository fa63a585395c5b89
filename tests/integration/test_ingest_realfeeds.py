"""All the real feed captures served over loopback HTTP go into the store exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser

from aggregator import clock
from aggregator.config import parse_settings
from aggregator.model import FetchOutcome
from aggregator.parse import canonical_url
from aggregator.pipeline.poll import run_pass
from aggregator.store import open_store
from tests.support.server import FeedServer


def _manifest(corpora: Path) -> list[dict[str, object]]:
    entries = json.loads((corpora / "realfeeds" / "manifest.json").read_text())
    return [e for e in entries if "whitehouse_series" not in str(e["file"])]


def _distinct_entries(path: Path) -> int:
    """Entries less true duplicates: the same id, or with no id the same canonical link."""
    parsed = feedparser.parse(path.read_bytes())
    keys = set()
    for entry in parsed.entries:
        link = canonical_url(entry.get("link"))
        keys.add(entry.get("id") or link or (entry.get("title"), entry.get("summary")))
    return len(keys)


def _config(server: FeedServer, files: list[str]) -> str:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for i, name in enumerate(files):
        lines += [
            f"  - name: feed-{i:02d}",
            f"    url: {server.url('/feeds/' + name)}",
            "    kind: outlet",
            f"    publisher: {name}",
        ]
    return "\n".join(lines) + "\n"


def test_every_real_feed_is_stored_once(
    corpora: Path, feed_server: FeedServer, db_url: str
) -> None:
    manifest = _manifest(corpora)
    files = sorted(Path(str(e["file"])).name for e in manifest)
    assert len(files) >= 30
    feed_server.serve_directory(corpora / "realfeeds" / "feeds", "/feeds", etag=True)
    settings = parse_settings(_config(feed_server, files))
    by_file = {Path(str(e["file"])).name: e for e in manifest}

    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        first = run_pass(store, settings, force=True)
        assert [s.outcome for s in first.sources] == [FetchOutcome.OK] * len(files), [
            (s.source, s.error) for s in first.sources if s.outcome is not FetchOutcome.OK
        ]
        mismatches = []
        for i, name in enumerate(files):
            report = next(s for s in first.sources if s.source == f"feed-{i:02d}")
            expected = _distinct_entries(corpora / "realfeeds" / "feeds" / name)
            assert expected <= int(str(by_file[name]["entries"]))
            if report.new != expected:
                mismatches.append((name, report.new, expected, by_file[name]["entries"]))
        assert not mismatches, mismatches
        stored = store.stats()["articles"]
        # entries (in one feed or several) with the same canonical URL are one article
        assert stored == _distinct_articles(corpora / "realfeeds" / "feeds", files)

        second = run_pass(store, settings, force=True)
        assert {s.outcome for s in second.sources} == {FetchOutcome.NOT_MODIFIED}
        assert second.new == second.updated == 0
        assert store.stats()["articles"] == stored


def test_unconditional_repoll_adds_nothing(
    corpora: Path, feed_server: FeedServer, db_url: str
) -> None:
    """Without validators every poll re-parses the whole feed: upserts must still add nothing."""
    files = sorted(Path(str(e["file"])).name for e in _manifest(corpora))[:8]
    feed_server.serve_directory(corpora / "realfeeds" / "feeds", "/feeds", etag=False)
    settings = parse_settings(_config(feed_server, files))
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        first = run_pass(store, settings, force=True)
        assert first.new > 0
        stored = store.stats()["articles"]
        second = run_pass(store, settings, force=True)
        assert {s.outcome for s in second.sources} == {FetchOutcome.OK}
        assert (second.new, second.updated) == (0, 0)
        assert sum(s.unchanged for s in second.sources) == first.new
        assert store.stats()["articles"] == stored


def _distinct_articles(folder: Path, files: list[str]) -> int:
    urls: set[str] = set()
    without_url = 0
    for name in files:
        seen: set[object] = set()
        for entry in feedparser.parse((folder / name).read_bytes()).entries:
            link = canonical_url(entry.get("link"))
            key = entry.get("id") or link or (entry.get("title"), entry.get("summary"))
            if key in seen:
                continue
            seen.add(key)
            if link:
                urls.add(link)
            else:
                without_url += 1
    return len(urls) + without_url
