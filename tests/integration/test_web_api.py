"""The JSON API under /api/v1 on the demo day, on SQLite and PostgreSQL: shapes, absolute URLs,
cursor pagination, search ranking and filters, errors as 400, the OpenAPI description."""

from __future__ import annotations

from typing import Any

from aggregator.store import Store
from tests.support.web import DAY, HOSTILE_EVENT, MERGED_EVENT, web_client


def _all_pages(client: Any, url: str) -> list[list[dict[str, Any]]]:
    pages = []
    while url:
        body = client.get(url).json()
        pages.append(body.get("events") or body.get("hits") or body.get("statements"))
        assert (body["next"] is None) == (body["next_url"] is None)
        url = body["next_url"]
        assert len(pages) < 100
    return pages


def test_events_of_a_day_have_ids_absolute_urls_counts_and_pages(demo_store: Store) -> None:
    client = web_client(demo_store)

    whole = client.get(f"/api/v1/events?date={DAY}&limit=100")
    pages = _all_pages(client, f"http://testserver/api/v1/events?date={DAY}&limit=3")

    assert whole.status_code == 200
    body = whole.json()
    assert body["date"] == DAY
    assert body["next"] is None
    events = body["events"]
    assert len(events) > 6
    for event in events:
        assert event["url"] == f"http://testserver/events/{event['id']}"
        assert event["first_seen"] <= event["last_seen"]
        assert {"article_count", "source_count", "statement_count", "side_count"} <= set(event)
    assert all(len(page) == 3 for page in pages[:-1])
    assert [e["id"] for page in pages for e in page] == [e["id"] for e in events]
    assert MERGED_EVENT not in {e["id"] for e in events}
    assert client.get("/api/v1/events?date=2030-01-01").json()["events"] == []


def test_an_event_has_columns_of_statements_with_speakers_and_outlets(demo_store: Store) -> None:
    client = web_client(demo_store)
    events = client.get(f"/api/v1/events?date={DAY}&limit=100").json()["events"]
    busiest = max(events, key=lambda e: e["statement_count"])

    event = client.get(f"/api/v1/events/{busiest['id']}").json()

    assert event["id"] == busiest["id"]
    assert event["url"] == busiest["url"]
    assert event["articles"]
    assert event["columns"]
    kinds = [column["kind"] for column in event["columns"]]
    assert kinds[0] == "party"
    assert kinds == sorted(kinds, key=["party", "commentary", "others"].index)
    statement = event["columns"][0]["statements"][0]
    assert set(statement) >= {"text", "speaker", "actor", "actor_url", "side", "role", "kind"}
    assert statement["outlets"]
    assert statement["outlets"][0]["publisher"]
    linked = [s for c in event["columns"] for s in c["statements"] if s["actor_url"]]
    assert linked
    actor = client.get(linked[0]["actor_url"].replace("/actors/", "/api/v1/actors/"))
    assert actor.status_code == 200


def test_a_merged_event_redirects_and_an_unknown_one_is_404(demo_store: Store) -> None:
    client = web_client(demo_store)

    moved = client.get(f"/api/v1/events/{MERGED_EVENT}", follow_redirects=False)
    missing = client.get("/api/v1/events/ev-none")

    assert moved.status_code == 301
    assert moved.headers["location"].endswith(f"/api/v1/events/{HOSTILE_EVENT}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no event 'ev-none' in the archive"}


def test_search_ranks_hits_and_gives_each_its_pages(demo_store: Store) -> None:
    client = web_client(demo_store)

    body = client.get("/api/v1/search?q=Dolvany&limit=100").json()
    pages = _all_pages(client, "http://testserver/api/v1/search?q=Dolvany&limit=4")

    hits = body["hits"]
    assert body["total"] == len(hits) > 4
    ranks = [hit["rank"] for hit in hits]
    assert ranks == sorted(ranks, reverse=True)
    assert [
        h["id"] if "id" in h else (h["kind"], h["snippet"]) for page in pages for h in page
    ] == [h["id"] if "id" in h else (h["kind"], h["snippet"]) for h in hits]
    statement = next(h for h in hits if h["kind"] == "statement" and h["actor_url"])
    assert "\ue000" in statement["snippet"]
    assert "\ue000" not in statement["text"]
    assert statement["url"] == f"http://testserver/events/{statement['event_id']}"
    assert statement["actor_url"].startswith("http://testserver/actors/")
    assert {h["kind"] for h in hits} == {"statement", "article"}


def test_search_filters_by_side_speaker_and_days(demo_store: Store) -> None:
    client = web_client(demo_store)
    hits = client.get("/api/v1/search?q=Dolvany&limit=100").json()["hits"]
    slug = next(h["actor_url"] for h in hits if h["actor_url"]).rsplit("/", 1)[1]

    oradin = client.get("/api/v1/search?q=Dolvany&side=Oradin&limit=100").json()["hits"]
    by_one = client.get(f"/api/v1/search?q=Dolvany&actor={slug}&limit=100").json()["hits"]
    that_day = client.get(f"/api/v1/search?q=Dolvany&from={DAY}&to={DAY}").json()["total"]
    later = client.get("/api/v1/search?q=Dolvany&from=2026-11-26").json()["total"]

    assert oradin
    assert {h["side"] for h in oradin} == {"Oradin"}
    assert by_one
    assert {h["actor_url"].rsplit("/", 1)[1] for h in by_one} == {slug}
    assert that_day > 0
    assert later == 0


def test_an_actors_statements_newest_first_in_pages(demo_store: Store) -> None:
    client = web_client(demo_store)

    body = client.get("/api/v1/actors/sergei-tamm").json()
    pages = _all_pages(client, "http://testserver/api/v1/actors/sergei-tamm?limit=1")

    assert body["actor"] == "Sergei Tamm"
    assert body["url"] == "http://testserver/actors/sergei-tamm"
    assert body["total"] == len(body["statements"]) > 1
    times = [s["published"] for s in body["statements"]]
    assert times == sorted(times, reverse=True)
    assert [s["id"] for page in pages for s in page] == [s["id"] for s in body["statements"]]
    assert client.get("/api/v1/actors/nobody").status_code == 404


def test_bad_parameters_are_400_with_a_sentence(demo_store: Store) -> None:
    client = web_client(demo_store)

    for url in (
        "/api/v1/events?date=2026-02-30",
        "/api/v1/events?date=yesterday",
        "/api/v1/events?limit=0",
        "/api/v1/events?limit=101",
        "/api/v1/events?limit=ten",
        "/api/v1/events?after=not-a-cursor",
        "/api/v1/search",
        "/api/v1/search?q=" + "x" * 201,
        "/api/v1/search?q=a&after=%00",
        "/api/v1/search?q=a&from=2026-11-25&to=2026-11-24",
        "/api/v1/actors/sergei-tamm?after=bm9wZQ",
    ):
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert answer.headers["content-type"] == "application/json"
        assert answer.json()["detail"], url


def test_the_openapi_document_describes_the_api_and_no_ui_is_served(demo_store: Store) -> None:
    client = web_client(demo_store)

    document = client.get("/api/v1/openapi.json").json()

    assert set(document["paths"]) == {
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/search",
        "/api/v1/actors/{slug}",
    }
    schemas = document["components"]["schemas"]
    assert {"EventList", "EventOut", "SearchOut", "HitOut", "ActorOut"} <= set(schemas)
    assert {"text", "speaker", "actor", "actor_url", "side", "event_id", "url"} <= set(
        schemas["HitOut"]["properties"]
    )
    for ui in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(ui).status_code == 404
