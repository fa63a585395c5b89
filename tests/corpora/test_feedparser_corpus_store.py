"""What parse recovers from feedparser's test corpus can be stored, on both backends.

PostgreSQL refuses some text SQLite accepts (NUL characters, lone surrogates), so the corpus goes
through the store too: every recovered entry is stored, once, and nothing is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator import clock
from aggregator.errors import FeedParseError
from aggregator.model import Article, Source
from aggregator.parse import parse_feed
from aggregator.store import open_store
from tests.support.feedparser_corpus import documents, headers

pytestmark = pytest.mark.fault


def test_every_recovered_entry_is_stored_once(corpora: Path, db_url: str) -> None:
    recovered: dict[str, list[Article]] = {}
    for i, path in enumerate(documents(corpora)):
        body = path.read_bytes()
        name = f"fp-{i:04d}"
        try:
            parsed = parse_feed(
                body, source=name, url=f"http://example.org/{path.name}", headers=headers(body)
            )
        except FeedParseError:
            continue
        if parsed.articles:
            recovered[name] = list(parsed.articles)
    assert len(recovered) > 1000
    now = clock.now()
    with open_store(db_url) as store:
        store.sync_sources(
            [
                Source(name=n, url=f"http://example.org/{n}", kind="outlet", publisher=n)
                for n in recovered
            ],
            now=now,
        )
        stored = 0
        for name, articles in recovered.items():
            report = store.save_entries(name, articles, now=now)
            assert report.new == len({a.guid for a in articles}), name
            stored += report.new
        again = sum(store.save_entries(n, a, now=now).new for n, a in recovered.items())
    assert stored > 1000
    assert again == 0
