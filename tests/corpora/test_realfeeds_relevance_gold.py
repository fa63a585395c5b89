"""Every key of the relevance gold set is an entry of the real feed captures, and every entry of
the labelled days is labelled exactly once.

The feeds are read as the pipeline reads them (``aggregator.parse``), with a fixed "now" one day
after the newest capture, as in test_realfeeds_parse.py. An entry's key is its canonical URL, or
its feed file and guid when it has no URL; its day is its published date in UTC.
"""

from __future__ import annotations

import collections
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aggregator.parse import parse_feed
from tests.unit.test_relevance_gold import COUNTS

GOLD = Path(__file__).resolve().parents[1] / "data" / "realfeeds_relevance_gold.jsonl"
# the labelled days and their entries, as the file's own checks count them
DAYS = frozenset(COUNTS)
ENTRIES = sum(total for _, _, total in COUNTS.values())

Key = tuple[str, str]  # (url, "") or (feed file name, guid)


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _corpus_entries(corpora: Path) -> dict[Key, set[tuple[str, str]]]:
    """Key -> {(feed file name, day)} of every dated entry of the labelled days."""
    root = corpora / "realfeeds"
    manifest: list[dict[str, Any]] = json.loads(
        (root / "manifest.json").read_text(encoding="utf-8")
    )
    now = max(_iso(e["newest_entry_utc"]) for e in manifest if e["newest_entry_utc"])
    now += timedelta(days=1)
    found: dict[Key, set[tuple[str, str]]] = collections.defaultdict(set)
    for entry in manifest:
        path = root / entry["file"]
        feed = parse_feed(path.read_bytes(), source=path.name, now=now)
        for article in feed.articles:
            if article.published is None:
                continue
            day = article.published.date().isoformat()
            if day in DAYS:
                key = (article.url, "") if article.url else (path.name, article.guid)
                found[key].add((path.name, day))
    return found


@pytest.fixture(scope="module")
def found(corpora: Path) -> dict[Key, set[tuple[str, str]]]:
    return _corpus_entries(corpora)


def _gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


def _key(row: dict[str, Any]) -> Key:
    return (row["url"], "") if row["url"] is not None else (row["feed"], row["guid"])


def test_every_gold_key_is_an_entry_of_its_feed_on_its_day(
    found: dict[Key, set[tuple[str, str]]],
) -> None:
    problems: list[str] = []
    for row in _gold():
        key = _key(row)
        where = found.get(key)
        if where is None:
            problems.append(f"{key}: no such entry dated {sorted(DAYS)}")
        elif (row["feed"], row["day"]) not in where:
            problems.append(f"{key}: labelled {row['feed']} {row['day']}, found {sorted(where)}")
    assert not problems, "\n".join(problems)


def test_every_entry_of_the_labelled_days_is_labelled_exactly_once(
    found: dict[Key, set[tuple[str, str]]],
) -> None:
    keys = [_key(r) for r in _gold()]
    twice = [k for k, n in collections.Counter(keys).items() if n > 1]
    missing = sorted(set(found) - set(keys))
    assert not twice, f"labelled twice: {twice}"
    assert not missing, f"{len(missing)} entries of the labelled days have no label: {missing[:10]}"
    assert len(keys) == len(found) == ENTRIES


def test_each_gold_row_is_keyed_by_the_first_feed_in_manifest_order(
    corpora: Path, found: dict[Key, set[tuple[str, str]]]
) -> None:
    """An entry found in several feed files is one row, keyed by the first of them."""
    manifest: list[dict[str, Any]] = json.loads(
        (corpora / "realfeeds" / "manifest.json").read_text(encoding="utf-8")
    )
    order = {Path(e["file"]).name: n for n, e in enumerate(manifest)}
    wrong = [
        (_key(row), row["feed"])
        for row in _gold()
        if _key(row) in found
        and row["feed"] != min((feed for feed, _ in found[_key(row)]), key=order.__getitem__)
    ]
    assert not wrong, wrong
