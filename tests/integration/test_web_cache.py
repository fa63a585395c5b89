"""The page cache and the store's change token, on SQLite and PostgreSQL: a page is given again
while the store is unchanged, and made anew once anything was committed, by this process or
another (here: a second store opened on the same database, as another worker or the daemon)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from aggregator.store import Store, open_store
from aggregator.web import app_from_environment, create_app
from aggregator.web.app import CACHE_VARIABLE, CONFIG_VARIABLE, DATABASE_VARIABLE
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_source,
    make_statement,
    save_articles,
)
from tests.support.demo import demo_settings
from tests.support.web import web_client

ACTOR = "Ilse Varnow"
SLUG = "ilse-varnow"


def _said(store: Store, guid: str, words: str) -> None:
    """One article of ``guid`` in which ACTOR says ``words``."""
    if "wire" not in {s.name for s in store.source_status()}:
        store.sync_sources([make_source("wire", kind="wire")], now=T0)
    [article] = save_articles(store, "wire", [make_article("wire", guid)])
    store.replace_statements(article, [make_statement(words, actor=ACTOR)], version="x")


def _eventually(get: Callable[[], httpx.Response], cached: str) -> httpx.Response:
    """``get`` until it answers with ``x-cache: cached``: on PostgreSQL the token is the
    cluster's, and another database's commit between two requests is a (correct) miss."""
    for _ in range(50):
        answer = get()
        if answer.headers["x-cache"] == cached:
            return answer
    raise AssertionError(f"no x-cache: {cached} in 50 requests")


def test_the_change_token_moves_with_every_commit_of_any_connection(db_url: str) -> None:
    with open_store(db_url) as reader, open_store(db_url) as writer:
        _said(writer, "w1", "The harbour stays open")
        before = reader.change_token()

        _said(writer, "w2", "The harbour closes at dusk")  # another process's pool
        after_other = reader.change_token()
        _said(reader, "w3", "The harbour reopens")  # this store's own pool
        after_own = reader.change_token()

    assert len({before, after_other, after_own}) == 3


def test_the_change_token_holds_while_nothing_is_written(tmp_path: object) -> None:
    # SQLite only: PostgreSQL's token is the whole cluster's, which other suites write to
    url = f"sqlite:///{tmp_path}/held.db"
    with open_store(url) as store:
        _said(store, "w1", "The harbour stays open")
        first = store.change_token()
        store.actor_statements(SLUG)  # reads commit too: they change nothing

        assert store.change_token() == first


def test_a_page_is_kept_until_another_process_writes(db_url: str) -> None:
    with open_store(db_url) as store, open_store(db_url) as daemon:
        _said(daemon, "w1", "The harbour stays open")
        client = web_client(store)
        first = client.get(f"/actors/{SLUG}")
        assert first.headers["x-cache"] == "miss"
        again = _eventually(lambda: client.get(f"/actors/{SLUG}"), "hit")
        assert again.text == first.text
        search = "/search?q=lighthouse"
        assert "stays dark" not in client.get(search).text
        assert "stays dark" not in _eventually(lambda: client.get(search), "hit").text

        _said(daemon, "w2", "The lighthouse stays dark")

        made_again = client.get(f"/actors/{SLUG}")
        assert made_again.headers["x-cache"] == "miss"
        assert "The lighthouse stays dark" in made_again.text
        found = client.get("/search?q=lighthouse")
        assert found.headers["x-cache"] == "miss"
        assert "stays dark" in found.text
        assert "stays dark" in client.get("/api/v1/search?q=lighthouse").text


def test_only_pages_of_the_store_alone_are_cached(db_url: str) -> None:
    with open_store(db_url) as store:
        _said(store, "w1", "The harbour stays open")
        client = web_client(store)
        for path in (f"/actors/{SLUG}", "/search?q=harbour", f"/api/v1/actors/{SLUG}"):
            assert client.get(path).headers["x-cache"] == "miss", path
            _eventually(lambda path=path: client.get(path), "hit")  # type: ignore[misc]
        # the clock's pages and what reads no page of the store pass by the cache
        for path in ("/", "/healthz", "/api/v1/events", "/static/web.css", "/feeds/demo.atom"):
            assert "x-cache" not in client.get(path).headers, path
        # an answer that is not 200 is made every time
        assert [client.get("/actors/nobody").headers["x-cache"] for _ in range(3)] == ["miss"] * 3


def test_the_cache_keys_on_the_host_the_links_are_made_from(db_url: str) -> None:
    with open_store(db_url) as store:
        _said(store, "w1", "The harbour stays open")
        client = web_client(store)
        one = client.get(f"/actors/{SLUG}", headers={"host": "one.example"})
        other = client.get(f"/actors/{SLUG}", headers={"host": "other.example"})

    assert other.headers["x-cache"] == "miss"
    assert "http://one.example/" in one.text
    assert "http://other.example/" in other.text
    assert "one.example" not in other.text


def test_no_cache_with_a_bound_of_zero(db_url: str) -> None:
    with open_store(db_url) as store:
        _said(store, "w1", "The harbour stays open")
        client = TestClient(create_app(store, demo_settings(), cache_bytes=0))
        answers = [client.get(f"/actors/{SLUG}") for _ in range(3)]

    assert all(a.status_code == 200 and "x-cache" not in a.headers for a in answers)


def test_each_worker_of_serve_takes_the_cache_bound_from_the_environment(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve --workers N --cache-mib M`: the workers build their app from the environment."""
    with open_store(db_url) as store:
        _said(store, "w1", "The harbour stays open")
    monkeypatch.delenv(CONFIG_VARIABLE, raising=False)
    monkeypatch.setenv(DATABASE_VARIABLE, db_url)
    headers: dict[str, httpx.Headers] = {}
    for bound in ("0", str(1024 * 1024)):
        monkeypatch.setenv(CACHE_VARIABLE, bound)
        with TestClient(app_from_environment()) as client:
            headers[bound] = client.get(f"/actors/{SLUG}").headers

    assert "x-cache" not in headers["0"]
    assert headers[str(1024 * 1024)]["x-cache"] == "miss"


def test_an_sqlite_uri_is_watched_and_made_where_it_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "sqlite:///file:…?uri=true" names the database as an SQLite URI: the folder is made for
    # its path part (not a folder called "file:" where the process runs), and the change token
    # watches that file (not a new, empty one named after the URI)
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "nested" / "held.db"
    url = f"sqlite:///file:{database}?mode=rwc&uri=true"
    with open_store(url) as reader, open_store(url) as writer:
        _said(writer, "w1", "The harbour stays open")
        before = reader.change_token()
        _said(writer, "w2", "The harbour closes at dusk")
        after = reader.change_token()
    assert before != after
    assert database.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nested"]
