"""An article's language goes from the feed through the store to the tag beside its statements:
parse -> articles.language -> the digest's read (store.events_in_period) -> delivery -> render,
in the mail, on the web archive's pages and in the JSON API; and a quotation whose copies are in
another language shows their words beside it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from aggregator import clock
from aggregator.digest import day_period
from aggregator.model import EventStatement, Rendering
from aggregator.pipeline.deliver import digest_options, render_period
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.store.schema import articles, sources, statements
from aggregator.store.slugs import actor_slug
from tests.support.demo import demo_settings, ingest_demo
from tests.support.web import web_client

EN_TAG = '<span class="lang" title="English">EN</span>'
FR_TAG = '<span class="lang" title="French">FR</span>'
RU_TAG = '<span class="lang" title="Russian">RU</span>'

DAY = day_period(date(2026, 11, 24), "UTC")
#: the demo's Oradin ministry, taken as writing in Russian, and an outlet whose articles carry
#: copies of other outlets' quotations, taken as writing in French (its copies become the
#: quotations' French words). The demo's feeds are English: the articles are extracted as such,
#: then their stored language is changed, since a configured language now also chooses the
#: extractor, and the Russian one finds nothing in English words.
RUSSIAN_SOURCE = "oradin-mfa"
FRENCH_SOURCE = "northline-news"
LANGUAGES = {RUSSIAN_SOURCE: "ru", FRENCH_SOURCE: "fr"}


def _tag_languages(store: Store) -> None:
    """Each of LANGUAGES' sources' articles stored as written in its language."""
    engine = create_store_engine(normalise_url(store.url))
    try:
        with engine.begin() as conn:
            for name, language in LANGUAGES.items():
                source = select(sources.c.id).where(sources.c.name == name).scalar_subquery()
                conn.execute(
                    articles.update()
                    .where(articles.c.primary_source_id == source)
                    .values(language=language)
                )
    finally:
        engine.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as store:
        settings = demo_settings()
        ingest_demo(store, settings)
        process_pending(store, settings)
        _tag_languages(store)
        yield store


def test_statements_carry_their_articles_language_to_the_digest(store: Store) -> None:
    settings = demo_settings()
    details = store.events_in_period(DAY.start, DAY.end)
    expected: dict[str, str | None] = {}
    for detail in details:
        for s in detail.statements:
            # the source of the article the statement was taken from
            own = {r.source for r in s.reports if r.article_id == s.article_id}
            expected[str(s.id)] = next((LANGUAGES[o] for o in own if o in LANGUAGES), "en")
            assert s.language == expected[str(s.id)]
    assert "ru" in expected.values()
    assert "en" in expected.values()

    options = digest_options(settings.subscriptions[0])
    digest, rendered = render_period(store, settings, options, DAY, now=clock.now())
    shown = [s for e in digest.events for c in e.columns for s in c.statements]
    tagged = {s.id for s in shown if s.language_tag == "RU"}
    assert tagged == {s.id for s in shown if expected[s.id] == "ru"}
    assert {s.id for s in shown if s.language_tag} == {
        s.id for s in shown if expected[s.id] != "en"
    }
    assert tagged, "a statement of the Russian-language source reaches the main section"
    assert all(s.language_tag is None for s in shown if expected[s.id] == "en")
    assert RU_TAG in rendered.html
    assert "[RU]" in rendered.text
    assert "[EN]" not in rendered.text
    assert '<span lang="ru">' in rendered.html


def test_each_report_carries_its_article_s_language(store: Store) -> None:
    reports = [r for d in store.events_in_period(DAY.start, DAY.end) for r in d.articles]
    assert {r.language for r in reports if r.source == RUSSIAN_SOURCE} == {"ru"}
    assert {r.language for r in reports if r.source == FRENCH_SOURCE} == {"fr"}
    assert {r.language for r in reports if r.source not in LANGUAGES} == {"en"}


def _renderings(store: Store) -> list[tuple[str, str, Rendering]]:
    """(event, statement, rendering) of every statement the store gives words in another
    language."""
    return [
        (detail.id, s.id, rendering)
        for detail in store.events_in_period(DAY.start, DAY.end)
        for s in detail.statements
        for rendering in s.renderings
    ]


def test_a_quotation_s_copies_in_another_language_are_its_words_in_that_language(
    store: Store,
) -> None:
    found = _renderings(store)
    assert found, "the French outlet's copies of quotations are their French words"
    copies = _copies_by_canonical(store)
    for detail in store.events_in_period(DAY.start, DAY.end):
        for s in detail.statements:
            languages = [r.language for r in s.renderings]
            assert s.language not in languages  # never its own language
            assert len(languages) == len(set(languages))  # one a language
            for rendering in s.renderings:
                # the words of a copy in another language, whose article reports it
                assert rendering.text in copies[int(s.id)]
                assert any(r.language == rendering.language for r in s.reports)


def test_a_statement_of_unknown_language_has_no_renderings(store: Store) -> None:
    """Articles stored before detection, or too short to tell, have no language: their
    statements' copies (here in English and French) are never shown as translations, since a
    copy cannot be told from one; an English copy would repeat the quotation as "EN"."""
    engine = create_store_engine(normalise_url(store.url))
    try:
        with engine.begin() as conn:
            conn.execute(articles.update().where(articles.c.language != "fr").values(language=None))
    finally:
        engine.dispose()
    shown = [
        s
        for detail in store.events_in_period(DAY.start, DAY.end)
        for s in detail.statements
        if s.language is None
    ]
    assert shown, "the demo day has statements whose article's language is now unknown"
    assert all(not s.renderings for s in shown)


def _copies_by_canonical(store: Store) -> dict[int, set[str]]:
    engine = create_store_engine(normalise_url(store.url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(statements.c.canonical_id, statements.c.text).where(
                    statements.c.canonical_id.is_not(None)
                )
            ).all()
    finally:
        engine.dispose()
    copies: dict[int, set[str]] = {}
    for canonical, text in rows:
        copies.setdefault(canonical, set()).add(text)
    return copies


def test_the_mail_and_the_web_show_the_other_language(store: Store) -> None:
    settings = demo_settings()
    options = digest_options(settings.subscriptions[0])
    digest, rendered = render_period(store, settings, options, DAY, now=clock.now())
    shown = [s for e in digest.events for c in e.columns for s in c.statements]
    merged = [s for s in shown if s.renderings]
    assert merged
    assert all("FR" in s.other_languages for s in merged if s.language == "en")
    assert "also in FR" in rendered.html
    assert "also in FR" in rendered.text
    client = web_client(store, settings)
    event_id, _, rendering = next(r for r in _renderings(store) if r[2].language == "fr")
    page = client.get(f"/events/{event_id}")
    assert page.status_code == 200
    assert FR_TAG + ' <span lang="fr">' in page.text
    answer = client.get(f"/api/v1/events/{event_id}").json()
    statements_out = [s for c in answer["columns"] for s in c["statements"]]
    assert {"language": "fr", "text": rendering.text} in [
        r for s in statements_out for r in s["renderings"]
    ]
    assert {s["language"] for s in statements_out} <= {"en", "ru", "fr"}


def test_the_web_pages_show_the_tag(store: Store) -> None:
    settings = demo_settings()
    subscription = settings.subscriptions[0].name
    client = web_client(store, settings)
    page = client.get(f"/digests/{subscription}/{DAY.label}")
    assert page.status_code == 200
    assert RU_TAG in page.text
    russian_events = {
        detail.id
        for detail in store.events_in_period(DAY.start, DAY.end)
        if any(s.language == "ru" for s in detail.statements)
    }
    assert russian_events
    pages = [client.get(f"/events/{event}") for event in sorted(russian_events)]
    assert any(RU_TAG in p.text for p in pages if p.status_code == 200)


def _russian_statement(store: Store) -> EventStatement:
    """A canonical statement of the Russian-language source with a named actor."""
    return next(
        s
        for d in store.events_in_period(DAY.start, DAY.end)
        for s in d.statements
        if s.language == "ru" and s.actor
    )


def test_the_api_gives_each_statement_its_language(store: Store) -> None:
    client = web_client(store, demo_settings())
    russian = _russian_statement(store)
    slug = actor_slug(russian.actor or "")
    actor = client.get(f"/api/v1/actors/{slug}").json()
    assert {s["language"] for s in actor["statements"]} >= {"ru"}
    assert "ru" in [s["language"] for s in actor["statements"] if str(s["id"]) == russian.id]
    word = max(re.findall(r"[A-Za-z]{6,}", russian.text), key=len)
    hits = client.get("/api/v1/search", params={"q": word, "actor": slug}).json()["hits"]
    assert hits
    assert all(h["language"] == "ru" for h in hits if h["kind"] == "statement")
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for model in ("StatementOut", "HitOut", "ActorStatementOut"):
        assert "language" in schema[model]["properties"]


def test_the_speaker_and_search_pages_show_the_tag_and_the_words_language(store: Store) -> None:
    client = web_client(store, demo_settings())
    russian = _russian_statement(store)
    slug = actor_slug(russian.actor or "")
    page = client.get(f"/actors/{slug}")
    assert page.status_code == 200
    assert RU_TAG in page.text
    assert '<span lang="ru">' in page.text
    word = max(re.findall(r"[A-Za-z]{6,}", russian.text), key=len)
    found = client.get("/search", params={"q": word, "actor": slug})
    assert found.status_code == 200
    assert RU_TAG in found.text
    assert '<span lang="ru">' in found.text
    # English statements carry neither a mark (the page is English) nor a tag
    english = client.get("/search", params={"q": "Dolvany"}).text
    assert '<span lang="en">' not in english
    assert EN_TAG not in english
