"""Every real feed capture in realfeeds/feeds parses to the entry count feedparser reports.

The ``whitehouse_series/`` snapshots are left to the repeated-polling tests of the store.
Within one document some publishers repeat an entry (same guid); parse keeps every copy and
the store dedupes them, so the count is reported here rather than hidden.
"""

from __future__ import annotations

import collections
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aggregator.parse import parse_feed


def _manifest(corpora: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        (corpora / "realfeeds" / "manifest.json").read_text(encoding="utf-8")
    )
    return [e for e in entries if not e["file"].startswith("feeds/whitehouse_series/")]


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_every_real_feed_parses_with_the_manifest_counts(
    corpora: Path, record_property: pytest.RecordProperty
) -> None:
    manifest = _manifest(corpora)
    on_disk = sorted(p.name for p in (corpora / "realfeeds" / "feeds").iterdir() if p.is_file())
    assert sorted(Path(e["file"]).name for e in manifest) == on_disk
    # A fixed "now" one day after the newest capture: plausibility must not depend on the clock.
    now = max(_iso(e["newest_entry_utc"]) for e in manifest) + timedelta(days=1)

    problems: list[str] = []
    duplicates: dict[str, int] = {}
    for entry in manifest:
        name = entry["file"]
        feed = parse_feed((corpora / "realfeeds" / name).read_bytes(), source=name, now=now)
        articles = feed.articles
        if len(articles) != entry["entries"]:
            problems.append(f"{name}: {len(articles)} entries, manifest says {entry['entries']}")
        if feed.version != entry["version"] or feed.bozo:
            problems.append(f"{name}: version {feed.version} bozo {feed.bozo_message}")
        dated = [a.published for a in articles if a.published is not None]
        if len(dated) != entry["entries_with_date"]:
            problems.append(f"{name}: {len(dated)} dated, manifest {entry['entries_with_date']}")
        if dated and (min(dated), max(dated)) != (
            _iso(entry["oldest_entry_utc"]),
            _iso(entry["newest_entry_utc"]),
        ):
            problems.append(f"{name}: date range {min(dated)} .. {max(dated)}")
        if any(d.tzinfo is not UTC for d in dated):
            problems.append(f"{name}: a date that is not UTC")
        for article in articles:
            if not article.guid or not article.title:
                problems.append(f"{name}: entry without guid or title: {article.link}")
            if "<" in article.title and ">" in article.title:
                problems.append(f"{name}: markup left in title {article.title!r}")
            if article.url is not None and not article.url.startswith(("http://", "https://")):
                problems.append(f"{name}: bad canonical url {article.url}")
        by_guid = collections.Counter(a.guid for a in articles)
        duplicates[name] = sum(count - 1 for count in by_guid.values())
        # a "true duplicate" is the same entry repeated: same guid, same content
        for guid, count in by_guid.items():
            if count > 1:
                hashes = {a.content_hash for a in articles if a.guid == guid}
                if len(hashes) != 1:
                    problems.append(f"{name}: guid {guid} reused for different content")

    report = ", ".join(f"{Path(n).name}={d}" for n, d in duplicates.items() if d)
    record_property("duplicate_guids", report or "none")
    print(f"\nrealfeeds: {len(manifest)} files, duplicate entries by guid: {report or 'none'}")
    assert not problems, "\n".join(problems)
