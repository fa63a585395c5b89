"""Which database errors are a refused value (an entry's fault) and which make the store unusable
(everyone's): the pass and the store's entry isolation decide by this, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from aggregator.errors import StoreError, StoreUnavailableError
from aggregator.store import open_store
from aggregator.store.engine import (
    create_store_engine,
    normalise_url,
    refused_value,
    unavailable,
    wrap_errors,
)

pytestmark = pytest.mark.fault


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    open_store(db_url).close()  # the schema
    made = create_store_engine(normalise_url(db_url))
    try:
        yield made
    finally:
        made.dispose()


def _error(engine: Engine, statement: str) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(statement))
    return caught.value


SOURCE = (
    "INSERT INTO sources (name, url, configured_url, kind, publisher, interval_seconds, "
    "fulltext, enabled, next_poll_at, consecutive_failures, created_at, updated_at) VALUES "
    "('{name}', 'u', 'u', '{kind}', 'p', 60, false, true, '2026-01-01 00:00:00+00', 0, "
    "'2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')"
)


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(SOURCE.format(name="a", kind="nonsense"), id="check constraint"),
        pytest.param(
            SOURCE.format(name="a", kind="wire") + "; " + SOURCE.format(name="a", kind="wire"),
            id="unique key",
        ),
    ],
)
def test_a_constraint_is_a_refused_value(engine: Engine, statement: str) -> None:
    first, *rest = statement.split("; ")
    if rest:
        with engine.begin() as conn:
            conn.execute(text(first))
    exc = _error(engine, rest[0] if rest else first)
    assert refused_value(exc)
    assert not unavailable(exc)


def test_what_only_postgresql_refuses_is_a_refused_value(engine: Engine) -> None:
    nul = "SELECT CAST(:v AS text)"
    # 200 md5 digests: 6,400 characters that do not compress below the index's 2,704 bytes
    too_big = (
        "INSERT INTO test_keys SELECT string_agg(md5(g::text), '') FROM generate_series(1, 200) g"
    )
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE test_keys (v text UNIQUE)"))
    if engine.dialect.name == "sqlite":
        # SQLite takes both: why the store makes text storable and hashes keys itself, so that
        # both databases end up with the same rows
        with engine.begin() as conn:
            assert conn.execute(text(nul), {"v": "a\x00b"}).scalar() == "a\x00b"
            conn.execute(text("INSERT INTO test_keys VALUES (:v)"), {"v": "x" * 8000})
        return
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(text(nul), {"v": "a\x00b"})
    assert refused_value(caught.value), "NUL in text"
    exc = _error(engine, too_big)
    assert refused_value(exc), "an index row too big"
    assert not unavailable(exc)


def test_a_missing_table_makes_the_store_unusable(engine: Engine) -> None:
    exc = _error(engine, "SELECT * FROM no_such_table")
    assert unavailable(exc)
    assert not refused_value(exc)


def test_a_database_without_the_schema_is_unavailable(db_url: str) -> None:
    with (
        open_store(db_url, upgrade=False) as store,
        pytest.raises(StoreUnavailableError, match="no schema"),
    ):
        store.source_status()


def test_an_unreachable_database_is_unavailable() -> None:
    with pytest.raises(StoreUnavailableError, match="cannot reach the database"):
        open_store("postgresql://postgres@127.0.0.1:1/nowhere")


def test_a_refused_value_stays_a_plain_store_error(engine: Engine) -> None:
    with (
        pytest.raises(StoreError) as caught,
        wrap_errors(engine.url, "testing"),
        engine.begin() as conn,
    ):
        conn.execute(text(SOURCE.format(name="a", kind="nonsense")))
    assert not isinstance(caught.value, StoreUnavailableError)
    assert "refused testing" in str(caught.value)
