"""The bundled sample feeds of `aggregator demo`: well-formed, one day, and listed in demo.yaml."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from aggregator.config import load_settings

DATA = Path(__file__).resolve().parents[2] / "aggregator" / "data"
FEEDS = sorted((DATA / "sample_feeds").iterdir())
DEMO_DAY = date(2026, 11, 24)


def parse(path: Path) -> Any:
    return feedparser.parse(path.read_bytes())


def entry_text(entry: Any) -> str:
    parts = [entry.get("title", ""), entry.get("summary", "")]
    parts += [c.value for c in entry.get("content", [])]
    return re.sub(r"\s+", " ", " ".join(parts))


def test_there_are_enough_feeds() -> None:
    assert len(FEEDS) >= 6


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_feed_parses_cleanly(path: Path) -> None:
    feed = parse(path)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert 4 <= len(feed.entries) <= 8
    for entry in feed.entries:
        assert entry.get("title")
        assert entry.get("link", "").startswith("https://")
        assert entry.get("id") or entry.get("link")


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_every_entry_is_dated_on_the_demo_day_in_utc(path: Path) -> None:
    for entry in parse(path).entries:
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        assert parsed is not None, entry.title
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        assert when.date() == DEMO_DAY, (entry.title, when)


def test_formats_are_mixed() -> None:
    versions = {parse(path).version for path in FEEDS}
    assert {"rss20", "atom10", "rss10"} <= versions


def test_some_entries_have_full_text_and_some_only_summaries() -> None:
    entries = [e for path in FEEDS for e in parse(path).entries]
    assert any("content" in e for e in entries)
    assert any("content" not in e for e in entries)


def test_the_same_quote_is_carried_by_several_feeds() -> None:
    # the outlets trim and punctuate it differently; the stable core is what they share
    core = "must stop now"
    carriers = {path.name for path in FEEDS for e in parse(path).entries if core in entry_text(e)}
    assert len(carriers) >= 4, carriers


def test_wire_copy_is_republished_under_another_headline() -> None:
    wire = parse(DATA / "sample_feeds" / "meridian_wire.xml").entries[0]
    herald = parse(DATA / "sample_feeds" / "global_herald.xml").entries[0]
    assert wire.title != herald.title
    assert herald.get("author") == "Meridian Press"
    # the outlet carries the wire's paragraphs unchanged, then adds its own credit line
    assert herald.content[0].value.startswith(wire.content[0].value)


def test_demo_yaml_lists_every_sample_feed() -> None:
    settings = load_settings(DATA / "demo.yaml")
    paths = [Path(unquote(urlsplit(s.url).path)) for s in settings.sources]
    assert {path.name for path in paths} == {path.name for path in FEEDS}
    assert all(path.is_file() for path in paths)
    kinds = {s.kind for s in settings.sources}
    assert kinds == {"official", "wire", "outlet"}
    sides = {s.side for s in settings.sources if s.kind == "official"}
    assert sides == {"United Nations", "NATO", "United States", "Veskaria", "Oradin"}
    assert [s.name for s in settings.subscriptions] == ["demo"]
