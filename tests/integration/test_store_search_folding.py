"""Accents fold alike on SQLite (FTS5) and PostgreSQL (migration 0008): "Elysee" finds "Élysée"
and "Élysée" finds "Elysee", in statements, speakers and titles, highlighted; rows stored before
0008 are folded by it; a role that may not create ``unaccent`` still migrates."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from aggregator.model import Article
from aggregator.store import MARK_END, MARK_START, Store, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from aggregator.store.migrate import head_revision, migrate_to
from tests.integration.test_store_support import (
    T0,
    make_article,
    make_source,
    make_statement,
    save_articles,
)
from tests.support.databases import PG_ADMIN_URL, fresh_database

H = timedelta(hours=1)


def _article(guid: str, title: str) -> Article:
    return replace(make_article("wire", guid, published=T0 - H), title=title)


def _fill(store: Store) -> tuple[int, int]:
    """An accented statement and title, and a plain one of each; the two articles' ids."""
    store.sync_sources([make_source("wire", kind="wire")], now=T0)
    accented, plain = save_articles(
        store,
        "wire",
        [_article("a1", "Talks at the Élysée resume"), _article("a2", "Elysee talks, day two")],
    )
    store.replace_statements(
        accented,
        [make_statement("The Élysée welcomes the talks", speaker="Volodymyr Zelenský")],
        version="x",
    )
    store.replace_statements(
        plain, [make_statement("The Elysee hosts the talks again", speaker=None)], version="x"
    )
    return accented, plain


def _found(store: Store, query: str) -> list[tuple[str, str]]:
    return sorted((h.kind, h.snippet) for h in store.search(query, limit=50).hits)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def test_accented_and_plain_words_find_each_other(store: Store) -> None:
    _fill(store)

    plain, accented = _found(store, "elysee"), _found(store, "Élysée")

    assert plain == accented
    assert len(plain) == 4  # two statements, two titles
    snippets = " ".join(snippet for _, snippet in plain)
    assert f"{MARK_START}Élysée{MARK_END}" in snippets
    assert f"{MARK_START}Elysee{MARK_END}" in snippets
    assert [h.speaker for h in store.search("zelensky").hits] == ["Volodymyr Zelenský"]
    assert store.search("Zelenský").total == 1


def test_migration_0008_folds_the_rows_stored_before_it(db_url: str) -> None:
    with open_store(db_url) as store:
        _fill(store)
    engine = create_store_engine(normalise_url(db_url))
    try:
        migrate_to(engine, "0007")
        if engine.dialect.name == "postgresql":  # before 0008 the accents split the words
            with engine.connect() as conn:
                unfolded = conn.execute(
                    text(
                        "SELECT count(*) FROM statements "
                        "WHERE search_vector @@ plainto_tsquery('english', 'elysee')"
                    )
                ).scalar_one()
            assert unfolded == 1
    finally:
        engine.dispose()

    with open_store(db_url) as store:
        assert store.revision() == head_revision()
        assert len(_found(store, "elysee")) == 4
        assert _found(store, "elysee") == _found(store, "élysée")


def test_migration_0008_makes_a_configuration_left_from_before_again(db_url: str) -> None:
    """A configuration of the same name already there (made by hand, or by a restored dump
    stamped at 0007) neither stops the upgrade nor keeps its own mapping."""
    with open_store(db_url) as store:
        _fill(store)
    engine = create_store_engine(normalise_url(db_url))
    try:
        migrate_to(engine, "0007")
        if engine.dialect.name == "postgresql":  # SQLite has none: its upgrade is a no-op
            with engine.begin() as conn:
                conn.execute(
                    text("CREATE TEXT SEARCH CONFIGURATION aggregator_folded (COPY = simple)")
                )
    finally:
        engine.dispose()
    with open_store(db_url) as store:
        assert store.revision() == head_revision()
        assert _found(store, "elysee") == _found(store, "élysée")
        assert len(_found(store, "elysee")) == 4


@pytest.fixture
def limited_url(tmp_path: object) -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL database and a role that may create tables in it but not extensions
    (no CREATE on the database): (the role's URL, the admin's URL of the same database)."""
    role = f"aggregator_r_{uuid.uuid4().hex[:12]}"
    with fresh_database("postgresql", tmp_path) as admin_url:  # type: ignore[arg-type]
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
                conn.execute(text(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"'))
            yield make_url(admin_url).set(username=role).render_as_string(False), admin_url
        finally:
            admin.dispose()
    root = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with root.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    finally:
        root.dispose()


def test_a_role_that_may_not_create_unaccent_still_migrates(
    limited_url: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    url, admin_url = limited_url
    with caplog.at_level(logging.WARNING), open_store(url) as store:
        assert store.revision() == head_revision()
        _fill(store)
        assert len(_found(store, "talks")) == 4
        assert len(_found(store, "elysee")) == 2  # the plain words only
    assert "will not fold accents" in caplog.text

    # what docs/store.md says to run later, as the database's owner
    admin = create_engine(admin_url)
    try:
        with admin.begin() as conn:
            conn.execute(text("CREATE EXTENSION unaccent"))
            conn.execute(
                text(
                    "ALTER TEXT SEARCH CONFIGURATION aggregator_folded "
                    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
                )
            )
            conn.execute(text("UPDATE statements SET text = text"))
            conn.execute(text("UPDATE articles SET title = title"))
    finally:
        admin.dispose()
    with open_store(url) as store:
        assert len(_found(store, "elysee")) == 4
