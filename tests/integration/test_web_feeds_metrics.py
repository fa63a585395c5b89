"""Atom feeds, /metrics and /healthz on SQLite and PostgreSQL: the feed parsed by feedparser, the
metrics by the Prometheus client's parser, and the health check with the store gone."""

from __future__ import annotations

from datetime import date, timedelta

import feedparser
from prometheus_client.parser import text_string_to_metric_families

from aggregator.store import Store, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.web.feeds import MAX_ENTRIES
from tests.support.demo import demo_settings
from tests.support.web import NOW, web_client


def _ledger_days(store: Store, first: date, days: int) -> None:
    """A sent digest of subscription ``demo`` for each of ``days`` days from ``first``."""
    for n in range(days):
        day = first + timedelta(days=n)
        start = NOW.replace(year=day.year, month=day.month, day=day.day, hour=0)
        claim = store.claim_digest(
            "demo",
            day.isoformat(),
            start,
            start + timedelta(days=1),
            owner="test",
            lease=timedelta(minutes=5),
            now=NOW,
        )
        assert claim is not None
        sent = start + timedelta(days=1, hours=7)
        store.save_rendered(claim.id, owner="test", message_id=f"<{day}@test>", eml="x")
        assert store.mark_sending(claim.id, owner="test", now=sent)
        store.mark_sent(claim.id, owner="test", now=sent)


def test_the_atom_feed_has_one_entry_a_digest_day_newest_first(db_url: str) -> None:
    with open_store(db_url) as store:
        _ledger_days(store, date(2026, 9, 1), MAX_ENTRIES + 5)
        client = web_client(store)

        answer = client.get("/feeds/demo.atom")
        missing = client.get("/feeds/nobody.atom")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == MAX_ENTRIES
    links = [entry.link for entry in feed.entries]
    newest = date(2026, 9, 1) + timedelta(days=MAX_ENTRIES + 4)
    assert links[0] == f"http://testserver/digests/demo/{newest.isoformat()}"
    assert links == sorted(links, reverse=True)
    assert len({entry.id for entry in feed.entries}) == MAX_ENTRIES
    assert feed.feed.title == "demo digest"
    assert missing.status_code == 404


def test_the_feed_links_to_base_url_when_it_is_set(db_url: str) -> None:
    settings = demo_settings()
    web = settings.settings.web.model_copy(update={"base_url": "https://archive.example.org/"})
    settings = settings.model_copy(
        update={"settings": settings.settings.model_copy(update={"web": web})}
    )
    with open_store(db_url) as store:
        _ledger_days(store, date(2026, 11, 24), 1)
        feed = feedparser.parse(web_client(store, settings).get("/feeds/demo.atom").content)

    assert feed.bozo == 0
    assert feed.entries[0].link == "https://archive.example.org/digests/demo/2026-11-24"


def test_metrics_are_prometheus_text_with_the_stores_counts_and_latency(
    demo_store: Store,
) -> None:
    client = web_client(demo_store)
    event_id = client.get("/api/v1/events?date=2026-11-24").json()["events"][0]["id"]
    client.get(f"/events/{event_id}")
    client.get("/no/such/page")

    text = client.get("/metrics").text
    families = {family.name: family for family in text_string_to_metric_families(text)}

    counts = demo_store.counts()
    value = {name: families[name].samples[0].value for name in families}
    assert value["aggregator_store_up"] == 1
    assert value["aggregator_articles"] == counts.articles > 0
    assert value["aggregator_statements"] == counts.statements > 0
    assert value["aggregator_events"] == counts.events > 0
    assert value["aggregator_digests_sent"] == counts.digests_sent
    assert value["aggregator_last_successful_poll_timestamp_seconds"] > 0
    outcomes = {s.labels["outcome"]: s.value for s in families["aggregator_fetches"].samples}
    assert outcomes == counts.fetches
    routes = {
        s.labels["route"]
        for s in families["aggregator_http_request_duration_seconds"].samples
        if s.name.endswith("_count")
    }
    assert {"/events/{event_id}", "/api/v1/events", "<unmatched>"} <= routes
    assert not any(event_id in route for route in routes)


def test_healthz_is_ok_with_the_store_and_503_without(demo_store: Store) -> None:
    gone = normalise_url("postgresql://postgres@127.0.0.1:1/nowhere")
    unreachable = Store(create_store_engine(gone), gone)
    try:
        down = web_client(unreachable, demo_settings())
        health = down.get("/healthz")
        metrics = down.get("/metrics")
        page = down.get("/api/v1/events?date=2026-11-24")
    finally:
        unreachable.close()

    ok = web_client(demo_store).get("/healthz")
    assert ok.status_code == 200
    assert ok.text == "ok\n"
    assert health.status_code == 503
    assert "aggregator_store_up 0.0" in metrics.text
    assert page.status_code == 503
    assert page.json() == {"detail": "the archive's store cannot be read just now"}
    assert page.headers["x-content-type-options"] == "nosniff"
