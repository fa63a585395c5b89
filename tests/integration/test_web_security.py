"""The archive's guard on SQLite and PostgreSQL: headers on every answer, GET/HEAD only, bounded
queries, basic auth, and feed-supplied markup inert on every page and in the API."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote

import pytest

from aggregator.config import Settings
from aggregator.config.schema import WebAuthSettings, WebSettings
from aggregator.errors import ConfigError
from aggregator.store import Store
from aggregator.web import create_app
from aggregator.web.security import CONTENT_SECURITY_POLICY
from tests.support.demo import demo_settings
from tests.support.web import DAY, HOSTILE_EVENT, HOSTILE_SLUG, web_client

HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
PAGES = [
    "/",
    f"/digests/demo/{DAY}",
    f"/events/{HOSTILE_EVENT}",
    f"/actors/{HOSTILE_SLUG}",
    "/search?q=ultimatum",
    "/search?q=alert",
    f"/api/v1/events?date={DAY}",
    f"/api/v1/events/{HOSTILE_EVENT}",
    "/api/v1/search?q=ultimatum",
    f"/api/v1/actors/{HOSTILE_SLUG}",
    "/feeds/demo.atom",
    "/healthz",
    "/metrics",
    "/static/digest.css",
]
HOSTILE_QUERIES = [
    "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
    '/search?q="><img src=x onerror=alert(1)>',
    "/search?q=' OR 1=1 --",
    "/search?q=%22unbalanced",
    "/search?q=NEAR(a b)",
    "/search?q=a* OR b^ AND -c",
    "/search?q=%00%01%02",
    "/search?q=%ED%A0%80",
    "/search?q=%FF%FE",
    "/search?q=%E2%80%AE%E2%80%8B",
    "/search?q=" + "x" * 200,
    "/search?q=" + "x" * 201,
    "/search?q=a&side=%27%3B DROP TABLE statements; --",
    "/search?q=a&actor=../../etc/passwd",
    "/search?q=a&from=9999-99-99",
    "/search?q=a&from=2026-11-24T00:00",
    "/search?q=a&to=0000-01-01",
    "/search?q=a&after=" + "A" * 600,
    "/search?q=a&after=%C3%A9",
    "/search?q=a&limit=-1",
    "/search?q=a&limit=1e3",
    "/search?q=a&q=b&q=c",
    "/search?q[]=a",
    "/actors/%00",
    "/actors/" + "a" * 300,
    "/actors/x?from=2026-11-24&to=2026-11-23",
    "/events/%3Cscript%3E",
    "/events/" + "e" * 500,
    "/digests/demo/%3Cscript%3E",
    "/digests/%3Cscript%3E/2026-11-24",
    "/feeds/%3Cscript%3E.atom",
    "/api/v1/search?q=%00",
    "/api/v1/search?q=%22%22%22",
    "/api/v1/events?date=%3Cscript%3E",
    "/api/v1/events/%2e%2e",
    "/api/v1/actors/%2F%2F",
    "/static/..%2F..%2Fetc%2Fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
]


def _auth(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _with_auth(env: str = "AGGREGATOR_TEST_WEB_PASSWORD") -> Settings:
    settings = demo_settings()
    web = WebSettings(auth=WebAuthSettings(username="analyst", password_env=env))
    general = settings.settings.model_copy(update={"web": web})
    return settings.model_copy(update={"settings": general})


def test_every_answer_carries_the_security_headers(demo_store: Store) -> None:
    client = web_client(demo_store)
    answers = [client.get(path) for path in PAGES]
    answers += [
        client.get("/no/such/page"),
        client.get("/search?from=x"),
        client.get("/api/v1/events?date=x"),
        client.post("/"),
        client.get("/search?q=" + "x" * 2100),
    ]

    for answer in answers:
        assert answer.status_code < 500, answer.url
        for name, value in HEADERS.items():
            assert answer.headers.get(name) == value, (answer.url, name)


def test_only_get_and_head_are_allowed_before_routing(demo_store: Store) -> None:
    client = web_client(demo_store)

    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
        for path in ("/", "/api/v1/events", "/no/such/page"):
            answer = client.request(method, path)
            assert answer.status_code == 405, (method, path)
            assert answer.headers["allow"] == "GET, HEAD"
    head = client.head(f"/events/{HOSTILE_EVENT}")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"].startswith("text/html")


def test_a_long_query_string_is_414_and_a_long_search_400(demo_store: Store) -> None:
    client = web_client(demo_store)

    assert client.get("/search?q=" + "a" * 1999).status_code == 414  # 2,001 characters
    assert client.get("/search?q=" + "a" * 201).status_code == 400
    assert client.get("/search?q=" + "a" * 200).status_code == 200
    assert client.get("/api/v1/search?q=a&limit=101").status_code == 400


def test_feed_supplied_markup_is_inert_on_every_page(demo_store: Store) -> None:
    client = web_client(demo_store)

    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 200, path
        body = answer.text
        if answer.headers["content-type"].startswith("application/json"):
            assert "<script>" in body or "ultimatum" not in body  # data, served as data
            continue
        assert not re.search(r"<script|<img|onerror=\"|href=\"javascript", body, re.I), path
    event = client.get(f"/events/{HOSTILE_EVENT}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in event
    assert "&lt;img src=x onerror=alert(1)&gt;" in event
    assert 'href="https://hostile.example/2"' in event
    assert "javascript:" not in event


def test_hostile_query_strings_are_answered_never_with_a_500(demo_store: Store) -> None:
    client = web_client(demo_store)

    for url in HOSTILE_QUERIES:
        answer = client.get(url)
        assert answer.status_code in (200, 400, 404, 414), (url, answer.status_code)
        assert "<script>" not in answer.text.lower(), url


def test_basic_auth_refuses_without_the_password_and_admits_with_it(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGGREGATOR_TEST_WEB_PASSWORD", "s3cret: with colon")
    client = web_client(demo_store, _with_auth())

    refused = [
        client.get("/"),
        client.get("/api/v1/events", headers=_auth("analyst", "wrong")),
        client.get("/", headers=_auth("someone", "s3cret: with colon")),
        client.get("/", headers={"Authorization": "Basic !!!"}),
        client.get("/", headers={"Authorization": "Bearer s3cret"}),
        client.get("/metrics"),
    ]
    admitted = client.get("/", headers=_auth("analyst", "s3cret: with colon"))

    for answer in refused:
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith('Basic realm="aggregator"')
        assert answer.headers["x-frame-options"] == "DENY"
    assert admitted.status_code == 200
    assert client.get("/healthz").status_code == 200


def test_auth_without_its_password_variable_stops_the_app(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AGGREGATOR_NO_SUCH_PASSWORD", raising=False)

    with pytest.raises(ConfigError, match="AGGREGATOR_NO_SUCH_PASSWORD is not set"):
        create_app(demo_store, _with_auth("AGGREGATOR_NO_SUCH_PASSWORD"))


def test_a_snippet_of_hostile_text_is_escaped_around_its_marks(demo_store: Store) -> None:
    client = web_client(demo_store)

    page = client.get("/search?q=" + quote("ultimatum")).text

    assert "<mark>ultimatum</mark>" in page
    assert "<script" not in page
    assert "<img" not in page
