"""Every key of the speaker gold set resolves in the real feed captures: the article is an entry
of a feed file, and its text at the labelled offsets hashes to the labelled ``text_sha``.

The feeds are read as the pipeline reads them (``aggregator.parse``), with a fixed "now" one day
after the newest capture, as in test_realfeeds_relevance_gold.py.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aggregator.parse import parse_feed

GOLD = Path(__file__).resolve().parents[1] / "data" / "realfeeds_speakers_gold.jsonl"


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _texts(corpora: Path) -> dict[str, str]:
    """Canonical URL -> the article's text, over every feed file of the capture."""
    root = corpora / "realfeeds"
    manifest: list[dict[str, Any]] = json.loads(
        (root / "manifest.json").read_text(encoding="utf-8")
    )
    now = max(_iso(e["newest_entry_utc"]) for e in manifest if e["newest_entry_utc"])
    now += timedelta(days=1)
    texts: dict[str, str] = {}
    for entry in manifest:
        path = root / entry["file"]
        for article in parse_feed(path.read_bytes(), source=path.name, now=now).articles:
            if article.url:
                texts.setdefault(article.url, article.text)
    return texts


def test_every_labelled_statement_is_in_its_article_at_its_offsets(corpora: Path) -> None:
    texts = _texts(corpora)
    problems: list[str] = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = texts.get(row["url"])
        if text is None:
            problems.append(f"{row['url']}: no such article in the feeds")
            continue
        words = text[row["start"] : row["end"]]
        if hashlib.sha256(words.encode("utf-8")).hexdigest()[:12] != row["text_sha"]:
            problems.append(f"{row['url']} {row['start']}..{row['end']}: the text differs")
    assert not problems, "\n".join(problems)
