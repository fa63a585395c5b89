"""The repository on real SQLite and PostgreSQL: sources, entries, fetch log, counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from aggregator.errors import StoreError
from aggregator.model import FetchOutcome
from aggregator.store import REASON_UNCONFIGURED, Store, open_store
from tests.integration.test_store_support import (
    T0,
    Poll,
    claim_one,
    make_article,
    make_result,
    make_source,
)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def _save(store: Store, name: str, articles: list, **result_kw: object):  # type: ignore[no-untyped-def]
    state = claim_one(store, name)
    return store.save_fetch(state, make_result(name, **result_kw), articles, Poll(), now=T0)  # type: ignore[arg-type]


# -- sources -------------------------------------------------------------------------------


def test_sync_adds_updates_and_disables_without_deleting(store: Store) -> None:
    first = store.sync_sources([make_source("un"), make_source("tass")], now=T0)
    assert (first.added, first.updated, first.disabled) == (("un", "tass"), (), ())

    later = T0 + timedelta(hours=1)
    second = store.sync_sources([make_source("un", publisher="United Nations")], now=later)
    assert second.updated == ("un",)
    assert second.disabled == ("tass",)

    status = {s.name: s for s in store.source_status()}
    assert set(status) == {"un", "tass"}
    assert not status["tass"].enabled
    assert status["tass"].disabled_reason == REASON_UNCONFIGURED
    assert store.stats()["sources"] == 2

    third = store.sync_sources([make_source("un", publisher="United Nations")], now=later)
    assert third.unchanged == ("un",)
    assert third.added == third.updated == third.disabled == ()


def test_new_source_is_due_immediately_and_reconfigured_one_comes_back(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    assert [s.source.name for s in store.claim_due(now=T0, owner="w", lease=timedelta(1))] == ["un"]
    store.sync_sources([], now=T0)
    store.release("w")
    assert store.claim_due(now=T0, owner="w", lease=timedelta(1)) == []
    report = store.sync_sources([make_source("un")], now=T0)
    assert report.updated == ("un",)
    assert store.source_status()[0].enabled


def test_duplicate_configured_names_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="duplicate source names: un"):
        store.sync_sources([make_source("un"), make_source("un")], now=T0)


# -- entries -------------------------------------------------------------------------------


def test_same_entry_twice_is_one_row_and_unchanged(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    batch = [make_article("un", "a1"), make_article("un", "a2")]
    first = _save(store, "un", batch)
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    assert len(first.new_article_ids) == 2
    second = _save(store, "un", batch)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 2)
    assert second.new_article_ids == second.changed_article_ids == []
    assert store.article_count() == 2


def test_changed_content_updates_the_article_in_place(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    created = _save(store, "un", [make_article("un", "a1")])
    changed = _save(store, "un", [make_article("un", "a1", body="v2")])
    assert (changed.new, changed.updated, changed.unchanged) == (0, 1, 0)
    assert changed.changed_article_ids == created.new_article_ids
    [stored] = store.articles()
    assert stored.id == created.new_article_ids[0]
    assert stored.title == "Title a1 v2"
    assert stored.content_hash == "hash-a1-v2"


def test_same_canonical_url_from_two_sources_is_one_article_two_links(store: Store) -> None:
    store.sync_sources([make_source("un"), make_source("wire")], now=T0)
    shared = "https://news.example.org/shared/ceasefire"
    a = _save(store, "un", [make_article("un", "un-1", shared)])
    b = _save(store, "wire", [make_article("wire", "w-9", shared, body="wire copy")])
    assert (b.new, b.new_article_ids) == (1, [])
    [stored] = store.articles()
    assert stored.id == a.new_article_ids[0]
    assert stored.sources == ("un", "wire")
    assert stored.primary_source == "un"
    assert [x.id for x in store.articles(source="wire")] == [stored.id]

    # the secondary source's copy changing does not rewrite the primary's article
    c = _save(store, "wire", [make_article("wire", "w-9", shared, body="wire v2")])
    assert (c.updated, c.changed_article_ids) == (1, [])
    assert store.articles()[0].title == "Title un-1 v1"


def test_duplicate_guid_within_a_batch_collapses_last_wins(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    report = _save(
        store,
        "un",
        [make_article("un", "a1"), make_article("un", "a1", body="v2"), make_article("un", "b")],
    )
    assert (report.new, report.unchanged) == (2, 0)
    titles = sorted(a.title for a in store.articles())
    assert titles == ["Title a1 v2", "Title b v1"]


def test_two_guids_one_url_in_a_batch_make_one_article(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    url = "https://news.example.org/same"
    report = _save(store, "un", [make_article("un", "x", url), make_article("un", "y", url)])
    assert report.new == 2
    assert len(report.new_article_ids) == 1
    assert store.article_count() == 1


def test_entries_without_url_are_separate_articles(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    report = _save(store, "un", [make_article("un", f"n{i}", None) for i in range(3)])
    assert report.new == 3
    assert len(set(report.new_article_ids)) == 3
    found = store.articles_by_id(report.new_article_ids)
    assert [a.id for a in found] == report.new_article_ids
    assert {a.canonical_url for a in found} == {None}


@pytest.mark.parametrize(
    "published",
    [
        datetime(2026, 3, 1, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=3))),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-11))),
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2099, 6, 30, 12, 0, tzinfo=timezone(timedelta(hours=5, minutes=45))),
    ],
)
def test_instants_round_trip_exactly(store: Store, published: datetime) -> None:
    store.sync_sources([make_source("un")], now=T0)
    _save(store, "un", [make_article("un", "tz", published=published)])
    [stored] = store.articles()
    assert stored.published_at == published
    assert stored.published_at is not None
    assert stored.published_at.tzinfo is not None
    assert stored.published_at.utcoffset() == timedelta(0)


def test_timestamps_come_back_aware_utc(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    plus3 = timezone(timedelta(hours=3))
    published = datetime(2026, 3, 1, 10, 30, tzinfo=plus3)
    _save(store, "un", [make_article("un", "tz", published=published)])
    [stored] = store.articles()
    assert stored.published_at == published
    assert stored.published_at is not None
    assert stored.published_at.utcoffset() == timedelta(0)
    assert stored.first_seen_at == T0


# -- atomicity -----------------------------------------------------------------------------


def _nothing_written(store: Store, name: str) -> None:
    assert store.article_count() == 0
    assert store.recent_fetch_log(name) == []
    status = store.source_status()[0]
    assert status.last_fetch_at is None
    assert status.next_poll_at == T0


@pytest.mark.fault
def test_save_fetch_rolls_back_when_an_article_is_impossible(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    state = claim_one(store, "un")
    naive = make_article("un", "bad", published=datetime(2026, 3, 1, 7, 0))  # no time zone
    with pytest.raises(StoreError, match="naive datetime"):
        store.save_fetch(
            state, make_result("un"), [make_article("un", "good"), naive], Poll(), now=T0
        )
    _nothing_written(store, "un")
    assert store.source_status()[0].consecutive_failures == 0


@pytest.mark.fault
def test_save_fetch_rolls_back_when_the_last_step_fails(store: Store) -> None:
    """The source update runs last: its failure must also undo the articles and the log row."""
    store.sync_sources([make_source("un")], now=T0)
    state = claim_one(store, "un")
    with pytest.raises(StoreError):
        store.save_fetch(
            state,
            make_result("un"),
            [make_article("un", "good")],
            Poll(next_poll=datetime(2026, 3, 1, 9, 0)),  # naive: refused
            now=T0,
        )
    _nothing_written(store, "un")
    # the lease was not released either: the transaction never happened
    assert store.claim_due(now=T0, owner="other", lease=timedelta(1), names=["un"]) == []


# -- source bookkeeping --------------------------------------------------------------------


def test_ok_fetch_updates_validators_schedule_and_releases_lease(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    state = claim_one(store, "un", owner="w1")
    poll = Poll(next_poll=T0 + timedelta(minutes=20))
    store.save_fetch(
        state, make_result("un", etag='"abc"'), [make_article("un", "a")], poll, now=T0
    )
    [status] = store.source_status()
    assert (status.last_status, status.last_new_entries, status.last_fetch_at) == (200, 1, T0)
    assert status.next_poll_at == T0 + timedelta(minutes=20)
    again = claim_one(store, "un", owner="w2")  # lease released: another owner may claim
    assert again.validators.etag == '"abc"'
    assert again.validators.last_modified == "Sun, 01 Mar 2026 07:00:00 GMT"

    # a 304 keeps the validators; a failure records the error and keeps them too
    store.save_fetch(
        again,
        make_result("un", FetchOutcome.NOT_MODIFIED, status=304, etag="ignored"),
        [],
        Poll(),
        now=T0,
    )
    failing = claim_one(store, "un", owner="w2")
    store.save_fetch(
        failing,
        make_result("un", FetchOutcome.FAILED, status=500, error="server error 500"),
        [],
        Poll(failures=1, last_error="server error 500"),
        now=T0,
    )
    [status] = store.source_status()
    assert (status.consecutive_failures, status.last_error) == (1, "server error 500")
    assert claim_one(store, "un", owner="w3").validators.etag == '"abc"'
    log = store.recent_fetch_log("un")
    assert [row.outcome for row in log] == [
        FetchOutcome.FAILED,
        FetchOutcome.NOT_MODIFIED,
        FetchOutcome.OK,
    ]
    assert (log[2].new_entries, log[2].bytes, log[2].duration_ms) == (1, 6, 250)
    assert log[0].error_type == "HTTPStatusError"


def test_permanent_redirect_updates_url_and_sync_keeps_it(store: Store) -> None:
    store.sync_sources([make_source("un", "https://old.example.org/rss")], now=T0)
    state = claim_one(store, "un")
    moved = "https://new.example.org/rss"
    store.save_fetch(state, make_result("un", permanent_redirect=moved), [], Poll(), now=T0)
    assert claim_one(store, "un").source.url == moved
    # same configuration again: the redirect target is kept
    store.sync_sources([make_source("un", "https://old.example.org/rss")], now=T0)
    assert store.source_status()[0].url == moved
    # a new configured url wins over the stored redirect
    store.sync_sources([make_source("un", "https://third.example.org/rss")], now=T0)
    assert store.source_status()[0].url == "https://third.example.org/rss"


@pytest.mark.fault
def test_gone_disables_the_source_until_its_url_changes(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    state = claim_one(store, "un")
    store.save_fetch(state, make_result("un", FetchOutcome.GONE, status=410), [], Poll(), now=T0)
    [status] = store.source_status()
    assert not status.enabled
    assert "410" in (status.disabled_reason or "")
    later = T0 + timedelta(days=1)
    assert store.claim_due(now=later, owner="w", lease=timedelta(1), force=True) == []
    store.sync_sources([make_source("un")], now=later)  # same url: stays disabled
    assert not store.source_status()[0].enabled
    store.sync_sources([make_source("un", "https://un.example.org/new.xml")], now=later)
    assert store.source_status()[0].enabled


def test_disabled_reason_from_poll_disables(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    state = claim_one(store, "un")
    store.save_fetch(
        state,
        make_result("un", FetchOutcome.FAILED, status=404, error="404"),
        [],
        Poll(failures=30, disabled_reason="failed 30 times in a row"),
        now=T0,
    )
    [status] = store.source_status()
    assert (status.enabled, status.disabled_reason) == (False, "failed 30 times in a row")


# -- reads ---------------------------------------------------------------------------------


def test_stats_status_articles_and_fetch_log(store: Store) -> None:
    assert store.stats() == {
        "sources": 0,
        "articles": 0,
        "statements": 0,
        "events": 0,
        "digests_sent": 0,
    }
    store.sync_sources([make_source("un"), make_source("nato", kind="official")], now=T0)
    _save(store, "un", [make_article("un", f"g{i}") for i in range(3)])
    _save(store, "nato", [make_article("nato", "n1")])
    assert store.stats()["articles"] == 4
    assert [s.name for s in store.source_status()] == ["nato", "un"]
    assert len(store.articles(limit=2)) == 2
    assert {a.primary_source for a in store.articles(source="un")} == {"un"}
    assert store.articles(source="nobody") == []
    assert sorted(r.source for r in store.recent_fetch_log()) == ["nato", "un"]
    assert len(store.recent_fetch_log(limit=1)) == 1


def test_known_guids(store: Store) -> None:
    store.sync_sources([make_source("un"), make_source("nato")], now=T0)
    _save(store, "un", [make_article("un", "a"), make_article("un", "b")])
    _save(store, "nato", [make_article("nato", "c")])
    assert store.known_guids("un", ["a", "c", "z", "a"]) == {"a"}
    assert store.known_guids("nato", ["a", "c"]) == {"c"}
    assert store.known_guids("nobody", ["a"]) == set()


def test_prune_fetch_log(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    _save(store, "un", [])
    assert store.prune_fetch_log(T0) == 0
    assert store.prune_fetch_log(T0 + timedelta(seconds=1)) == 1
    assert store.recent_fetch_log() == []


def test_save_for_an_unknown_source_is_a_store_error(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    state = claim_one(store, "un")
    ghost = replace(state, source=make_source("ghost"))
    with pytest.raises(StoreError, match="unknown source: ghost"):
        store.save_fetch(ghost, make_result("ghost"), [], Poll(), now=T0)


def test_save_entries_outside_a_fetch_leaves_the_schedule_alone(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    before = store.source_status()[0]
    batch = [make_article("un", "old-1"), make_article("un", "old-2")]
    first = store.save_entries("un", batch, now=T0)
    assert (first.new, first.updated, first.unchanged, len(first.new_article_ids)) == (2, 0, 0, 2)
    again = store.save_entries("un", [*batch[:1], make_article("un", "old-2", body="v2")], now=T0)
    assert (again.new, again.updated, again.unchanged) == (0, 1, 1)
    assert again.changed_article_ids == sorted(first.new_article_ids)[1:]
    assert store.recent_fetch_log() == []
    assert store.source_status()[0] == before
    # nobody holds a lease on it, so a fetcher can still claim it
    assert [s.source.name for s in store.claim_due(now=T0, owner="w", lease=timedelta(1))] == ["un"]
    with pytest.raises(StoreError, match="unknown source: tass"):
        store.save_entries("tass", [make_article("tass", "x")], now=T0)
