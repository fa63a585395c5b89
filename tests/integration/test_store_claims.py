"""Leases and concurrent writers on real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from aggregator.errors import StoreError
from aggregator.store import Store, open_store
from tests.integration.test_store_support import (
    LEASE,
    T0,
    Poll,
    make_article,
    make_result,
    make_source,
    run_together,
)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def _names(states: list) -> list[str]:  # type: ignore[type-arg]
    return [s.source.name for s in states]


@pytest.mark.fault
def test_lease_excludes_a_second_owner_until_it_expires(store: Store) -> None:
    store.sync_sources([make_source("un"), make_source("nato")], now=T0)
    assert sorted(_names(store.claim_due(now=T0, owner="a", lease=LEASE))) == ["nato", "un"]
    assert store.claim_due(now=T0, owner="b", lease=LEASE) == []
    assert store.claim_due(now=T0, owner="b", lease=LEASE, force=True) == []
    assert store.claim_due(now=T0, owner="b", lease=LEASE, names=["un"]) == []
    # nor does the holder get them twice while it is still fetching them
    assert store.claim_due(now=T0, owner="a", lease=LEASE, force=True) == []
    expired = T0 + LEASE
    claimed = store.claim_due(now=expired, owner="b", lease=LEASE)
    assert sorted(_names(claimed)) == ["nato", "un"]
    assert {s.lease_owner for s in claimed} == {"b"}
    assert {s.lease_expires_at for s in claimed} == {expired + LEASE}


def test_only_due_sources_unless_forced_or_named(store: Store) -> None:
    store.sync_sources([make_source("un"), make_source("nato")], now=T0)
    state = store.claim_due(now=T0, owner="a", lease=LEASE, names=["un"])[0]
    store.save_fetch(state, make_result("un"), [], Poll(next_poll=T0 + timedelta(hours=1)), now=T0)

    assert _names(store.claim_due(now=T0, owner="a", lease=LEASE, limit=5)) == ["nato"]
    store.release("a")
    assert sorted(_names(store.claim_due(now=T0, owner="a", lease=LEASE, force=True))) == [
        "nato",
        "un",
    ]
    store.release("a")
    assert _names(store.claim_due(now=T0, owner="a", lease=LEASE, names=["un"])) == ["un"]
    store.release("a", names=["un"])
    later = T0 + timedelta(hours=1)
    assert len(store.claim_due(now=later, owner="a", lease=LEASE, limit=1)) == 1


def test_unknown_names_are_listed(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    with pytest.raises(StoreError, match="unknown source\\(s\\): tass, rt"):
        store.claim_due(now=T0, owner="a", lease=LEASE, names=["un", "tass", "rt"])
    # nothing was leased by the refused call
    assert _names(store.claim_due(now=T0, owner="b", lease=LEASE)) == ["un"]


def test_disabled_sources_are_never_claimed(store: Store) -> None:
    store.sync_sources([make_source("un", enabled=False), make_source("nato")], now=T0)
    assert _names(store.claim_due(now=T0, owner="a", lease=LEASE, force=True)) == ["nato"]
    assert store.claim_due(now=T0, owner="b", lease=LEASE, names=["un"]) == []


@pytest.mark.fault
def test_save_keeps_a_lease_another_owner_took_over(store: Store) -> None:
    store.sync_sources([make_source("un")], now=T0)
    slow = store.claim_due(now=T0, owner="slow", lease=LEASE)[0]
    store.claim_due(now=T0 + LEASE, owner="fast", lease=LEASE)
    store.save_fetch(slow, make_result("un"), [], Poll(), now=T0 + LEASE)
    # "fast" still holds it: nobody else can claim before its lease ends
    assert store.claim_due(now=T0 + LEASE, owner="third", lease=LEASE, force=True) == []


@pytest.mark.fault
def test_concurrent_claims_never_share_a_source(store: Store) -> None:
    names = [f"src{i:02d}" for i in range(24)]
    store.sync_sources([make_source(n) for n in names], now=T0)

    def claim_all(worker: int) -> list[str]:
        got: list[str] = []
        for _ in range(len(names)):  # bounded: each round claims at least one or stops
            batch = store.claim_due(now=T0, owner=f"w{worker}", lease=LEASE, limit=2)
            if not batch:
                break
            got.extend(_names(batch))
        return got

    first, second = run_together(2, claim_all)
    assert not set(first) & set(second)
    assert sorted(first + second) == names


@pytest.mark.fault
def test_concurrent_saves_of_the_same_new_urls_make_one_article_each(store: Store) -> None:
    store.sync_sources([make_source("a"), make_source("b")], now=T0)
    states = {s.source.name: s for s in store.claim_due(now=T0, owner="w", lease=LEASE)}
    urls = [f"https://news.example.org/shared/{i}" for i in range(150)]

    def save(worker: int) -> int:
        name = "ab"[worker]
        batch = [make_article(name, f"{name}-{i}", url) for i, url in enumerate(urls)]
        report = store.save_fetch(states[name], make_result(name), batch, Poll(), now=T0)
        return report.new

    assert run_together(2, save) == [150, 150]
    assert store.article_count() == 150
    carried = store.articles(source="a")
    assert len(carried) == 150
    assert {a.sources for a in carried} == {("a", "b")}


@pytest.mark.fault
def test_a_holder_renews_its_leases_and_only_its_own(store: Store) -> None:
    store.sync_sources([make_source("un"), make_source("nato"), make_source("osce")], now=T0)
    store.claim_due(now=T0, owner="a", lease=LEASE, names=["un", "nato"])
    store.claim_due(now=T0, owner="b", lease=LEASE, names=["osce"])
    assert store.lease_holders() == ["a", "b"]
    later = T0 + LEASE - timedelta(seconds=1)
    assert store.renew_leases("a", until=later + LEASE) == 2
    # b stopped renewing: its lease lapses, a's (renewed) does not
    assert _names(store.claim_due(now=T0 + LEASE, owner="c", lease=LEASE, force=True)) == ["osce"]
    assert store.claim_due(now=later + LEASE - timedelta(seconds=1), owner="c", lease=LEASE) == []
    assert store.lease_holders() == ["a", "c"]
    assert store.renew_leases("nobody", until=T0) == 0
    store.release("a")
    store.release("c")
    assert store.lease_holders() == []
