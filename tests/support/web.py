"""The web archive under test: the demo day in a store (SQLite and PostgreSQL), a hostile event in
it, a test client, and a real uvicorn server on a free loopback port in a thread.

    demo_url        module-scoped, both databases: the demo day processed, plus HOSTILE_EVENT
                    (feed text made of markup and a javascript: link) and a merged event
    demo_store      that store, opened for one test
    web_client(store)  a TestClient over create_app(store, demo settings, clock=NOW)
    live_server(app) -> "http://127.0.0.1:PORT" while the block runs

Registered for the whole suite in tests/conftest.py (``pytest_plugins``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from aggregator.config import Settings
from aggregator.group import EventUpdate, GroupingStep
from aggregator.model import Article, Statement
from aggregator.pipeline.process import process_pending
from aggregator.store import Store, open_store
from aggregator.web import create_app
from tests.integration.test_store_support import make_source, save_articles
from tests.support.databases import fresh_database
from tests.support.demo import demo_settings, ingest_demo

DAY = "2026-11-24"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
HOSTILE_EVENT = "ev-hostile"
HOSTILE_ACTOR = f"Mallory {SCRIPT}"
HOSTILE_SLUG = "mallory-script-alert-1-script"
#: an event merged into the hostile one: its page redirects there
MERGED_EVENT = "ev-absorbed"


def hostile_article(guid: str, url: str | None) -> Article:
    text = f'"{SCRIPT} {IMG} ultimatum," said {HOSTILE_ACTOR}, the foreign minister.'
    return Article(
        source="hostile-wire",
        guid=guid,
        url=url,
        title=f"Hostile ultimatum {SCRIPT}{IMG}",
        summary=text,
        text=text,
        html=None,
        published=NOON,
        updated=None,
        language="en",
        author=None,
        content_hash=f"hash-{guid}",
        link=url,
    )


def hostile_statement(text: str) -> Statement:
    return Statement(
        text=f"{SCRIPT} {IMG} ultimatum",
        start=1,
        end=1 + len(SCRIPT) + len(IMG) + 11,
        kind="direct",
        cue="said",
        speaker=HOSTILE_ACTOR,
        speaker_start=text.index("Mallory"),
        speaker_end=text.index("Mallory") + len(HOSTILE_ACTOR),
        actor=HOSTILE_ACTOR,
        role=f"foreign minister {IMG}",
        side=f"Hostilia {IMG}",
        cue_start=None,
        cue_end=None,
    )


def add_hostile_event(store: Store, settings: Settings) -> None:
    """Two articles of markup and a javascript: link, a statement of the same, grouped into
    HOSTILE_EVENT; MERGED_EVENT merged into it."""
    hostile = make_source("hostile-wire", kind="wire", publisher=f"Wire {IMG}")
    store.sync_sources([*settings.to_sources(), hostile], now=NOON)
    articles = [hostile_article("h1", JS_URL), hostile_article("h2", "https://hostile.example/2")]
    ids = save_articles(store, "hostile-wire", articles, now=NOON)
    for article_id, article in zip(ids, articles, strict=True):
        store.replace_statements(article_id, [hostile_statement(article.text)], version="test")
    span = (NOON, NOON + timedelta(hours=1))
    grouped = GroupingStep(
        assignments=((str(ids[0]), HOSTILE_EVENT), (str(ids[1]), MERGED_EVENT)),
        events=(
            EventUpdate(HOSTILE_EVENT, f"Hostile ultimatum {SCRIPT}{IMG}", *span),
            EventUpdate(MERGED_EVENT, "Absorbed", *span),
        ),
    )
    store.save_grouping(grouped, now=NOON)
    store.save_grouping(GroupingStep(merges=((MERGED_EVENT, HOSTILE_EVENT),)), now=NOON)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A store holding the demo day (processed) and the hostile event; read-only for tests."""
    folder = tmp_path_factory.mktemp("web")
    with fresh_database(request.param, folder) as url:
        settings = demo_settings()
        with open_store(url) as store:
            ingest_demo(store, settings)
            process_pending(store, settings)
            add_hostile_event(store, settings)
        yield url


@pytest.fixture
def demo_store(demo_url: str) -> Iterator[Store]:
    with open_store(demo_url, upgrade=False) as store:
        yield store


def web_client(store: Store, settings: Settings | None = None) -> TestClient:
    """A test client of the archive over ``store`` (the demo's configuration by default), its
    clock at NOW, the morning after the demo day."""
    return TestClient(create_app(store, settings or demo_settings(), clock=lambda: NOW))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(app: FastAPI, *, timeout: float = 15.0) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
        assert not thread.is_alive(), "the test server did not stop"
