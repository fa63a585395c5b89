"""Pages made ahead (``aggregator pages``, web/made.py, store/pages.py), on SQLite and PostgreSQL:
a stored page is what the page's own render gives, and it is never served once a write of any
kind has reached what it shows; the maker keeps no page a write reached while it was made."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from aggregator.cli import main
from aggregator.config import Settings, default_settings
from aggregator.config.schema import WebAuthSettings, WebSettings
from aggregator.errors import StoreError
from aggregator.group import EventUpdate, GroupingStep
from aggregator.store import Store, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.store.migrate import migrate_to
from aggregator.web import create_app
from aggregator.web import made as made_module
from aggregator.web.api import event_json
from aggregator.web.made import PageKey, PageMaker, _route_path, fingerprint, page_key
from aggregator.web.pages import ACTOR_PAGE, actor_html, event_html
from aggregator.web.site import Archive, Links
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_source,
    make_statement,
    save_articles,
)
from tests.support.databases import fresh_database

ACTOR = "Ilse Varnow"
SLUG = "ilse-varnow"
OTHER = "Tomas Brell"
OTHER_SLUG = "tomas-brell"
E1 = "ev-harbour"
E2 = "ev-bridge"
E3 = "ev-quay"
BASE = "http://testserver"


@dataclass(frozen=True)
class Harbour:
    """Three events: E1 of articles a1 (wire) and a2 (desk), E2 of a3 (desk), E3 of a4 (post).
    ACTOR speaks in a1; a3 and a4 carry copies of that statement (their canonical is a1's), so
    each of the three events shows every outlet of it; OTHER speaks in a2."""

    a1: int
    a2: int
    a3: int
    a4: int
    s1: int  # ACTOR's statement in a1, canonical
    s3: int  # its copy in a3
    s4: int  # its copy in a4, a sibling of s3


def _harbour(store: Store) -> Harbour:
    store.sync_sources([make_source("wire", kind="wire"), make_source("desk")], now=T0)
    [a1] = save_articles(store, "wire", [make_article("wire", "g1")])
    a2, a3 = save_articles(store, "desk", [make_article("desk", "g2"), make_article("desk", "g3")])
    said = make_statement("The harbour stays open", actor=ACTOR)
    store.replace_statements(a1, [said], version="x")
    store.replace_statements(a2, [make_statement("Ships may dock", actor=OTHER)], version="x")
    store.replace_statements(a3, [said], version="x")
    [a4] = save_articles(store, "post", [make_article("post", "g4")])
    store.replace_statements(a4, [said], version="x")
    [s1] = [s.id for s in store.statements_for_articles([a1])[a1]]
    [s3] = [s.id for s in store.statements_for_articles([a3])[a3]]
    [s4] = [s.id for s in store.statements_for_articles([a4])[a4]]
    store.set_statement_canonicals([(s3, s1), (s4, s1)])
    span = (T0 - timedelta(hours=2), T0)
    store.save_grouping(
        GroupingStep(
            assignments=((str(a1), E1), (str(a2), E1), (str(a3), E2), (str(a4), E3)),
            events=(
                EventUpdate(E1, "Harbour stays open", *span),
                EventUpdate(E2, "Bridge", *span),
                EventUpdate(E3, "Quay", *span),
            ),
        ),
        now=T0,
    )
    return Harbour(a1, a2, a3, a4, s1, s3, s4)


@pytest.fixture(autouse=True)
def _ask_each_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests make pages while an app is serving: it asks at each request whether the store
    keeps any (in service, every KEPT_CHECK seconds; see the test of that below)."""
    monkeypatch.setattr(made_module, "KEPT_CHECK", 0.0)


def _client(store: Store, settings: Settings | None = None) -> TestClient:
    # no page cache: every answer is the stored page or a render, as a fresh worker gives it
    return TestClient(create_app(store, settings or default_settings(), cache_bytes=0))


def _fresh(store: Store, path: str) -> str:
    """The page at ``path`` as its own render makes it now."""
    found = page_key(path, b"")
    assert found is not None
    links = Links(BASE)
    if found.kind == "event":
        detail = store.event(found.key)
        assert detail is not None
        if found.api:
            return event_json(detail, links)
        return event_html(Archive(store, default_settings(), lambda: T0), links, detail)
    return actor_html(links, None, store.actor_statements(found.key, limit=ACTOR_PAGE), found.key)


PAGES = (
    f"/events/{E1}",
    f"/events/{E2}",
    f"/events/{E3}",
    f"/actors/{SLUG}",
    f"/actors/{OTHER_SLUG}",
    f"/api/v1/events/{E1}",
    f"/api/v1/events/{E2}",
    f"/api/v1/events/{E3}",
)


def _with_api(paths: tuple[str, ...]) -> tuple[str, ...]:
    """``paths`` and the API's answer of each event among them."""
    return paths + tuple("/api/v1" + p for p in paths if p.startswith("/events/"))


def test_made_pages_are_served_as_their_render_gives_them(db_url: str) -> None:
    with open_store(db_url) as store:
        _harbour(store)
        client = _client(store)
        rendered = {path: client.get(path) for path in PAGES}
        report = PageMaker(store, default_settings()).run()

        assert (report.events, report.actors, report.lost, report.left) == (3, 2, 0, 0)
        for path in PAGES:
            answer = client.get(path)
            assert rendered[path].headers.get("x-page") is None
            assert answer.headers.get("x-page") == "stored", path
            assert answer.content == rendered[path].content, path
            assert answer.headers["content-type"] == rendered[path].headers["content-type"]
            assert answer.text == _fresh(store, path), path
            assert f"{BASE}/" in answer.text
            assert ".invalid" not in answer.text  # the mark is gone: links are the reader's
        # a second run has nothing left to make
        assert PageMaker(store, default_settings()).run().events == 0


def test_a_page_is_served_under_the_configured_base_url(db_url: str) -> None:
    settings = default_settings()
    web = settings.settings.web.model_copy(update={"base_url": "https://archive.example/news"})
    settings = settings.model_copy(
        update={"settings": settings.settings.model_copy(update={"web": web})}
    )
    with open_store(db_url) as store:
        _harbour(store)
        PageMaker(store, settings).run()
        answer = _client(store, settings).get(f"/events/{E1}")

    assert answer.headers.get("x-page") == "stored"
    assert 'href="https://archive.example/news/actors/ilse-varnow"' in answer.text


def _retitle(store: Store, h: Harbour) -> None:
    save_articles(store, "desk", [make_article("desk", "g2", body="v2")], now=T0 + timedelta(1))


def _outlet(store: Store, h: Harbour) -> None:
    # another source carries a1 (same URL): a new link, a new outlet on the page
    url = "https://news.example.org/wire/g1"
    save_articles(store, "post", [make_article("post", "p1", url=url)])


def _requote(store: Store, h: Harbour) -> None:
    store.replace_statements(h.a1, [make_statement("The harbour closes", actor=ACTOR)], version="y")


def _move(store: Store, h: Harbour) -> None:
    store.save_grouping(GroupingStep(assignments=((str(h.a2), E2),)), now=T0)


def _merge(store: Store, h: Harbour) -> None:
    store.save_grouping(GroupingStep(merges=((E2, E1),)), now=T0)


def _uncopy(store: Store, h: Harbour) -> None:
    store.set_statement_canonicals([(h.s3, None)])


def _uncopy_sibling(store: Store, h: Harbour) -> None:
    store.set_statement_canonicals([(h.s4, None)])


ALL_EVENTS = (f"/events/{E1}", f"/events/{E2}", f"/events/{E3}")


def _pin(store: Store, h: Harbour) -> None:
    store.correct_speakers([(ACTOR, {"side": "Veskaria"})])


def _rename(store: Store, h: Harbour) -> None:
    known = [make_source(s.name, kind=s.kind) for s in store.source_status()]
    renamed = [replace(s, publisher="Desk Daily") if s.name == "desk" else s for s in known]
    store.sync_sources(renamed, now=T0)


def _sql(statement: str) -> Callable[[Store, Harbour], None]:
    """A write by other code than the store's: the database's triggers must see it too."""

    def write(store: Store, h: Harbour) -> None:
        with store._engine.begin() as conn:
            conn.exec_driver_sql(statement.format(h=h))

    return write


#: a write, and the pages it must reach (those whose content it changes)
WRITES: dict[str, tuple[Callable[[Store, Harbour], None], tuple[str, ...]]] = {
    "an article changed": (_retitle, (f"/events/{E1}", f"/actors/{OTHER_SLUG}")),
    "another outlet carries an article": (
        _outlet,
        (f"/events/{E1}", f"/events/{E2}", f"/events/{E3}"),
    ),
    "a statement extracted anew": (_requote, (*ALL_EVENTS, f"/actors/{SLUG}")),
    "an article moved to another event": (_move, (f"/events/{E1}", f"/events/{E2}")),
    "an event merged into another": (_merge, (f"/events/{E1}",)),
    "a copy made canonical": (_uncopy, (*ALL_EVENTS, f"/actors/{SLUG}")),
    "a sibling copy made canonical": (_uncopy_sibling, ALL_EVENTS),
    "a speaker's side corrected": (_pin, (*ALL_EVENTS, f"/actors/{SLUG}")),
    "SQL: an article's title": (
        _sql("UPDATE articles SET title = 'Harbour shut' WHERE id = {h.a2}"),
        (f"/events/{E1}", f"/actors/{OTHER_SLUG}"),
    ),
    "SQL: an outlet's link": (
        _sql("UPDATE article_sources SET link = 'https://x.example/1' WHERE article_id = {h.a1}"),
        (*ALL_EVENTS, f"/actors/{SLUG}"),
    ),
    "SQL: a sibling copy's outlet link": (
        _sql("UPDATE article_sources SET link = 'https://x.example/4' WHERE article_id = {h.a4}"),
        ALL_EVENTS,
    ),
    "SQL: a sibling copy's article time": (
        _sql("UPDATE articles SET published_at = '2026-02-27 05:00:00' WHERE id = {h.a4}"),
        ALL_EVENTS,
    ),
    "SQL: a canonical's words": (
        _sql("UPDATE statements SET text = 'The harbour is shut' WHERE id = {h.s1}"),
        (*ALL_EVENTS, f"/actors/{SLUG}"),
    ),
    "SQL: an event's title": (
        _sql(f"UPDATE events SET title = 'Harbour shut' WHERE id = '{E1}'"),
        (f"/events/{E1}",),
    ),
    "SQL: an article deleted": (
        _sql("DELETE FROM articles WHERE id = {h.a2}"),
        (f"/events/{E1}", f"/actors/{OTHER_SLUG}"),
    ),
    "a source renamed": (_rename, (*ALL_EVENTS, f"/actors/{OTHER_SLUG}")),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_reaching_a_page_stops_it_being_served(db_url: str, write: str) -> None:
    change, reached = WRITES[write]
    reached = _with_api(reached)
    with open_store(db_url) as store:
        harbour = _harbour(store)
        PageMaker(store, default_settings()).run()
        client = _client(store)
        before = {path: client.get(path).text for path in reached}

        change(store, harbour)

        for path in PAGES:
            answer = client.get(path, follow_redirects=False)
            if answer.status_code == 301:  # merged: its address now leads to the survivor
                assert path.endswith(f"/events/{E2}")
                assert write == "an event merged into another"
                continue
            if answer.status_code == 404:  # its only statement went with its article
                assert path in reached
                assert store.actor_statements(OTHER_SLUG).actor is None
                continue
            assert answer.text == _fresh(store, path), f"{write}: {path} is stale"
            if path in reached:
                assert answer.headers.get("x-page") != "stored", f"{write}: {path} kept"
                assert answer.text != before[path], f"{write}: the test changed nothing on {path}"
        # the next run makes them again, as they now read
        again = PageMaker(store, default_settings()).run()
        assert again.events + again.actors >= 1
        for path in reached:
            answer = client.get(path, follow_redirects=False)
            if answer.status_code == 200:  # not merged away, not gone
                assert answer.headers.get("x-page") == "stored", f"{write}: {path} not made"
                assert answer.text == _fresh(store, path)


def test_a_page_reached_while_it_was_made_is_not_kept(db_url: str) -> None:
    made_for = fingerprint(None)
    with open_store(db_url) as store:
        harbour = _harbour(store)
        marks = store.claim_pages([("event", E1), ("event", E2)], now=T0)

        _requote(store, harbour)  # reaches E1 (a1 is its article) and E2 (a3 copies a1's)
        _move(store, harbour)  # a2 moves from E1 to E2
        kept = store.keep_pages(
            {key: (mark, "<p>made before the write</p>", None) for key, mark in marks.items()},
            made_for,
            now=T0,
        )

        assert kept == 0
        assert store.stored_page("event", E1, made_for) is None
        assert store.stored_page("event", E2, made_for) is None


def test_a_claim_no_write_reached_is_kept_and_other_code_never_serves_it(db_url: str) -> None:
    made_for = fingerprint(None)
    with open_store(db_url) as store:
        _harbour(store)
        marks = store.claim_pages([("event", E2)], now=T0)
        assert store.stored_page("event", E2, made_for) is None  # a claim is not a page

        mark = marks[("event", E2)]
        kept = store.keep_pages({("event", E2): (mark, "<p>E2</p>", "{}")}, made_for, now=T0)

        assert kept == 1
        assert store.stored_page("event", E2, made_for) == ("<p>E2</p>", mark)
        assert store.stored_page("event", E2, made_for, api=True) == ("{}", mark)
        assert store.stored_page("event", E2, "another-version") is None
        assert store.page_counts(made_for) == {"event": 1, "actor": 0, "changes": 0}


def test_a_store_without_pages_records_no_changes(db_url: str) -> None:
    with open_store(db_url) as store:
        _requote(store, _harbour(store))
        assert store.page_counts(fingerprint(None))["changes"] == 0


def test_the_pages_command_makes_them_and_says_so(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/pages.db"
    with open_store(url) as store:
        _harbour(store)
    runner = CliRunner()

    first = runner.invoke(main, ["--db", url, "pages", "--no-progress"])
    second = runner.invoke(main, ["--db", url, "pages", "--no-progress"])

    assert first.exit_code == 0, first.output
    assert first.output.startswith("3 event pages and 2 speaker pages made in ")
    assert second.output.startswith("0 event pages and 0 speaker pages made in ")


def test_page_keys_are_the_plain_event_and_actor_pages() -> None:
    assert page_key("/events/ev-1", b"") == PageKey("event", "ev-1", False, "/events/{event_id}")
    assert page_key("/actors/ilse-varnow", b"") == PageKey(
        "actor", "ilse-varnow", False, "/actors/{slug}"
    )
    assert page_key("/api/v1/events/ev-1", b"") == PageKey(
        "event", "ev-1", True, "/api/v1/events/{event_id}"
    )
    assert page_key("/actors/ilse-varnow", b"from=2026-01-01") is None
    assert page_key("/events/", b"") is None
    assert page_key("/events/a/b", b"") is None
    assert page_key("/api/v1/actors/ilse-varnow", b"") is None
    assert page_key("/events/" + "x" * 201, b"") is None


def test_migration_0009_down_and_up_again(db_url: str) -> None:
    with open_store(db_url) as store:
        harbour = _harbour(store)
        PageMaker(store, default_settings()).run()
    engine = create_store_engine(normalise_url(db_url))
    try:
        migrate_to(engine, "0008")
        tables = set(inspect(engine).get_table_names())
        assert "pages" not in tables
        assert "page_changes" not in tables
        with open_store(db_url, upgrade=False) as store:
            _requote(store, harbour)  # no trigger is left to write to the dropped tables
        migrate_to(engine, "0009")
    finally:
        engine.dispose()
    with open_store(db_url) as store:
        assert store.page_counts(fingerprint(None)) == {"event": 0, "actor": 0, "changes": 0}
        assert PageMaker(store, default_settings()).run().events == 3
        _move(store, harbour)
        assert store.page_counts(fingerprint(None))["changes"] == 3  # E1, E2, its speaker


def test_a_stored_page_passes_auth_and_carries_the_security_headers(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGGREGATOR_TEST_WEB_PASSWORD", "harbour")
    settings = default_settings()
    web = WebSettings(
        auth=WebAuthSettings(username="analyst", password_env="AGGREGATOR_TEST_WEB_PASSWORD")
    )
    settings = settings.model_copy(
        update={"settings": settings.settings.model_copy(update={"web": web})}
    )
    with open_store(db_url) as store:
        _harbour(store)
        PageMaker(store, settings).run()
        client = _client(store, settings)
        refused = client.get(f"/events/{E1}")
        token = base64.b64encode(b"analyst:harbour").decode()
        admitted = client.get(f"/events/{E1}", headers={"Authorization": f"Basic {token}"})
        head = client.head(f"/events/{E1}", headers={"Authorization": f"Basic {token}"})

    assert refused.status_code == 401
    assert "Harbour" not in refused.text
    assert admitted.headers.get("x-page") == "stored"
    for answer in (admitted, head):
        assert answer.status_code == 200
        assert "content-security-policy" in answer.headers
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_pages_drop_forgets_them_all(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/drop.db"
    with open_store(url) as store:
        _harbour(store)
        PageMaker(store, default_settings()).run()
    dropped = CliRunner().invoke(main, ["--db", url, "pages", "--drop"])

    assert dropped.exit_code == 0, dropped.output
    assert dropped.output == "5 stored pages dropped\n"
    with open_store(url) as store:
        assert store.page_counts(fingerprint(None)) == {"event": 0, "actor": 0, "changes": 0}
        _requote(store, _harbour_ids(store))
        assert store.page_counts(fingerprint(None))["changes"] == 0


def _harbour_ids(store: Store) -> Harbour:
    """The harbour of a store made by :func:`_harbour` (its ids)."""
    by_guid = {a.canonical_url.rsplit("/", 1)[1]: a.id for a in store.articles() if a.canonical_url}
    ids = {guid: by_guid[guid] for guid in ("g1", "g2", "g3", "g4")}
    statement = {g: store.statements_for_articles([i])[i][0].id for g, i in ids.items()}
    return Harbour(
        ids["g1"],
        ids["g2"],
        ids["g3"],
        ids["g4"],
        statement["g1"],
        statement["g3"],
        statement["g4"],
    )


def test_a_path_under_the_proxy_root_finds_its_page() -> None:
    scope = {"path": "/archive/events/ev-1", "root_path": "/archive"}
    assert _route_path(scope) == "/events/ev-1"
    assert _route_path({"path": "/events/ev-1"}) == "/events/ev-1"


# -- PostgreSQL: the maker and the writers wait for each other (docs/store.md, "Stored pages")


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path) as url:
        yield url


def test_postgresql_a_maker_gives_way_to_a_writer_in_progress(pg_url: str) -> None:
    with open_store(pg_url) as store:
        harbour = _harbour(store)  # no page made yet: every one is wanted
        engine = create_store_engine(normalise_url(pg_url))
        try:
            with engine.connect() as writer:
                writer.begin()
                writer.exec_driver_sql(
                    f"UPDATE articles SET title = 'Shut' WHERE id = {harbour.a2}"
                )
                # the writer's trigger has run and holds on: the maker must not wait for long
                began = time.monotonic()
                with pytest.raises(StoreError):
                    store.claim_pages([("event", E1)], now=T0)
                assert time.monotonic() - began < 5
                report = PageMaker(store, default_settings()).run()  # gives way, says what is left
                assert report.left >= 1
                writer.commit()
        finally:
            engine.dispose()
        assert PageMaker(store, default_settings()).run().left == 0
        assert _client(store).get(f"/events/{E1}").text == _fresh(store, f"/events/{E1}")


def test_postgresql_a_writer_waits_for_a_claim_and_then_names_it(pg_url: str) -> None:
    with open_store(pg_url) as store:
        harbour = _harbour(store)
        engine = create_store_engine(normalise_url(pg_url))
        try:
            with engine.connect() as maker:
                maker.begin()
                # what claim_pages does, held open: the lock, then a claim under E1
                maker.exec_driver_sql("LOCK TABLE page_changes IN SHARE ROW EXCLUSIVE MODE")
                maker.exec_driver_sql(
                    "INSERT INTO pages (kind, key, made_for, mark, body, made_at) "
                    f"VALUES ('event', '{E1}', '', 'http://m.invalid', '', now())"
                )
                done = threading.Event()

                def write() -> None:
                    _retitle(store, harbour)  # reaches E1
                    done.set()

                thread = threading.Thread(target=write)
                thread.start()
                assert not done.wait(1.0)  # held back by the maker's lock
                maker.commit()
                thread.join(10)
                assert done.is_set()
        finally:
            engine.dispose()
        # the writer saw the claim committed meanwhile and named it: it will not be kept
        assert store.page_counts(fingerprint(None))["changes"] == 1
        assert store.keep_pages({("event", E1): ("http://m.invalid", "x", None)}, "f", now=T0) == 0


def test_a_page_that_fails_to_render_leaves_the_others_made(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    render = PageMaker.render

    def broken(self: PageMaker, key: tuple[str, str], mark: str) -> tuple[str | None, str | None]:
        if key == ("event", E2):
            raise RuntimeError("a template bug")
        return render(self, key, mark)  # type: ignore[arg-type]

    monkeypatch.setattr(PageMaker, "render", broken)
    with open_store(db_url) as store:
        _harbour(store)
        report = PageMaker(store, default_settings()).run()
        answer = _client(store).get(f"/events/{E2}")

    assert (report.events, report.actors, report.dropped) == (2, 2, 1)
    assert "making the event page 'ev-bridge' failed" in caplog.text
    assert answer.status_code == 200  # rendered for the request, as before
    assert answer.headers.get("x-page") is None


def test_a_store_keeping_no_page_is_not_asked_for_one_at_each_request(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored pages are off by default: a store that keeps none costs no read of a page a
    request, the page cache answering with its one read; pages made later are served once the
    worker asks again (every KEPT_CHECK seconds)."""
    monkeypatch.setattr(made_module, "KEPT_CHECK", 3600.0)
    with open_store(db_url) as store:
        _harbour(store)
        asked: list[str] = []
        real = store.stored_page

        def counted(*args: object, **kwargs: object) -> object:
            asked.append(str(args[1]))
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "stored_page", counted)
        client = TestClient(create_app(store, default_settings()))  # the page cache on
        answers = [client.get(f"/events/{E1}") for _ in range(3)]
        assert asked == []
        assert all(a.status_code == 200 and "x-page" not in a.headers for a in answers)
        if store.dialect == "sqlite":  # PostgreSQL's token moves with the whole cluster's writes
            assert answers[-1].headers["x-cache"] == "hit"

        PageMaker(store, default_settings()).run()
        assert "x-page" not in client.get(f"/events/{E1}").headers  # not asked again yet
        monkeypatch.setattr(made_module, "KEPT_CHECK", 0.0)
        kept = client.get(f"/events/{E1}")
        assert kept.headers.get("x-page") == "stored"
        assert "x-cache" not in kept.headers  # looked up before the cache, given alone
        assert asked == [E1]
