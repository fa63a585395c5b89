"""The web archive's reads on real SQLite and PostgreSQL: one event, archive days, actors,
digest days and counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from aggregator.group import EventUpdate, GroupingStep
from aggregator.model import FetchOutcome
from aggregator.store import Store, open_store
from aggregator.store import actors as actors_module
from tests.integration.test_store_support import (
    T0,
    Poll,
    claim_one,
    make_article,
    make_result,
    make_source,
    make_statement,
    save_articles,
)

H = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        opened.sync_sources(
            [make_source("mfa", kind="official"), make_source("wire", kind="wire")], now=T0
        )
        yield opened


def _ev(event_id: str, first: datetime = T0 - 2 * H, last: datetime = T0 - H) -> EventUpdate:
    return EventUpdate(event_id, f"Title of {event_id}", first, last)


def _group(store: Store, assignments: list[tuple[int, str]], **kw: Any) -> None:
    events = kw.pop("events", None)
    if events is None:
        events = [_ev(e) for e in sorted({e for _, e in assignments})]
    step = GroupingStep(
        assignments=tuple((str(article), event) for article, event in assignments),
        events=tuple(events),
        merges=tuple(kw.pop("merges", [])),
    )
    store.save_grouping(step, now=T0)


# -- one event -------------------------------------------------------------------------------


def test_event_is_the_whole_life_of_one_event(store: Store) -> None:
    [early] = save_articles(store, "mfa", [make_article("mfa", "m1")])
    [late] = save_articles(store, "wire", [make_article("wire", "w1", published=T0 + 3 * DAY)])
    store.replace_statements(early, [make_statement("We recall our envoy")], version="x")
    store.replace_statements(late, [make_statement("The envoy is back", start=30)], version="x")
    _group(store, [(early, "ev-1"), (late, "ev-1")])

    [in_period] = store.events_in_period(T0 - DAY, T0 + DAY)
    whole = store.event("ev-1")
    assert whole is not None
    # the period's read stops at its end; the event's own page shows everything
    assert [r.article_id for r in in_period.articles] == [early]
    assert [r.article_id for r in whole.articles] == [early, late]
    assert [s.text for s in whole.statements] == ["We recall our envoy", "The envoy is back"]
    assert whole.statements[0] == in_period.statements[0]
    assert (whole.merged_into, whole.merged_from) == (None, ())
    assert (in_period.merged_into, in_period.merged_from) == (None, ())
    assert (whole.title, whole.article_count, whole.source_count) == ("Title of ev-1", 2, 2)
    assert store.event("ev-nope") is None


def test_event_names_merges_both_ways(store: Store) -> None:
    [a] = save_articles(store, "mfa", [make_article("mfa", "m1")])
    [b] = save_articles(store, "wire", [make_article("wire", "w1")])
    _group(store, [(a, "ev-a"), (b, "ev-b")])
    _group(store, [], events=[], merges=[("ev-b", "ev-a")])

    survivor, absorbed = store.event("ev-a"), store.event("ev-b")
    assert survivor is not None
    assert absorbed is not None
    assert (survivor.merged_into, survivor.merged_from) == (None, ("ev-b",))
    assert [r.article_id for r in survivor.articles] == [a, b]
    # the absorbed event is returned (the caller redirects); its articles went to the survivor
    assert (absorbed.merged_into, absorbed.merged_from, absorbed.articles) == ("ev-a", (), ())
    # and the digest's read still shows live events only
    assert [d.id for d in store.events_in_period(T0 - DAY, T0 + DAY)] == ["ev-a"]


# -- archive days ----------------------------------------------------------------------------


def test_events_between_pages_through_every_event_once(store: Store) -> None:
    # an event's span is its articles' times: one article each, published when wanted
    lasts = [T0 - H, T0 - H, T0 - 2 * H, T0 - 3 * H, T0 - 3 * H, T0 - 3 * H, T0 - 5 * H]
    names = [f"ev-{i}" for i in range(len(lasts))] + ["ev-old", "ev-gone"]
    times = [*lasts, T0 - 4 * DAY, T0 - H]  # ev-old is before the period; ev-gone is merged
    ids = save_articles(
        store, "wire", [make_article("wire", f"w{i}", published=t) for i, t in enumerate(times)]
    )
    _group(store, list(zip(ids, names, strict=True)))
    _group(store, [], events=[], merges=[("ev-gone", "ev-0")])

    expected = sorted(
        (s for s in store.events_between(T0 - DAY, T0 + DAY, limit=100)),
        key=lambda e: (-e.last_seen_at.timestamp(), e.id),
    )
    assert [e.id for e in expected] == [
        "ev-0",
        "ev-1",
        "ev-2",
        "ev-3",
        "ev-4",
        "ev-5",
        "ev-6",
    ]
    seen: list[str] = []
    after: str | None = None
    while True:
        page = store.events_between(T0 - DAY, T0 + DAY, after=after, limit=3)
        seen.extend(e.id for e in page)
        if len(page) < 3:
            break
        after = page[-1].cursor
    assert seen == [e.id for e in expected]
    first = expected[0]
    assert (first.title, first.article_count, first.source_count) == ("Title of ev-0", 2, 1)

    with pytest.raises(ValueError, match="not a page cursor"):
        store.events_between(T0 - DAY, T0 + DAY, after="nonsense!")
    with pytest.raises(ValueError, match="limit"):
        store.events_between(T0 - DAY, T0 + DAY, limit=0)
    with pytest.raises(ValueError, match="empty period"):
        store.events_between(T0, T0)


# -- actors ----------------------------------------------------------------------------------


def _actor_scenario(store: Store) -> list[int]:
    """Lavrov speaks in four articles (one a copy of another), spelled two ways; Barrot once."""
    times = [T0 - 4 * H, T0 - 3 * H, T0 - 2 * H, T0 - H]
    ids = save_articles(
        store, "wire", [make_article("wire", f"w{i}", published=t) for i, t in enumerate(times)]
    )
    lavrov = {"actor": "Sergei Lavrov", "side": "Russia"}
    store.replace_statements(ids[0], [make_statement("First words", **lavrov)], version="x")
    store.replace_statements(
        ids[1],
        [
            make_statement("Second words", actor="Sergei  Lavrov!", side="Russia"),
            make_statement("Noël said", start=20, actor="Jean-Noël Barrot", side="France"),
        ],
        version="x",
    )
    store.replace_statements(ids[2], [make_statement("Third words", **lavrov)], version="x")
    store.replace_statements(ids[3], [make_statement("Third words", **lavrov)], version="x")
    found = store.statements_for_articles(ids)
    # the fourth article carries the third's statement: one canonical statement
    store.set_statement_canonicals([(found[ids[3]][0].id, found[ids[2]][0].id)])
    return ids


def test_actor_statements_newest_first_by_pages(store: Store) -> None:
    ids = _actor_scenario(store)
    page = store.actor_statements("sergei-lavrov", limit=2)
    assert page.actor == "Sergei Lavrov"  # the most frequent spelling
    assert (page.roles, page.sides, page.total) == (("minister",), ("Russia",), 3)
    assert [s.text for s in page.statements] == ["Third words", "Second words"]
    first = page.statements[0]
    assert (first.article_id, first.event_id, first.publisher) == (ids[2], None, "Wire")
    assert first.url == "https://news.example.org/wire/w2"
    assert first.article_title == "Title w2 v1"
    assert first.published == T0 - 2 * H
    assert (first.kind, first.speaker, first.role, first.commentary) == (
        "direct",
        "the minister",
        "minister",
        False,
    )
    assert page.next_cursor is not None
    rest = store.actor_statements("sergei-lavrov", after=page.next_cursor, limit=2)
    assert [s.text for s in rest.statements] == ["First words"]
    assert rest.next_cursor is None

    bounded = store.actor_statements("sergei-lavrov", start=T0 - 3 * H, end=T0 - 2 * H)
    assert ([s.text for s in bounded.statements], bounded.total) == (["Second words"], 1)
    assert bounded.actor == "Sergei Lavrov"  # who the actor is does not depend on the period

    barrot = store.actor_statements("jean-noel-barrot")
    assert (barrot.actor, barrot.sides, [s.text for s in barrot.statements]) == (
        "Jean-Noël Barrot",
        ("France",),
        ["Noël said"],
    )
    nobody = store.actor_statements("nobody")
    assert (nobody.actor, nobody.roles, nobody.statements, nobody.total) == (None, (), (), 0)
    with pytest.raises(ValueError, match="not a page cursor"):
        store.actor_statements("sergei-lavrov", after=first.article_title)


def test_actor_statements_are_built_once_a_set_of_bounds(store: Store) -> None:
    """Other speakers, periods, sizes and cursors reuse the statements built for a set of
    bounds (building them anew was a tenth of a busy speaker's page)."""
    _actor_scenario(store)
    shapes = ({}, {"start": T0 - 9 * H, "end": T0})
    for bounds in shapes:
        first = store.actor_statements("sergei-lavrov", limit=1, **bounds)
        assert first.next_cursor is not None
        store.actor_statements("sergei-lavrov", limit=1, after=first.next_cursor, **bounds)
    built = actors_module._actor_queries.cache_info().misses
    page = store.actor_statements("sergei-lavrov", limit=2, start=T0 - 3 * H, end=T0 - H)
    assert [s.text for s in page.statements] == ["Third words", "Second words"]
    rest = store.actor_statements("sergei-lavrov", limit=1, start=T0 - 3 * H, end=T0 - H)
    assert rest.next_cursor is not None
    after = store.actor_statements(
        "sergei-lavrov", limit=1, start=T0 - 3 * H, end=T0 - H, after=rest.next_cursor
    )
    assert ([s.text for s in after.statements], after.total) == (["Second words"], 2)
    assert store.actor_statements("jean-noel-barrot").total == 1
    assert actors_module._actor_queries.cache_info().misses == built


def test_actors_index_most_statements_first(store: Store) -> None:
    _actor_scenario(store)
    assert store.actors() == [
        ("sergei-lavrov", "Sergei Lavrov", 3),
        ("jean-noel-barrot", "Jean-Noël Barrot", 1),
    ]
    assert store.actors("Jean-N") == [("jean-noel-barrot", "Jean-Noël Barrot", 1)]
    assert store.actors("ser", limit=1) == [("sergei-lavrov", "Sergei Lavrov", 3)]
    assert store.actors("%") == []
    assert store.actors("zz") == []


def test_a_changed_published_time_moves_the_statements(store: Store) -> None:
    """Statements carry their article's time (0007): an entry re-published with a new time and
    new words moves its statements on the actor page before any re-extraction."""
    ids = _actor_scenario(store)
    changed = make_article("wire", "w0", body="v2", published=T0 - H / 2)
    save_articles(store, "wire", [changed], now=T0)
    page = store.actor_statements("sergei-lavrov")
    assert [s.text for s in page.statements] == ["First words", "Third words", "Second words"]
    assert (page.statements[0].article_id, page.statements[0].published) == (ids[0], T0 - H / 2)
    recent = store.actor_statements("sergei-lavrov", start=T0 - H)
    assert ([s.text for s in recent.statements], recent.total) == (["First words"], 1)


def test_re_extraction_rewrites_the_slug(store: Store) -> None:
    [article] = save_articles(store, "mfa", [make_article("mfa", "m1")])
    store.replace_statements(article, [make_statement("Words", actor="Лавров")], version="x")
    assert store.actors() == [("лавров", "Лавров", 1)]
    store.replace_statements(
        article, [make_statement("Words", actor="Maria Zakharova")], version="y"
    )
    assert store.actors() == [("maria-zakharova", "Maria Zakharova", 1)]
    store.replace_statements(article, [make_statement("Words", actor=None)], version="z")
    assert store.actors() == []


# -- digest days and counts ------------------------------------------------------------------


def test_digest_days_newest_period_first(store: Store) -> None:
    for day in range(3):
        start = T0 + day * DAY
        for subscription in ("daily", "weekly"):
            claim = store.claim_digest(
                subscription,
                f"2026-03-0{day + 1}",
                start,
                start + DAY,
                owner="w1",
                lease=timedelta(minutes=5),
                now=T0,
            )
            assert claim is not None
            store.save_rendered(claim.id, owner="w1", message_id="<m>", eml="x" * 1000)
            if day < 2:
                store.mark_sending(claim.id, owner="w1", now=T0)
                store.mark_sent(claim.id, owner="w1", now=T0 + H)
    rows = store.digest_days()
    assert [(r.subscription, r.period_label) for r in rows[:2]] == [
        ("daily", "2026-03-03"),
        ("weekly", "2026-03-03"),
    ]
    assert len(rows) == 6
    daily = store.digest_days("daily", limit=2)
    assert [(r.period_label, r.status, r.sent_at) for r in daily] == [
        ("2026-03-03", "pending", None),
        ("2026-03-02", "sent", T0 + H),
    ]
    assert store.counts().digests_sent == 4


def test_counts(store: Store) -> None:
    empty = store.counts()
    assert (empty.fetches, empty.articles, empty.events, empty.last_successful_poll) == (
        {},
        0,
        0,
        None,
    )
    [a, b] = save_articles(store, "wire", [make_article("wire", "w1"), make_article("wire", "w2")])
    store.replace_statements(
        a, [make_statement("One"), make_statement("Two", start=9)], version="x"
    )
    _group(store, [(a, "ev-1"), (b, "ev-2")])
    _group(store, [], events=[], merges=[("ev-2", "ev-1")])
    state = claim_one(store, "mfa", now=T0 + H)
    store.save_fetch(
        state,
        make_result("mfa", FetchOutcome.FAILED, status=500, error="boom"),
        [],
        Poll(failures=1),
        now=T0 + H,
    )
    counts = store.counts()
    assert counts.fetches == {"ok": 1, "failed": 1}
    assert (counts.articles, counts.statements, counts.events, counts.digests_sent) == (2, 2, 1, 0)
    # the failure came later; the latest successful poll is the ok one
    assert counts.last_successful_poll == T0
