"""The web archive's HTML pages on the demo day, on SQLite and PostgreSQL (a test client; the real
server is in test_web_server.py)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta

from aggregator.digest import day_period, render_html
from aggregator.pipeline.deliver import digest_for_period, digest_options
from aggregator.store import Store, open_store
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_source,
    make_statement,
    save_articles,
)
from tests.support.demo import demo_settings
from tests.support.web import DAY, HOSTILE_EVENT, MERGED_EVENT, NOW, web_client

STATEMENT = re.compile(r'<p class="s">(.*?)<br>', re.DOTALL)


def _event_with_most_statements(store: Store) -> str:
    client = web_client(store)
    events = client.get(f"/api/v1/events?date={DAY}&limit=100").json()["events"]
    return max(events, key=lambda e: e["statement_count"])["id"]


def test_home_shows_the_latest_digest_of_each_subscription_and_a_calendar(
    demo_store: Store,
) -> None:
    page = web_client(demo_store).get("/")

    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert f"demo digest — {DAY}" in page.text
    assert f'href="http://testserver/digests/demo/{DAY}">24</a>' in page.text
    assert "<caption>November 2026</caption>" in page.text
    assert 'href="http://testserver/feeds/demo.atom"' in page.text
    assert 'href="http://testserver/static/digest.css"' in page.text


def test_a_digest_page_shows_every_statement_the_mail_folds(demo_store: Store) -> None:
    settings = demo_settings()
    subscription = settings.subscriptions[0]
    period = day_period(NOW.date().replace(day=24), subscription.timezone)
    mailed = digest_for_period(demo_store, digest_options(subscription), period, now=NOW)
    folded = [
        s
        for event in mailed.events
        for column in event.columns
        for s in column.statements[len(column.statements) - column.hidden :]
    ]
    assert folded, "the demo day's mail folds statements away: the page must show them"
    assert "more statement" in render_html(mailed)

    page = web_client(demo_store).get(f"/digests/demo/{DAY}")

    assert page.status_code == 200
    assert "more statement" not in page.text
    shown = html.unescape(page.text)
    for statement in folded:  # in its cell, or as its side's summary above the table
        words = statement.text.strip("“”\"' ") if statement.kind == "direct" else statement.sentence
        assert words[:40] in shown, words


def test_a_digest_page_of_an_unknown_subscription_or_day_is_404(demo_store: Store) -> None:
    client = web_client(demo_store)

    for path in ("/digests/nobody/2026-11-24", "/digests/demo/2026-13-40", "/digests/demo/x"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "<h1>404 Not Found</h1>" in page.text


def test_an_event_page_shows_every_statement_by_side_timeline_and_articles(
    demo_store: Store,
) -> None:
    event_id = _event_with_most_statements(demo_store)
    detail = demo_store.event(event_id)
    assert detail is not None

    page = web_client(demo_store).get(f"/events/{event_id}")

    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f"<h1>{detail.title}</h1>" in text
    assert "more statement" not in text
    assert "Timeline" in text
    assert "Articles and outlets" in text
    for article in detail.articles:
        assert article.title in text
    api = web_client(demo_store).get(f"/api/v1/events/{event_id}").json()
    statements = [s for column in api["columns"] for s in column["statements"]]
    assert len(statements) >= 6
    for column in api["columns"]:
        assert f"<b>{column['label']}</b>" in text
    for statement in statements:
        if statement["actor_url"]:
            assert f'href="{statement["actor_url"]}"' in page.text


def test_a_merged_event_redirects_to_the_one_it_was_merged_into(demo_store: Store) -> None:
    client = web_client(demo_store)

    moved = client.get(f"/events/{MERGED_EVENT}", follow_redirects=False)
    survivor = client.get(f"/events/{HOSTILE_EVENT}")

    assert moved.status_code == 301
    assert moved.headers["location"] == f"http://testserver/events/{HOSTILE_EVENT}"
    assert f'href="http://testserver/events/{MERGED_EVENT}"' in survivor.text
    assert client.get("/events/ev-nothing").status_code == 404


def test_an_actor_page_lists_statements_newest_first_with_dates_and_pages(
    demo_store: Store,
) -> None:
    client = web_client(demo_store)
    slug = "sergei-tamm"

    page = client.get(f"/actors/{slug}")
    first = client.get(f"/actors/{slug}?limit=1")
    assert first.status_code == 200
    older = re.search(r'<a rel="next" href="([^"]+)">', first.text)
    assert older is not None
    second = client.get(html.unescape(older.group(1)))
    outside = client.get(f"/actors/{slug}?from=2026-11-25&to=2026-11-30")

    assert page.status_code == 200
    assert "<h1>Sergei Tamm</h1>" in page.text
    assert "Oradin" in page.text
    dates = re.findall(r'<span class="w">(\d\d \w\w\w \d{4}) ·', page.text)
    assert dates
    assert dates == sorted(dates, reverse=True)
    assert second.status_code == 200
    assert STATEMENT.findall(second.text)
    assert STATEMENT.findall(first.text) != STATEMENT.findall(second.text)
    assert outside.status_code == 200
    assert "No statement in these days." in outside.text
    assert client.get("/actors/nobody-at-all").status_code == 404
    assert client.get(f"/actors/{slug}?from=24-11-2026").status_code == 400


def test_search_highlights_matches_and_keeps_its_filters_in_the_form(demo_store: Store) -> None:
    client = web_client(demo_store)

    page = client.get("/search?q=ceasefire&from=2026-11-24&to=2026-11-24")
    empty_form = client.get("/search")
    blank_filters = client.get("/search?q=ceasefire&side=&actor=&from=&to=")
    paged = client.get("/search?q=ceasefire&limit=1")
    more = re.search(r'<a rel="next" href="([^"]+)">', paged.text)

    assert page.status_code == 200
    assert "<mark>ceasefire</mark>" in page.text.lower()
    assert 'name="from" value="2026-11-24"' in page.text
    assert empty_form.status_code == 200
    assert '<ol class="hits">' not in empty_form.text
    assert blank_filters.status_code == 200
    assert more is not None
    assert client.get(html.unescape(more.group(1))).status_code == 200


def test_search_filters_by_side_and_speaker(demo_store: Store) -> None:
    client = web_client(demo_store)

    everyone = client.get("/api/v1/search?q=Dolvany&limit=100").json()
    oradin = client.get("/search?q=Dolvany&side=Oradin&limit=100")

    sides = {hit["side"] for hit in everyone["hits"] if hit["kind"] == "statement"}
    assert "Oradin" in sides
    assert len(sides) > 1
    others = sides - {"Oradin", None}
    assert f"[{sorted(others)[0]}]" not in oradin.text
    assert "[Oradin]" in oradin.text


def test_every_page_shares_the_digest_stylesheet(demo_store: Store) -> None:
    client = web_client(demo_store)

    css = client.get("/static/digest.css")
    chrome = client.get("/static/web.css")

    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert ".cell" in css.text
    assert "{#" not in css.text
    assert chrome.status_code == 200
    assert "header.site" in chrome.text
    assert client.get("/static/other.css").status_code == 404
    page = client.get(f"/digests/demo/{DAY}").text
    assert "<style" not in page
    assert " style=" not in page
    assert "<script" not in page


def test_every_party_of_an_event_has_its_own_column_on_the_web(demo_store: Store) -> None:
    # was: the mail's four columns, so the demo's Security Council event showed a fifth party
    # (Chile) under Others although its header counted five parties
    client = web_client(demo_store)
    fifth = 0
    for summary in demo_store.events_between(NOW - timedelta(days=30), NOW + timedelta(days=1)):
        api = client.get(f"/api/v1/events/{summary.id}").json()
        parties = {c["side"] for c in api["columns"] if c["kind"] == "party"}
        fifth += len(parties) > 4
        for column in api["columns"]:
            if column["kind"] == "others":
                assert not [s["side"] for s in column["statements"] if s["side"]], summary.id
    assert fifth >= 1  # the demo has an event of more than four parties


def test_lifting_the_caps_changes_nothing_but_the_caps(demo_store: Store) -> None:
    """The web lays an event out as the mail does: same columns, same order."""
    subscription = demo_settings().subscriptions[0]
    options = digest_options(subscription)
    period = day_period(NOW.date().replace(day=24), subscription.timezone)
    mailed = digest_for_period(demo_store, options, period, now=NOW)
    lifted = digest_for_period(
        demo_store, replace(options, max_statements_per_cell=10**6), period, now=NOW
    )

    assert [[c.label for c in e.columns] for e in mailed.events] == [
        [c.label for c in e.columns] for e in lifted.events
    ]


def test_a_search_hit_names_its_speaker_as_the_digest_does(db_url: str) -> None:
    """The stored speaker is the words as written ("he", "the Secretary-General, the"); a hit
    shows the resolved name, cleaned as in the digest, and the words the user typed."""
    with open_store(db_url) as store:
        store.sync_sources([make_source("wire", kind="wire")], now=T0)
        [article] = save_articles(store, "wire", [make_article("wire", "w1")])
        said = [
            replace(
                make_statement("Talks on the harbour resume", speaker="he", actor="Ana Oradin"),
                role="the Foreign Minister, the",
            ),
            replace(
                make_statement("The harbour stays open", start=40, speaker="the envoy, the"),
                role=None,
            ),
        ]
        store.replace_statements(article, said, version="x")
        page = web_client(store).get("/search?q=Harbour").text

    assert ">Ana Oradin</a>, the Foreign Minister ·" in page
    assert "the envoy ·" in page
    assert ", the ·" not in page
    assert ">he<" not in page
    assert "for “Harbour”" in page
