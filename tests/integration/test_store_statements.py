"""Statements on real SQLite and PostgreSQL: replace, read, canonicals, cascades, batches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

from aggregator.errors import StoreError
from aggregator.group import EventUpdate, GroupingStep
from aggregator.store import Store, open_store
from aggregator.store.engine import normalise_url
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_statement,
    run_together,
    save_articles,
)

V1 = "extract-1"
V2 = "extract-2"
SAID = [
    make_statement("We will not accept this ceasefire plan", side="Veskaria", actor="A. Petrov"),
    make_statement("Talks resume on Monday", start=60, speaker=None, kind="indirect", cue=None),
    make_statement("The border stays open", start=90, side="Oradin", kind="mixed"),
]


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def _sql(db_url: str, statement: str) -> None:
    """Run raw SQL the store offers no method for (deleting an article)."""
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.execute(text(statement))
    finally:
        engine.dispose()


def test_replace_stores_in_order_and_reads_back(store: Store) -> None:
    [a, b] = save_articles(store, "un", [make_article("un", "a"), make_article("un", "b")])
    assert store.replace_statements(a, SAID, version=V1) == 3
    found = store.statements_for_articles([a, b, 999])
    assert set(found) == {a, b, 999}
    assert found[b] == found[999] == []
    assert [s.statement for s in found[a]] == SAID
    assert [s.seq for s in found[a]] == [0, 1, 2]
    assert {s.article_id for s in found[a]} == {a}
    assert all(s.canonical_id is None for s in found[a])
    assert store.stats()["statements"] == 3


def test_same_statements_again_keep_their_ids_and_set_the_version(store: Store) -> None:
    [a] = save_articles(store, "un", [make_article("un", "a")])
    store.replace_statements(a, SAID, version=V1)
    ids = [s.id for s in store.statements_for_articles([a])[a]]
    assert store.replace_statements(a, list(SAID), version=V2) == 3
    assert store.replace_statements(a, list(SAID), version=V2) == 3
    assert [s.id for s in store.statements_for_articles([a])[a]] == ids
    assert store.articles_by_id([a])[0].extracted_version == V2


@pytest.mark.parametrize(
    "changed",
    [
        [*SAID[:2], replace(SAID[2], side="Veskaria")],  # one side differs
        [SAID[1], SAID[0], SAID[2]],  # same statements, other order
        SAID[:2],  # one fewer
        [*SAID, make_statement("And one more", start=200)],
        [replace(SAID[0], cue="insisted"), *SAID[1:]],
        [replace(SAID[0], start=1, end=SAID[0].end + 1), *SAID[1:]],
    ],
)
def test_different_statements_replace_the_old_rows(store: Store, changed: list) -> None:  # type: ignore[type-arg]
    [a] = save_articles(store, "un", [make_article("un", "a")])
    store.replace_statements(a, SAID, version=V1)
    old = {s.id for s in store.statements_for_articles([a])[a]}
    assert store.replace_statements(a, changed, version=V2) == len(changed)
    stored = store.statements_for_articles([a])[a]
    assert [s.statement for s in stored] == changed
    assert not old & {s.id for s in stored}
    assert store.stats()["statements"] == len(changed)


def test_no_statements_clears_them(store: Store) -> None:
    [a] = save_articles(store, "un", [make_article("un", "a")])
    store.replace_statements(a, SAID, version=V1)
    assert store.replace_statements(a, [], version=V2) == 0
    assert store.statements_for_articles([a])[a] == []
    assert store.articles_by_id([a])[0].extracted_version == V2


def test_unknown_article_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match=r"unknown article\(s\) 12345"):
        store.replace_statements(12345, SAID, version=V1)


def test_replace_many_in_one_transaction(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b", "c")])
    a, b, c = ids
    assert store.replace_statements_many([(a, SAID), (b, SAID[:1])], version=V1) == 4
    kept = [s.id for s in store.statements_for_articles([a])[a]]
    # a identical (ids kept), b changed, c new, and c given twice: the last wins
    stored = store.replace_statements_many(
        [(a, list(SAID)), (b, SAID[1:]), (c, SAID[:1]), (c, SAID[2:])], version=V2
    )
    assert stored == 3 + 2 + 1
    found = store.statements_for_articles(ids)
    assert [s.id for s in found[a]] == kept
    assert [s.statement for s in found[b]] == SAID[1:]
    assert [s.statement for s in found[c]] == SAID[2:]
    assert {x.extracted_version for x in store.articles_by_id(ids)} == {V2}

    # one unknown id: nothing at all is written
    with pytest.raises(StoreError, match=r"unknown article\(s\) 999"):
        store.replace_statements_many([(a, []), (999, SAID)], version="v3")
    assert [s.id for s in store.statements_for_articles([a])[a]] == kept
    assert store.articles_by_id([a])[0].extracted_version == V2


def test_canonicals_set_follow_chains_and_clear_on_delete(store: Store, db_url: str) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b", "c")])
    for article_id in ids:
        store.replace_statements(article_id, SAID[:1], version=V1)
    found = store.statements_for_articles(ids)
    sa, sb, sc = (found[i][0].id for i in ids)
    # c -> b and b -> a: c's canonical is stored as a (readers follow one step)
    store.set_statement_canonicals([(sa, sa), (sb, sa), (sc, sb)])
    found = store.statements_for_articles(ids)
    assert [found[i][0].canonical_id for i in ids] == [None, sa, sa]
    assert store.stats()["statements"] == 3

    # deleting the canonical's article: its statements go, the copies become canonical
    _sql(db_url, f"DELETE FROM articles WHERE id = {ids[0]}")
    found = store.statements_for_articles(ids)
    assert found[ids[0]] == []
    assert [found[i][0].canonical_id for i in ids[1:]] == [None, None]
    assert store.stats()["statements"] == 2


def test_a_vanished_canonical_leaves_the_statement_canonical(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b")])
    for article_id in ids:
        store.replace_statements(article_id, SAID[:1], version=V1)
    found = store.statements_for_articles(ids)
    gone = found[ids[0]][0].id
    store.replace_statements(ids[0], SAID[1:], version=V2)  # re-extracted: ``gone`` is deleted
    store.set_statement_canonicals([(found[ids[1]][0].id, gone), (987654, None)])
    assert store.statements_for_articles([ids[1]])[ids[1]][0].canonical_id is None


def test_canonical_cycle_is_refused(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b")])
    for article_id in ids:
        store.replace_statements(article_id, SAID[:1], version=V1)
    found = store.statements_for_articles(ids)
    sa, sb = (found[i][0].id for i in ids)
    with pytest.raises(ValueError, match="cycle"):
        store.set_statement_canonicals([(sa, sb), (sb, sa)])


def test_reextracting_the_canonical_frees_its_copies(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b")])
    for article_id in ids:
        store.replace_statements(article_id, SAID[:1], version=V1)
    found = store.statements_for_articles(ids)
    store.set_statement_canonicals([(found[ids[1]][0].id, found[ids[0]][0].id)])
    store.replace_statements(ids[0], SAID[1:], version=V2)
    assert store.statements_for_articles([ids[1]])[ids[1]][0].canonical_id is None


def test_changed_statements_send_a_grouped_article_back_to_grouping(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b", "c", "d", "e")])
    a, b, c, d, e = ids
    store.replace_statements_many([(i, SAID) for i in ids], version=V1)
    step = GroupingStep(
        assignments=tuple((str(i), "ev-1") for i in (a, b, c, d)),  # e is not grouped yet
        events=(EventUpdate("ev-1", "Ceasefire talks", T0, T0),),
    )
    store.save_grouping(step, now=T0)
    assert list(store.articles_for_grouping()) == [[x] for x in store.articles_by_id([e])]

    # a identical; b and e changed; c changed alone later; d identical under a new version
    store.replace_statements_many([(a, list(SAID)), (b, SAID[:2]), (e, SAID[1:])], version=V2)
    store.replace_statements(c, [replace(SAID[0], side="Oradin"), *SAID[1:]], version=V2)
    store.replace_statements(d, list(SAID), version=V2)

    stored = {x.id: x for x in store.articles_by_id(ids)}
    assert {i: stored[i].grouped_at for i in ids} == {a: T0, b: None, c: None, d: T0, e: None}
    # the event stays: grouping re-adds the article to it and merges its new statements
    assert {i: stored[i].event_id for i in ids} == {
        a: "ev-1",
        b: "ev-1",
        c: "ev-1",
        d: "ev-1",
        e: None,
    }
    assert [x.id for batch in store.articles_for_grouping() for x in batch] == sorted([b, c, e])


def test_articles_for_extraction_in_batches_by_version(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", f"g{i}") for i in range(7)])
    batches = list(store.articles_for_extraction(version=V1, batch=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [a.id for b in batches for a in b] == sorted(ids)

    # extract while iterating: what is done drops out, the rest still comes
    seen = []
    for batch in store.articles_for_extraction(version=V1, batch=2):
        for article in batch:
            seen.append(article.id)
            store.replace_statements(article.id, SAID[:1], version=V1)
    assert seen == sorted(ids)
    assert list(store.articles_for_extraction(version=V1)) == []
    assert [len(b) for b in store.articles_for_extraction(version=V1, all=True)] == [7]
    store.replace_statements(ids[3], SAID[:1], version=V2)
    assert [[a.id for a in b] for b in store.articles_for_extraction(version=V2, batch=4)] == [
        sorted(ids[:3] + ids[4:])[:4],
        sorted(ids[:3] + ids[4:])[4:],
    ]
    with pytest.raises(ValueError, match="batch"):
        next(store.articles_for_extraction(version=V1, batch=0))


def test_concurrent_extractors_of_one_article_take_turns(store: Store) -> None:
    ids = save_articles(store, "un", [make_article("un", g) for g in ("a", "b")])
    versions = [SAID, SAID[1:]]

    def extract(worker: int) -> int:
        # each round writes different statements, so every call deletes and inserts
        for round_ in range(8):
            chosen = versions[(worker + round_) % 2]
            store.replace_statements_many([(i, chosen) for i in ids], version=f"w{worker}")
        return worker

    assert sorted(run_together(2, extract)) == [0, 1]
    found = store.statements_for_articles(ids)
    for article_id in ids:
        assert [s.statement for s in found[article_id]] in versions
        assert [s.seq for s in found[article_id]] == list(range(len(found[article_id])))
