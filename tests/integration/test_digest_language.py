"""An article's language goes from the feed through the store to the tag beside its statements:
parse -> articles.language -> the digest's read (store.events_in_period) -> delivery -> render,
in the mail and on the web archive's pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from aggregator import clock
from aggregator.config import Settings
from aggregator.digest import day_period
from aggregator.pipeline.deliver import digest_options, render_period
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from tests.support.demo import demo_settings, ingest_demo
from tests.support.web import web_client

DAY = day_period(date(2026, 11, 24), "UTC")
#: the demo's Oradin ministry, configured as writing in Russian (its feed is English: the
#: configured language is the operator's word and beats the words)
RUSSIAN_SOURCE = "oradin-mfa"


def _settings() -> Settings:
    settings = demo_settings()
    sources = [
        s.model_copy(update={"language": "ru"}) if s.name == RUSSIAN_SOURCE else s
        for s in settings.sources
    ]
    return settings.model_copy(update={"sources": sources})


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as store:
        settings = _settings()
        ingest_demo(store, settings)
        process_pending(store, settings)
        yield store


def test_statements_carry_their_articles_language_to_the_digest(store: Store) -> None:
    settings = _settings()
    details = store.events_in_period(DAY.start, DAY.end)
    expected: dict[str, str | None] = {}
    for detail in details:
        for s in detail.statements:
            # the source of the article the statement was taken from
            own = {r.source for r in s.reports if r.article_id == s.article_id}
            expected[str(s.id)] = "ru" if RUSSIAN_SOURCE in own else "en"
            assert s.language == expected[str(s.id)]
    assert "ru" in expected.values()
    assert "en" in expected.values()

    options = digest_options(settings.subscriptions[0])
    digest, rendered = render_period(store, settings, options, DAY, now=clock.now())
    shown = [s for e in digest.events for c in e.columns for s in c.statements]
    tagged = {s.id for s in shown if s.language_tag == "RU"}
    assert tagged == {s.id for s in shown if expected[s.id] == "ru"}
    assert tagged, "a statement of the Russian-language source reaches the main section"
    assert all(s.language_tag is None for s in shown if expected[s.id] == "en")
    assert '<span class="lang">RU</span>' in rendered.html
    assert "[RU]" in rendered.text
    assert "[EN]" not in rendered.text


def test_the_web_pages_show_the_tag(store: Store) -> None:
    settings = _settings()
    subscription = settings.subscriptions[0].name
    client = web_client(store, settings)
    page = client.get(f"/digests/{subscription}/{DAY.label}")
    assert page.status_code == 200
    assert '<span class="lang">RU</span>' in page.text
    russian_events = {
        detail.id
        for detail in store.events_in_period(DAY.start, DAY.end)
        if any(s.language == "ru" for s in detail.statements)
    }
    assert russian_events
    pages = [client.get(f"/events/{event}") for event in sorted(russian_events)]
    assert any('<span class="lang">RU</span>' in p.text for p in pages if p.status_code == 200)
