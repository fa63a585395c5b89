"""Bulk inserts of new entries: more rows than one SQLite statement may carry, instants stored
as SQLAlchemy would store them, and a refused value reported as a store error."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from aggregator.errors import StoreError
from aggregator.store import open_store
from aggregator.store.bulk import SQLITE_MAX_PARAMETERS
from tests.integration.test_store_support import (
    T0,
    Poll,
    claim_one,
    make_article,
    make_result,
    make_source,
)

# articles have 13 inserted columns: this crosses SQLite's parameter limit more than once
MANY = 2 * SQLITE_MAX_PARAMETERS // 13 + 10


def test_a_fetch_larger_than_one_statement_is_stored_whole(db_url: str) -> None:
    with open_store(db_url) as store:
        store.sync_sources([make_source("wire")], now=T0)
        batch = [
            make_article("wire", f"g{i}", published=T0 - timedelta(minutes=i)) for i in range(MANY)
        ]
        report = store.save_fetch(
            claim_one(store, "wire"), make_result("wire"), batch, Poll(), now=T0
        )
        assert report.new == MANY
        assert len(set(report.new_article_ids)) == MANY
        assert store.article_count() == MANY
        stored = store.articles(source="wire", limit=3)  # newest first
        assert [a.published_at for a in stored] == [T0 - timedelta(minutes=i) for i in range(3)]

        again = store.save_fetch(
            claim_one(store, "wire"), make_result("wire"), batch, Poll(), now=T0
        )
        assert (again.new, again.unchanged) == (0, MANY)


def test_a_naive_instant_is_refused_and_nothing_is_written(db_url: str) -> None:
    with open_store(db_url) as store:
        store.sync_sources([make_source("wire")], now=T0)
        naive = make_article("wire", "bad", published=datetime(2026, 3, 1, 7, 0))
        with pytest.raises(StoreError, match="naive datetime"):
            store.save_fetch(
                claim_one(store, "wire"),
                make_result("wire"),
                [make_article("wire", "good"), naive],
                Poll(),
                now=T0,
            )
        assert store.article_count() == 0
