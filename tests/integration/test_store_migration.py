"""Migrations over databases that already hold rows, on SQLite and PostgreSQL: 0001 -> head,
and the keys-on-digests migration (text without NUL) from the revision before it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.command import upgrade as alembic_upgrade
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from aggregator.group import EventUpdate, GroupingStep
from aggregator.store import open_store
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.store.migrate import alembic_config, head_revision, migrate_to
from aggregator.store.schema import include_name, metadata
from tests.integration.test_store_support import (
    T0,
    Poll,
    make_article,
    make_result,
    make_statement,
)

# rows as version 0001 wrote them (our own sample values)
ROWS_0001 = [
    """INSERT INTO sources (id, name, url, configured_url, kind, publisher, interval_seconds,
           fulltext, enabled, next_poll_at, consecutive_failures, created_at, updated_at)
       VALUES (1, 'veskaria-mfa', 'https://mfa.example.org/rss', 'https://mfa.example.org/rss',
           'official', 'Veskaria MFA', 900, false, true, :t, 0, :t, :t),
              (2, 'wire', 'https://wire.example.org/rss', 'https://wire.example.org/rss',
           'wire', 'Wire', 900, false, true, :t, 0, :t, :t)""",
    """INSERT INTO articles (id, canonical_url, title, summary, text, published_at, first_seen_at,
           last_changed_at, content_hash, near_duplicate_of, primary_source_id)
       VALUES (1, 'https://mfa.example.org/1', 'Envoy recalled', 's', 'The envoy was recalled.',
           :t, :t, :t, 'h1', NULL, 1),
              (2, 'https://wire.example.org/2', 'Envoy recalled (wire)', 's', 'Recalled.',
           :t, :t, :t, 'h2', 1, 2)""",
    """INSERT INTO article_sources (source_id, guid, article_id, link, content_hash,
           first_seen_at, last_seen_at)
       VALUES (1, 'g1', 1, 'https://mfa.example.org/1', 'h1', :t, :t),
              (2, 'g2', 2, 'https://wire.example.org/2', 'h2', :t, :t),
              (2, 'g1-copy', 1, 'https://wire.example.org/1', 'h1', :t, :t)""",
    """INSERT INTO fetch_log (source_id, started_at, duration_ms, outcome, new_entries,
           updated_entries) VALUES (1, :t, 120, 'ok', 1, 0)""",
]


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """The store's own engine (foreign keys on, as every store connection has them)."""
    made = create_store_engine(normalise_url(db_url))
    try:
        yield made
    finally:
        made.dispose()


def _migrate(engine: Engine, target: str) -> None:
    """Up or down to ``target`` as the store migrates (on SQLite with foreign keys off)."""
    migrate_to(engine, target)


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_upgrade_from_0001_keeps_every_row(engine: Engine, db_url: str) -> None:
    _migrate(engine, "0001")
    with engine.connect() as conn, conn.begin():
        for statement in ROWS_0001:
            conn.execute(text(statement), {"t": T0})

    with open_store(db_url) as store:
        assert store.revision() == head_revision()
        assert _count(engine, "article_sources") == 3  # nothing cascaded away
        assert _count(engine, "fetch_log") == 1
        articles = {a.id: a for a in store.articles()}
        assert set(articles) == {1, 2}
        assert articles[1].sources == ("veskaria-mfa", "wire")
        assert articles[2].near_duplicate_of == 1
        assert {(a.event_id, a.extracted_version, a.grouped_at) for a in articles.values()} == {
            (None, None, None)
        }
        # the new tables and columns work on the old rows
        assert store.replace_statements(1, [make_statement("We recall our envoy")], version="x")
        step = GroupingStep(
            assignments=(("1", "ev-1"), ("2", "ev-1")),
            events=(EventUpdate("ev-1", "Envoy recalled", T0, T0),),
        )
        store.save_grouping(step, now=T0)
        assert store.stats() == {
            "sources": 2,
            "articles": 2,
            "statements": 1,
            "events": 1,
            "digests_sent": 0,
        }

    raw = create_engine(normalise_url(db_url))
    try:
        with raw.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(context, metadata) == []
    finally:
        raw.dispose()


def test_downgrade_to_0001(engine: Engine, db_url: str) -> None:
    open_store(db_url).close()
    if engine.dialect.name == "sqlite":
        with pytest.raises(NotImplementedError, match="restore a backup"):
            _migrate(engine, "0001")
        return
    _migrate(engine, "0001")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        assert conn.execute(text("SELECT to_regclass('statements')")).scalar() is None
    with open_store(db_url) as store:
        assert store.revision() == head_revision()


# -- keys on digests, text without NUL --------------------------------------------------------

#: the migration under test, and the revision it upgrades from
TEXT_KEYS = "0004"
BEFORE_TEXT_KEYS = (
    ScriptDirectory.from_config(alembic_config()).get_revision(TEXT_KEYS).down_revision
)
assert isinstance(BEFORE_TEXT_KEYS, str)

# a 2,000-character canonical URL: long, yet short enough for PostgreSQL's index at 0002
LONG_URL = "https://wire.example.org/" + "".join(chr(97 + (i * 7) % 26) for i in range(1975))
STATEMENTS_BEFORE = """INSERT INTO statements (id, article_id, seq, text, start, "end", kind,
    created_at) VALUES (1, 1, 0, 'We recall our envoy', 0, 19, 'direct', :t),
                       (2, 2, 0, 'We recall our envoy', 0, 19, 'direct', :t)"""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _rows_before_text_keys(engine: Engine) -> None:
    """0001's rows, one article with a long URL, a link whose guid is not ASCII, statements;
    on SQLite (which stored it) NUL in a title and a link."""
    nul = "\x00" if engine.dialect.name == "sqlite" else ""
    with engine.connect() as conn, conn.begin():
        for statement in ROWS_0001:
            conn.execute(text(statement), {"t": T0})
        conn.execute(
            text(
                """INSERT INTO articles (id, canonical_url, title, summary, text, first_seen_at,
                       last_changed_at, content_hash, primary_source_id)
                   VALUES (3, :url, :title, 's', 'Talks resume.', :t, :t, 'h3', 2)"""
            ),
            {"url": LONG_URL, "title": f"Talks{nul} resume", "t": T0},
        )
        conn.execute(
            text(
                """INSERT INTO article_sources (source_id, guid, article_id, link, content_hash,
                       first_seen_at, last_seen_at)
                   VALUES (2, 'переговоры-𠀋', 3, :link, 'h3', :t, :t)"""
            ),
            {"link": f"https://wire.example.org/talks{nul}", "t": T0},
        )
        conn.execute(text(STATEMENTS_BEFORE), {"t": T0})


@pytest.mark.fault
def test_upgrade_to_text_keys_keys_every_row_by_digest(engine: Engine, db_url: str) -> None:
    _migrate(engine, BEFORE_TEXT_KEYS)
    _rows_before_text_keys(engine)
    _migrate(engine, TEXT_KEYS)

    with engine.connect() as conn:
        urls = dict(conn.execute(text("SELECT canonical_url, url_key FROM articles")).all())
        guids = dict(conn.execute(text("SELECT guid, guid_key FROM article_sources")).all())
        titles = dict(conn.execute(text("SELECT id, title FROM articles")).all())
        links = dict(conn.execute(text("SELECT guid, link FROM article_sources")).all())
    assert urls == {url: _digest(url) for url in urls}
    assert set(urls) == {"https://mfa.example.org/1", "https://wire.example.org/2", LONG_URL}
    assert guids == {guid: _digest(guid) for guid in guids}
    assert set(guids) == {"g1", "g2", "g1-copy", "переговоры-𠀋"}
    # nothing cascaded away while SQLite rebuilt the tables, and no NUL is left
    assert _count(engine, "article_sources") == 4
    assert _count(engine, "statements") == 2
    assert titles[3] == "Talks resume"
    assert links["переговоры-𠀋"] == "https://wire.example.org/talks"

    with open_store(db_url) as store:
        assert store.revision() == head_revision()
        articles = {a.id: a for a in store.articles()}
        assert articles[2].near_duplicate_of == 1
        assert articles[3].sources == ("wire",)
        # the old rows are found by their keys: the same entries are unchanged, the same URL
        # from another source is the same article
        assert store.known_guids("wire", ["переговоры-𠀋", "g2", "nope"]) == {
            "переговоры-𠀋",
            "g2",
        }
        state = store.claim_due(now=T0, owner="t", lease=timedelta(minutes=5), names=["wire"])
        same = make_article("wire", "переговоры-𠀋", LONG_URL)
        report = store.save_fetch(
            state[0],
            make_result("wire"),
            [replace(same, content_hash="h3")],
            Poll(),
            now=T0,
        )
        assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
        state = store.claim_due(
            now=T0, owner="t", lease=timedelta(minutes=5), names=["veskaria-mfa"]
        )
        report = store.save_fetch(
            state[0],
            make_result("veskaria-mfa"),
            [make_article("veskaria-mfa", "talks", LONG_URL)],
            Poll(),
            now=T0,
        )
        assert (report.new, report.new_article_ids) == (1, [])  # linked to article 3
        assert store.stats()["articles"] == 3

    raw = create_engine(normalise_url(db_url))
    try:
        with raw.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            assert compare_metadata(context, metadata) == []
    finally:
        raw.dispose()


def test_downgrade_from_text_keys_keeps_every_row(engine: Engine, db_url: str) -> None:
    _migrate(engine, BEFORE_TEXT_KEYS)
    _rows_before_text_keys(engine)
    _migrate(engine, TEXT_KEYS)
    _migrate(engine, BEFORE_TEXT_KEYS)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == BEFORE_TEXT_KEYS
        )
        columns = {c["name"] for c in inspect(conn).get_columns("article_sources")}
    assert "guid_key" not in columns
    assert _count(engine, "article_sources") == 4
    assert _count(engine, "statements") == 2
    with open_store(db_url) as store:
        assert store.revision() == head_revision()
        assert store.known_guids("wire", ["g2"]) == {"g2"}


def test_sqlite_text_keys_refuse_to_run_with_foreign_keys_on(tmp_path: Path) -> None:
    """Run by hand (not through the store), the rebuild would delete every link: refused."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    made = create_store_engine(normalise_url(url))
    try:
        _migrate(made, BEFORE_TEXT_KEYS)
        _rows_before_text_keys(made)
        refused = pytest.raises(RuntimeError, match="foreign keys on")
        with made.connect() as conn, conn.begin(), refused:
            alembic_upgrade(alembic_config(conn), TEXT_KEYS)
        assert _count(made, "article_sources") == 4
    finally:
        made.dispose()
