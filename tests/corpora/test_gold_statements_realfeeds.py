"""Every realfeeds item of the multilingual statement gold resolves in the real feed captures.

The item's feed file holds an entry with its canonical URL, read as the pipeline reads it
(``aggregator.parse.parse_feed``, with a fixed "now" one day after the newest capture, as in
test_realfeeds_parse.py); the entry's text hashes to the item's ``text_sha``, each statement's
span to its own, and each speaker is the text at its offsets (``scripts/gold_statements.py
check`` runs the same check).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def gold() -> ModuleType:
    return load_script("gold_statements")


def test_every_realfeeds_item_resolves(gold: ModuleType, corpora: Path) -> None:
    problems: list[str] = []
    items = 0
    for path in gold.gold_files():
        lang = path.parent.name
        for row in gold.read_rows(path):
            if row["source"] != "realfeeds":
                continue
            items += 1
            text = gold.article_text(row, lang, corpora)
            if text is None:
                problems.append(f"{row['id']}: no entry {row['url']} in {row['feed']}")
                continue
            problems += [f"{row['id']}: {p}" for p in gold.text_problems(row, text)]
    assert items > 0
    assert not problems, "\n".join(problems)


def test_the_realfeeds_items_are_distinct_entries(gold: ModuleType) -> None:
    keys = [
        (row["feed"], row["url"])
        for path in gold.gold_files()
        for row in gold.read_rows(path)
        if row["source"] == "realfeeds"
    ]
    assert len(keys) == len(set(keys))
