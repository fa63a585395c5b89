"""Migration 0001 -> 0002 over a database that already holds rows, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.command import downgrade as alembic_downgrade
from alembic.command import upgrade as alembic_upgrade
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from aggregator.store import EventUpdate, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.store.migrate import alembic_config, head_revision
from aggregator.store.schema import metadata
from tests.integration.test_store_support import T0, make_statement

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


def _migrate(engine: Engine, target: str, *, down: bool = False) -> None:
    with engine.connect() as conn, conn.begin():
        command = alembic_downgrade if down else alembic_upgrade
        command(alembic_config(conn), target)


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
        store.save_grouping(
            assignments=[(1, "ev-1"), (2, "ev-1")],
            near_duplicates=[],
            events=[EventUpdate("ev-1", "Envoy recalled", T0, T0)],
            merges=[],
            now=T0,
        )
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
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        raw.dispose()


def test_downgrade_to_0001(engine: Engine, db_url: str) -> None:
    open_store(db_url).close()
    if engine.dialect.name == "sqlite":
        with pytest.raises(NotImplementedError, match="restore a backup"):
            _migrate(engine, "0001", down=True)
        return
    _migrate(engine, "0001", down=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        assert conn.execute(text("SELECT to_regclass('statements')")).scalar() is None
    with open_store(db_url) as store:
        assert store.revision() == head_revision()
