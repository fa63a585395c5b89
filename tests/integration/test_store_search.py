"""Search on real SQLite (FTS5) and PostgreSQL (tsvector): ranking, filters, pages, snippets,
hostile queries, an index the database keeps current, and migration 0006 over old rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import text

from aggregator.model import Article
from aggregator.store import MARK_END, MARK_START, SearchHit, Store, open_store
from aggregator.store import search as search_module
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.store.migrate import head_revision, migrate_to
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_source,
    make_statement,
    save_articles,
)

H = timedelta(hours=1)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        opened.sync_sources([make_source("wire", kind="wire"), make_source("herald")], now=T0)
        yield opened


def _article(guid: str, title: str, *, hours_ago: int = 1, source: str = "wire") -> Article:
    return replace(make_article(source, guid, published=T0 - hours_ago * H), title=title)


def _keys(hits: tuple[SearchHit, ...]) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in hits]


def _statement_ids(store: Store, article_id: int) -> list[int]:
    return [s.id for s in store.statements_for_articles([article_id])[article_id]]


# -- ranking and kinds -----------------------------------------------------------------------


def test_more_matches_rank_higher_and_titles_are_hits_too(store: Store) -> None:
    [twice, once, titled] = save_articles(
        store,
        "wire",
        [
            _article("w1", "Talks in Geneva", hours_ago=3),
            _article("w2", "Rain in the capital", hours_ago=2),
            _article("w3", "Ceasefire holds in the north", hours_ago=1),
        ],
    )
    store.replace_statements(
        twice,
        [make_statement("The ceasefire talks collapsed and the ceasefire failed at dawn")],
        version="x",
    )
    store.replace_statements(
        once,
        [make_statement("A ceasefire was discussed by the envoys in the old capital")],
        version="x",
    )
    page = store.search("ceasefire")
    assert page.query == "ceasefire"
    assert page.total == 3
    [first, second] = [h for h in page.hits if h.kind == "statement"]
    assert (first.id, second.id) == (
        _statement_ids(store, twice)[0],
        _statement_ids(store, once)[0],
    )
    assert first.rank > second.rank
    [title] = [h for h in page.hits if h.kind == "article"]
    assert (title.id, title.article_id, title.title) == (
        titled,
        titled,
        "Ceasefire holds in the north",
    )
    assert title.speaker is None
    assert title.url == "https://news.example.org/wire/w3"
    assert f"{MARK_START}Ceasefire{MARK_END}" in title.snippet
    # a statement hit carries its article and who spoke
    assert (first.article_id, first.title, first.speaker, first.role) == (
        twice,
        "Talks in Geneva",
        "the minister",
        "minister",
    )
    assert first.published == T0 - 3 * H
    assert first.url == "https://news.example.org/wire/w1"
    assert first.snippet.count(MARK_START) == first.snippet.count(MARK_END) >= 1
    assert f"{MARK_START}ceasefire{MARK_END}" in first.snippet
    assert MARK_START not in first.snippet.replace(f"{MARK_START}ceasefire{MARK_END}", "")


def test_a_match_in_the_speaker_ranks_above_one_in_the_text_only(store: Store) -> None:
    [a, b] = save_articles(store, "wire", [_article("w1", "One"), _article("w2", "Two")])
    store.replace_statements(
        a,
        [make_statement("Lavrov spoke about sanctions", speaker="Lavrov", actor="Sergei Lavrov")],
        version="x",
    )
    store.replace_statements(
        b, [make_statement("Lavrov was asked about sanctions", speaker="the host")], version="x"
    )
    page = store.search("Lavrov")
    assert _keys(page.hits) == [
        ("statement", _statement_ids(store, a)[0]),
        ("statement", _statement_ids(store, b)[0]),
    ]
    assert (page.hits[0].actor, page.hits[0].actor_slug) == ("Sergei Lavrov", "sergei-lavrov")
    # every word must match, in any order, any case, accents aside
    assert store.search("SANCTIONS lavrov").total == 2
    assert store.search("sanctions lavrov geneva").total == 0
    assert store.search("Lavróv").total == 2  # on both databases (0008)


def test_a_statement_is_a_hit_while_it_is_canonical(store: Store) -> None:
    """The index holds canonical statements only (0007): a row leaves it when it becomes a
    copy and comes back when its canonical is re-extracted away (the foreign key's ON DELETE
    SET NULL makes it canonical again) or when grouping makes it its own canonical."""
    [a, b, c] = save_articles(
        store, "wire", [_article("w1", "One"), _article("w2", "Two"), _article("w3", "Three")]
    )
    for article_id in (a, b, c):
        store.replace_statements(article_id, [make_statement("We recall the envoy")], version="x")
    [first], [second], [third] = (_statement_ids(store, x) for x in (a, b, c))
    assert sorted(h.id for h in store.search("envoy").hits) == [first, second, third]

    store.set_statement_canonicals([(second, first), (third, first)])
    assert [h.id for h in store.search("envoy").hits] == [first]
    store.set_statement_canonicals([(first, first), (second, first)])  # unchanged: no duplicate
    assert [h.id for h in store.search("envoy").hits] == [first]

    store.set_statement_canonicals([(third, third)])
    assert sorted(h.id for h in store.search("envoy").hits) == [first, third]

    # the canonical's article is re-extracted: its copy becomes canonical, the new words come
    store.replace_statements(a, [make_statement("The envoy stays")], version="y")
    [renewed] = _statement_ids(store, a)
    assert sorted(h.id for h in store.search("envoy").hits) == [second, third, renewed]
    assert [h.id for h in store.search("recall").hits] == [second, third][::-1]


def test_only_canonical_statements_are_hits(store: Store) -> None:
    [a, b] = save_articles(store, "wire", [_article("w1", "One"), _article("w2", "Two")])
    for article_id in (a, b):
        store.replace_statements(article_id, [make_statement("We recall the envoy")], version="x")
    [copy] = _statement_ids(store, b)
    store.set_statement_canonicals([(copy, _statement_ids(store, a)[0])])
    assert _keys(store.search("envoy").hits) == [("statement", _statement_ids(store, a)[0])]


# -- filters and pages -----------------------------------------------------------------------


def test_filters(store: Store) -> None:
    [early, late] = save_articles(
        store,
        "wire",
        [_article("w1", "Envoy news", hours_ago=5), _article("w2", "More envoy news")],
    )
    store.replace_statements(
        early,
        [make_statement("The envoy returns", actor="Sergei Lavrov", side="Russia")],
        version="x",
    )
    store.replace_statements(
        late,
        [make_statement("The envoy leaves", actor="Jean-Noël Barrot", side="France")],
        version="x",
    )
    assert store.search("envoy").total == 4  # two statements, two titles

    russia = store.search("envoy", side="Russia")
    assert [(h.kind, h.side) for h in russia.hits] == [("statement", "Russia")]
    barrot = store.search("envoy", actor_slug="jean-noel-barrot")
    assert [(h.kind, h.actor) for h in barrot.hits] == [("statement", "Jean-Noël Barrot")]
    recent = store.search("envoy", start=T0 - 2 * H)
    assert {(h.kind, h.article_id) for h in recent.hits} == {("statement", late), ("article", late)}
    older = store.search("envoy", end=T0 - 2 * H)
    assert {(h.kind, h.article_id) for h in older.hits} == {
        ("statement", early),
        ("article", early),
    }
    assert store.search("envoy", side="Nowhere").hits == ()
    # filters together: each set of them is a statement of its own (_queries)
    both = store.search("envoy", side="France", start=T0 - 2 * H, end=T0)
    assert [(h.kind, h.article_id) for h in both.hits] == [("statement", late)]
    between = store.search("envoy", start=T0 - 6 * H, end=T0 - 2 * H)
    assert {(h.kind, h.article_id) for h in between.hits} == {
        ("statement", early),
        ("article", early),
    }


def test_statements_are_built_once_a_set_of_filters(store: Store) -> None:
    """Other words, values, limits and pages reuse the statements built for a set of filters
    (building them anew was a third of a rare word's search)."""
    [article_id] = save_articles(store, "wire", [_article("w1", "Harbour opens early")])
    store.replace_statements(
        article_id, [make_statement("The harbour opens", side="Chile")], version="x"
    )
    built = (search_module._ranking, search_module._details_query)
    store.search("harbour", side="Chile", start=T0 - 9 * H)
    store.search("harbour")
    before = [f.cache_info().misses for f in built]
    assert store.search("opens early", limit=1).total == 1
    page = store.search("harbour opens", limit=1)
    assert page.next_cursor is not None
    assert len(store.search("harbour opens", limit=1, after=page.next_cursor).hits) == 1
    assert store.search("opens", side="Peru", start=T0 - 2 * H).hits == ()
    assert [f.cache_info().misses for f in built] == before


def test_pages_cover_every_hit_exactly_once(store: Store) -> None:
    ids = save_articles(
        store, "wire", [_article(f"w{i}", f"Envoy item {i}", hours_ago=i % 4) for i in range(12)]
    )
    store.replace_statements_many(
        [
            (article_id, [make_statement(f"The envoy {'envoy ' * (i % 3)}said {i}")])
            for i, article_id in enumerate(ids)
        ],
        version="x",
    )
    everything = store.search("envoy", limit=200)
    assert everything.total == len(everything.hits) == 24
    assert everything.next_cursor is None
    ranks = [h.rank for h in everything.hits]
    assert ranks == sorted(ranks, reverse=True)

    seen: list[tuple[str, int]] = []
    after: str | None = None
    for _ in range(10):
        page = store.search("envoy", after=after, limit=5)
        assert page.total == 24
        seen.extend(_keys(page.hits))
        after = page.next_cursor
        if after is None:
            break
    assert seen == _keys(everything.hits)
    # the total of a paged search is the same counted with and without a date bound that
    # every hit meets (the count reads statements without their articles when it can)
    wide = T0 - timedelta(days=30)
    bounded = store.search("envoy", start=wide, limit=5)
    assert bounded.total == store.search("envoy", limit=5).total == 24
    assert store.search("envoy", side="Nowhere", limit=5).total == 0
    with pytest.raises(ValueError, match="not a page cursor"):
        store.search("envoy", after="garbage")


def test_a_stored_marker_never_unbalances_a_snippet(store: Store) -> None:
    [article] = save_articles(store, "wire", [_article("w1", "One")])
    # statements are written as given; a marker in one (a script, a row from before) stays
    odd = f"The envoy {MARK_END}spoke{MARK_START} at length"
    store.replace_statements(article, [make_statement(odd)], version="x")
    [hit] = store.search("envoy").hits
    depth = 0
    for ch in hit.snippet:
        depth += {MARK_START: 1, MARK_END: -1}.get(ch, 0)
        assert depth in (0, 1)
    assert depth == 0


HOSTILE = [
    '"',
    '""',
    'envoy"',
    "NEAR(envoy talks)",
    "envoy NEAR/2 talks",
    "*",
    "envoy*",
    "-",
    "-envoy",
    ":",
    "text:envoy",
    "^envoy",
    "(((",
    "AND",
    "envoy OR 1=1",
    "NOT envoy",
    "'; DROP TABLE statements; --",
    "\x00",
    "envoy\x00talks",
    "\ud800",
    "a" * 10_000,
    "envoy " * 5_000,
    "🙂🙂 envoy 🙂",
    "𝐞𝐧𝐯𝐨𝐲",
    "٣",
    "the",
    "!@#$%^&*()_+{}|:<>?",
    "envoy & talks | !x <-> y",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_raise(store: Store, query: str) -> None:
    [article] = save_articles(store, "wire", [_article("w1", "Envoy talks")])
    store.replace_statements(article, [make_statement("The envoy talks")], version="x")
    page = store.search(query)
    assert isinstance(page.hits, tuple)
    assert len(page.query) <= 16 * 65
    assert all(h.kind in ("statement", "article") for h in page.hits)
    for filters in ({"side": query}, {"actor_slug": query}):
        assert isinstance(store.search(query, **filters).hits, tuple)


def test_a_query_without_words_is_an_empty_page(store: Store) -> None:
    for query in ("", "   ", "?!", "🙂"):
        page = store.search(query)
        assert (page.query, page.hits, page.total, page.next_cursor) == ("", (), 0, None)


# -- the index follows every write -----------------------------------------------------------


def test_the_index_follows_inserts_updates_and_deletes(store: Store, db_url: str) -> None:
    [article] = save_articles(store, "wire", [_article("w1", "Harbour reopens")])
    assert store.search("harbour").total == 1  # the title
    store.replace_statements(article, [make_statement("The harbour reopens today")], version="x")
    assert sorted(h.kind for h in store.search("harbour").hits) == ["article", "statement"]

    # re-extraction replaces the statement: the old words go, the new ones come
    store.replace_statements(article, [make_statement("The port stays closed")], version="y")
    assert [h.kind for h in store.search("harbour").hits] == ["article"]
    assert store.search("port closed").total == 1

    # a changed entry updates the article's title
    changed = replace(
        make_article("wire", "w1", body="v2", published=T0 - H), title="Port authority resigns"
    )
    save_articles(store, "wire", [changed], now=T0 + H)
    assert store.search("harbour").total == 0
    assert [h.kind for h in store.search("resigns").hits] == ["article"]

    # statements removed, then the article itself (its statements cascade)
    store.replace_statements(article, [make_statement("Port reopens")], version="z")
    store.replace_statements(article, [], version="w")
    assert store.search("port").total == 1  # the title only
    store.replace_statements(article, [make_statement("Port reopens")], version="v")
    engine = create_store_engine(normalise_url(db_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM article_sources WHERE article_id = :a"), {"a": article})
            conn.execute(text("DELETE FROM articles WHERE id = :a"), {"a": article})
    finally:
        engine.dispose()
    assert store.search("port").total == 0
    assert store.search("resigns").total == 0


# -- migration 0006 over rows written before it ----------------------------------------------

ROWS_0005 = [
    """INSERT INTO sources (id, name, url, configured_url, kind, publisher, interval_seconds,
           fulltext, enabled, next_poll_at, consecutive_failures, created_at, updated_at)
       VALUES (1, 'wire', 'https://wire.example.org/rss', 'https://wire.example.org/rss',
           'wire', 'Wire', 900, false, true, :t, 0, :t, :t)""",
    """INSERT INTO articles (id, canonical_url, url_key, title, summary, text, published_at,
           first_seen_at, last_changed_at, content_hash, primary_source_id)
       VALUES (1, 'https://wire.example.org/1', 'k1', 'Envoy recalled from Oradin', 's',
           'The envoy was recalled.', :t, :t, :t, 'h1', 1),
              (2, 'https://wire.example.org/2', 'k2', 'Markets', 's', 'Quiet.', :t, :t, :t,
           'h2', 1)""",
    """INSERT INTO article_sources (source_id, guid_key, guid, article_id, link, content_hash,
           first_seen_at, last_seen_at)
       VALUES (1, 'g1', 'g1', 1, 'https://wire.example.org/1?src=rss', 'h1', :t, :t)""",
    """INSERT INTO statements (id, article_id, seq, text, start, "end", kind, speaker, actor,
           role, side, commentary, created_at)
       VALUES (1, 1, 0, 'We recall our envoy', 0, 19, 'direct', 'Jean-Noël Barrot',
           'Jean-Noël Barrot', 'minister', 'France', false, :t),
              (2, 2, 0, 'Nothing to add', 0, 14, 'direct', NULL, NULL, NULL, NULL, false, :t)""",
]


def test_migration_0006_backfills_slugs_and_the_index(db_url: str) -> None:
    engine = create_store_engine(normalise_url(db_url))
    try:
        migrate_to(engine, "0005")
        with engine.begin() as conn:
            for statement in ROWS_0005:
                conn.execute(text(statement), {"t": T0})
            if engine.dialect.name == "postgresql":  # the rows above chose their own ids
                for table in ("sources", "articles", "statements"):
                    conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)")
                    )
    finally:
        engine.dispose()
    with open_store(db_url) as store:
        assert store.revision() == head_revision()
        assert store.actors() == [("jean-noel-barrot", "Jean-Noël Barrot", 1)]
        page = store.search("envoy")
        assert _keys(page.hits) in (
            [("statement", 1), ("article", 1)],
            [("article", 1), ("statement", 1)],
        )
        statement = next(h for h in page.hits if h.kind == "statement")
        assert (statement.actor_slug, statement.url) == (
            "jean-noel-barrot",
            "https://wire.example.org/1?src=rss",
        )
        assert store.search("oradin").total == 1
        # 0007 gave the old statement its article's time
        [said] = store.actor_statements("jean-noel-barrot").statements
        assert said.published == T0
        # new rows after the upgrade are indexed by the database too
        [new] = save_articles(store, "wire", [_article("w9", "Envoy returns")])
        store.replace_statements(new, [make_statement("The envoy returns")], version="x")
        assert store.search("envoy").total == 4


def test_the_count_stops_at_max_count(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A common word's matches are counted up to MAX_COUNT (pages stop MAX_OFFSET deep): past
    it the page says "more than"."""
    articles = [_article(f"w{i}", f"Ferry {i}") for i in range(4)]
    ids = save_articles(store, "wire", articles)
    for article_id in ids:
        store.replace_statements(article_id, [make_statement("The ferry sails")], version="x")
    exact = store.search("ferry", limit=1)
    assert (exact.total, exact.total_exact) == (8, True)
    monkeypatch.setattr(search_module, "MAX_COUNT", 3)  # a kind: 4 statements, 4 titles
    capped = store.search("ferry", limit=1)
    assert (capped.total, capped.total_exact) == (6, False)
    whole = store.search("ferry", limit=20)  # every match on one page: counted as read
    assert (whole.total, whole.total_exact) == (8, True)


def test_a_word_matching_more_than_the_window_ranks_its_newest_matches(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A common word's matches are not all ranked: the newest stored RANK_WINDOW are (a page
    cannot show more), and the count says "more than" beyond MAX_COUNT."""
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    monkeypatch.setattr(search_module, "MAX_COUNT", 2)
    # the first stored says "quarry" three times (the best rank of all); four newer say it once
    words = ["quarry quarry quarry closes", *(f"the quarry item {i}" for i in range(4))]
    ids = save_articles(store, "wire", [_article(f"q{i}", f"Item {i}") for i in range(5)])
    for article_id, said in zip(ids, words, strict=True):  # stored one after the other
        store.replace_statements(article_id, [make_statement(said)], version="x")
    statement_ids = [_statement_ids(store, a)[0] for a in ids]
    assert statement_ids == sorted(statement_ids)
    page = store.search("quarry", limit=10)
    # the newest three, equal in rank: newest first; the best-ranked, oldest, is not among them
    assert [h.id for h in page.hits if h.kind == "statement"] == statement_ids[:1:-1]
    assert (page.total, page.total_exact) == (2, False)
    # narrowed to the oldest, it is found and ranked first
    monkeypatch.setattr(search_module, "RANK_WINDOW", 10)
    assert store.search("quarry", limit=10).hits[0].id == statement_ids[0]
    assert store.search("quarry", limit=10).total == 5
