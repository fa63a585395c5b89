"""Events and grouping on real SQLite and PostgreSQL: save_grouping, reads, events_in_period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from aggregator.errors import StoreError
from aggregator.group import EventUpdate, GroupingStep
from aggregator.model import Event
from aggregator.store import Store, open_store
from aggregator.store.engine import normalise_url
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_source,
    make_statement,
    save_articles,
)

H = timedelta(hours=1)
DAY = timedelta(days=1)
RECALL = make_statement("We are recalling our ambassador", side="Veskaria", actor="MFA Veskaria")
REGRET = make_statement("We regret this step", start=40, side="Oradin", actor="MFA Oradin")
TALKS = make_statement("Talks continue", start=80, speaker=None, kind="indirect", cue=None)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        opened.sync_sources(
            [
                make_source("mfa", kind="official"),
                make_source("wire", kind="wire"),
                make_source("herald"),
            ],
            now=T0,
        )
        yield opened


def _rows(db_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Raw reads of what the store has no reader for (events.merged_into)."""
    engine = create_engine(normalise_url(db_url))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _ev(event_id: str, first: datetime = T0 - 2 * H, last: datetime = T0 - H) -> EventUpdate:
    return EventUpdate(event_id, f"Title of {event_id}", first, last)


def _group(store: Store, assignments: list[tuple[int, str]], **kw: Any) -> None:
    events = kw.pop("events", None)
    if events is None:
        events = [_ev(e) for e in sorted({e for _, e in assignments})]
    step = GroupingStep(
        assignments=tuple((str(article), event) for article, event in assignments),
        near_duplicates=tuple((str(c), str(o)) for c, o in kw.pop("near_duplicates", [])),
        events=tuple(events),
        merges=tuple(kw.pop("merges", [])),
    )
    store.save_grouping(step, now=kw.pop("now", T0))


def _by_id(details: list[Event]) -> dict[str, Event]:
    return {d.id: d for d in details}


def _counts(detail: Event) -> tuple[int, int, int, int]:
    return (
        detail.article_count,
        detail.source_count,
        detail.statement_count,
        detail.side_count,
    )


def _scenario(store: Store) -> dict[str, int]:
    """Five articles: mfa's own statement, copies of it at wire and herald, two on other news."""
    [mfa] = save_articles(store, "mfa", [make_article("mfa", "m1")])
    [wire, other] = save_articles(
        store, "wire", [make_article("wire", "w1"), make_article("wire", "w2")]
    )
    [herald, late] = save_articles(
        store,
        "herald",
        [make_article("herald", "h1"), make_article("herald", "h2", published=T0 + 3 * DAY)],
    )
    store.replace_statements(mfa, [RECALL], version="x")
    store.replace_statements(wire, [RECALL, REGRET], version="x")
    store.replace_statements(herald, [RECALL, TALKS], version="x")
    store.replace_statements(other, [TALKS], version="x")
    found = store.statements_for_articles([mfa, wire, herald])
    canonical = found[mfa][0].id
    store.set_statement_canonicals(
        [(found[wire][0].id, canonical), (found[herald][0].id, canonical)]
    )
    return {"mfa": mfa, "wire": wire, "herald": herald, "other": other, "late": late}


def test_save_grouping_assigns_counts_and_stamps(store: Store) -> None:
    ids = _scenario(store)
    _group(
        store,
        [
            (ids["mfa"], "ev-1"),
            (ids["wire"], "ev-1"),
            (ids["herald"], "ev-1"),
            (ids["other"], "ev-2"),
        ],
        now=T0 + H,
    )
    details = _by_id(store.events_in_period(T0 - DAY, T0 + DAY))
    # ev-1: 3 articles from 3 sources; RECALL (once: one canonical), REGRET, TALKS; 2 sides
    assert _counts(details["ev-1"]) == (3, 3, 3, 2)
    assert _counts(details["ev-2"]) == (1, 1, 1, 0)
    stamped = {a.id: (a.event_id, a.grouped_at) for a in store.articles()}
    assert stamped[ids["mfa"]] == ("ev-1", T0 + H)
    assert stamped[ids["late"]] == (None, None)
    assert store.stats()["events"] == 2


def test_save_grouping_is_idempotent(store: Store, db_url: str) -> None:
    ids = _scenario(store)
    grouping = [(ids["mfa"], "ev-1"), (ids["wire"], "ev-2")]
    _group(store, grouping, merges=[("ev-2", "ev-1")])
    query = (
        "SELECT id, title, article_count, source_count, statement_count, side_count, "
        "merged_into FROM events ORDER BY id"
    )
    first = _rows(db_url, query)
    _group(store, grouping, merges=[("ev-2", "ev-1")])
    assert _rows(db_url, query) == first
    # ev-2 is restated live, then merged again in the same step: merged wins
    assert first[1][-1] == "ev-1"


def test_merges_move_articles_and_recount(store: Store, db_url: str) -> None:
    ids = _scenario(store)
    _group(
        store,
        [
            (ids["mfa"], "ev-a"),
            (ids["wire"], "ev-b"),
            (ids["herald"], "ev-c"),
            (ids["other"], "ev-d"),
        ],
    )
    assert _rows(db_url, "SELECT count(*) FROM events WHERE merged_into IS NULL") == [(4,)]

    # b -> a in one step; then c -> d and d -> a in another (a chain)
    _group(store, [], events=[], merges=[("ev-b", "ev-a")])
    _group(store, [], events=[], merges=[("ev-c", "ev-d"), ("ev-d", "ev-a")])
    merged = dict(_rows(db_url, "SELECT id, merged_into FROM events ORDER BY id"))
    assert merged == {"ev-a": None, "ev-b": "ev-a", "ev-c": "ev-a", "ev-d": "ev-a"}
    assert {a.event_id for a in store.articles() if a.id != ids["late"]} == {"ev-a"}
    [only] = store.events_in_period(T0 - DAY, T0 + DAY)
    assert only.id == "ev-a"
    # RECALL once (one canonical), REGRET, and two TALKS nobody merged
    assert _counts(only) == (4, 3, 4, 2)
    absorbed = _rows(db_url, "SELECT article_count, statement_count FROM events WHERE id <> 'ev-a'")
    assert set(absorbed) == {(0, 0)}
    assert store.stats()["events"] == 1

    # an event merged into one that is later absorbed follows it
    _group(store, [(ids["late"], "ev-z")])
    _group(store, [], events=[], merges=[("ev-a", "ev-z")])
    assert {m for (m,) in _rows(db_url, "SELECT merged_into FROM events WHERE id <> 'ev-z'")} == {
        "ev-z"
    }


def test_an_event_created_and_absorbed_in_one_step_need_not_be_described(
    store: Store, db_url: str
) -> None:
    ids = _scenario(store)
    _group(store, [(ids["mfa"], "ev-old")])
    # ev-new appears and is merged into ev-old within the batch: the stage describes only ev-old
    _group(
        store,
        [(ids["wire"], "ev-new"), (ids["herald"], "ev-new")],
        events=[_ev("ev-old")],
        merges=[("ev-new", "ev-old")],
    )
    assert {a.event_id for a in store.articles() if a.id in (ids["wire"], ids["herald"])} == {
        "ev-old"
    }
    assert _rows(db_url, "SELECT id, article_count FROM events") == [("ev-old", 3)]


def test_moving_an_article_recounts_both_events(store: Store) -> None:
    ids = _scenario(store)
    _group(store, [(ids["mfa"], "ev-1"), (ids["wire"], "ev-1")])
    _group(store, [(ids["wire"], "ev-2")])
    details = _by_id(store.events_in_period(T0 - DAY, T0 + DAY))
    assert _counts(details["ev-1"]) == (1, 1, 1, 1)
    assert _counts(details["ev-2"]) == (1, 1, 2, 2)


def _span(store: Store, event_id: str) -> tuple[datetime, datetime]:
    [detail] = [d for d in store.events_in_period(T0 - 30 * DAY, T0 + DAY) if d.id == event_id]
    return detail.first_seen_at, detail.last_seen_at


def test_the_span_covers_every_article_whatever_the_order_they_are_grouped_in(
    store: Store,
) -> None:
    [early, late] = save_articles(
        store,
        "wire",
        [
            make_article("wire", "s1", published=T0 - 5 * H),
            make_article("wire", "s2", published=T0 - H),
        ],
    )
    # each step describes the event by its own batch only, the newest article first
    _group(store, [(late, "ev-1")], events=[_ev("ev-1", T0 - H, T0 - H)])
    assert _span(store, "ev-1") == (T0 - H, T0 - H)
    _group(store, [(early, "ev-1")], events=[_ev("ev-1", T0 - 5 * H, T0 - 5 * H)])
    assert _span(store, "ev-1") == (T0 - 5 * H, T0 - H)
    # re-grouping the oldest article alone does not move last seen back
    _group(store, [(early, "ev-1")], events=[_ev("ev-1", T0 - 5 * H, T0 - 5 * H)])
    assert _span(store, "ev-1") == (T0 - 5 * H, T0 - H)
    # nor does a step that claims a span its articles do not have
    _group(store, [(late, "ev-1")], events=[_ev("ev-1", T0 - 9 * DAY, T0 + 9 * DAY)])
    assert _span(store, "ev-1") == (T0 - 5 * H, T0 - H)
    # moving the newest article away narrows the span to what is left
    _group(store, [(late, "ev-2")], events=[_ev("ev-2", T0 - H, T0 - H)])
    assert _span(store, "ev-1") == (T0 - 5 * H, T0 - 5 * H)


def test_a_merge_widens_the_survivors_span(store: Store) -> None:
    [recent] = save_articles(store, "wire", [make_article("wire", "r1", published=T0 - H)])
    [old] = save_articles(store, "herald", [make_article("herald", "o1", published=T0 - 3 * DAY)])
    _group(store, [(recent, "ev-a")], events=[_ev("ev-a", T0 - H, T0 - H)])
    _group(store, [(old, "ev-b")], events=[_ev("ev-b", T0 - 3 * DAY, T0 - 3 * DAY)])
    assert [d.id for d in store.events_in_period(T0 - 4 * DAY, T0 - 2 * DAY)] == ["ev-b"]

    # the survivor is described (by its own batch) or not at all: either way it now spans both
    _group(store, [], events=[], merges=[("ev-b", "ev-a")])
    assert _span(store, "ev-a") == (T0 - 3 * DAY, T0 - H)
    # so a period that saw only the absorbed event's article finds the survivor
    assert [d.id for d in store.events_in_period(T0 - 4 * DAY, T0 - 2 * DAY)] == ["ev-a"]


def test_near_duplicates_join_their_original(store: Store) -> None:
    ids = _scenario(store)
    _group(store, [(ids["mfa"], "ev-1")])
    _group(
        store,
        [(ids["other"], "ev-2")],
        near_duplicates=[(ids["wire"], ids["mfa"]), (ids["herald"], ids["mfa"])],
    )
    stored = {a.id: a for a in store.articles()}
    assert stored[ids["wire"]].near_duplicate_of == ids["mfa"]
    assert stored[ids["wire"]].event_id == "ev-1"
    assert stored[ids["herald"]].grouped_at == T0
    assert _by_id(store.events_in_period(T0 - DAY, T0 + DAY))["ev-1"].article_count == 3


@pytest.mark.fault
def test_a_refused_grouping_writes_nothing(store: Store) -> None:
    ids = _scenario(store)
    with pytest.raises(StoreError):
        # ev-missing is neither stored nor described
        _group(store, [(ids["mfa"], "ev-1"), (ids["wire"], "ev-missing")], events=[_ev("ev-1")])
    assert store.stats()["events"] == 0
    assert {a.grouped_at for a in store.articles()} == {None}
    with pytest.raises(ValueError, match="cycle"):
        _group(store, [], events=[], merges=[("ev-1", "ev-2"), ("ev-2", "ev-1")])


def test_articles_for_grouping_oldest_first_in_batches(store: Store) -> None:
    published = [T0 - 3 * H, None, T0 - 5 * H, T0 - 3 * H, T0 - DAY]
    ids = save_articles(
        store, "wire", [make_article("wire", f"g{i}", published=p) for i, p in enumerate(published)]
    )
    # None falls back to first seen (T0); equal times go by id
    expected = [ids[4], ids[2], *sorted([ids[0], ids[3]]), ids[1]]
    batches = list(store.articles_for_grouping(batch=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    assert [a.id for b in batches for a in b] == expected

    seen: list[int] = []
    for batch in store.articles_for_grouping(batch=2):
        seen.extend(a.id for a in batch)
        _group(store, [(a.id, "ev-1") for a in batch])
    assert seen == expected
    assert list(store.articles_for_grouping()) == []
    assert [a.id for b in store.articles_for_grouping(all=True, batch=3) for a in b] == expected


def test_recent_grouped_restores_the_clusterer(store: Store) -> None:
    ids = _scenario(store)
    _group(
        store,
        [(ids["mfa"], "ev-1"), (ids["late"], "ev-2")],
        near_duplicates=[(ids["wire"], ids["mfa"])],
    )
    recent = store.recent_grouped(since=T0 - 2 * H)
    assert [(g.id, g.event_id, g.near_duplicate_of, g.source) for g in recent] == [
        (ids["mfa"], "ev-1", None, "mfa"),
        (ids["wire"], "ev-1", ids["mfa"], "wire"),
        (ids["late"], "ev-2", None, "herald"),
    ]
    assert recent[0].time == T0 - H
    assert recent[0].title == "Title m1 v1"
    assert recent[0].text.startswith("Ministers met")
    assert [g.id for g in store.recent_grouped(since=T0)] == [ids["late"]]


def test_events_in_period_shape(store: Store) -> None:
    ids = _scenario(store)
    [old] = save_articles(store, "wire", [make_article("wire", "w0", published=T0 - 3 * DAY)])
    _group(
        store,
        [
            (ids["mfa"], "ev-1"),
            (ids["wire"], "ev-1"),
            (old, "ev-2"),  # before the period
            (ids["herald"], "ev-3"),
            (ids["late"], "ev-1"),
        ],
        events=[
            _ev("ev-1", T0 - H, T0 + 3 * DAY),
            _ev("ev-2", T0 - 3 * DAY, T0 - 2 * DAY),
            _ev("ev-3"),
        ],
    )
    details = store.events_in_period(T0 - DAY, T0 + DAY)
    assert [d.id for d in details] == ["ev-1", "ev-3"]  # most recently active first
    ev1 = details[0]
    assert (ev1.title, ev1.first_seen_at, ev1.last_seen_at) == (
        "Title of ev-1",
        T0 - H,
        T0 + 3 * DAY,
    )
    # one report per carrying source; the late article is after the period: left out
    assert [(r.article_id, r.source, r.kind) for r in ev1.articles] == [
        (ids["mfa"], "mfa", "official"),
        (ids["wire"], "wire", "wire"),
    ]
    assert ev1.articles[0].publisher == "Mfa"
    assert ev1.articles[0].url == "https://news.example.org/mfa/m1"
    assert ev1.articles[0].published == T0 - H
    assert [(s.text, s.side) for s in ev1.statements] == [
        (RECALL.text, "Veskaria"),
        (REGRET.text, "Oradin"),
    ]
    recall = ev1.statements[0]
    assert (recall.article_id, recall.actor, recall.kind, recall.cue, recall.speaker) == (
        ids["mfa"],
        "MFA Veskaria",
        "direct",
        "said",
        "the minister",
    )
    # carried by the mfa article and by the copies merged into it, ev-3's herald included
    assert [r.source for r in recall.reports] == ["mfa", "wire", "herald"]
    assert [r.source for r in ev1.statements[1].reports] == ["wire"]

    # ev-3 (herald) shows the canonical RECALL it carries, and its own TALKS
    ev3 = details[1]
    assert [s.text for s in ev3.statements] == [RECALL.text, TALKS.text]
    assert ev3.statements[0].id == recall.id

    assert store.events_in_period(T0 + 10 * DAY, T0 + 11 * DAY) == []
    with pytest.raises(ValueError, match="empty period"):
        store.events_in_period(T0, T0)


def _count_queries(engine_class: type[Engine], call: Any) -> int:
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine_class, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(engine_class, "before_cursor_execute", before)
    return len(seen)


@pytest.mark.parametrize("events", [2, 40])
def test_events_in_period_needs_a_bounded_number_of_queries(store: Store, events: int) -> None:
    articles = [make_article("wire", f"n{i}") for i in range(events * 2)]
    ids = save_articles(store, "wire", articles)
    for i, article_id in enumerate(ids):
        store.replace_statements(article_id, [RECALL, TALKS] if i % 2 else [REGRET], version="x")
    _group(store, [(article_id, f"ev-{i // 2}") for i, article_id in enumerate(ids)])

    result: list[Event] = []
    queries = _count_queries(
        Engine, lambda: result.extend(store.events_in_period(T0 - DAY, T0 + DAY))
    )
    assert len(result) == events
    assert all(len(d.statements) == 3 and len(d.articles) == 2 for d in result)
    assert queries <= 5
