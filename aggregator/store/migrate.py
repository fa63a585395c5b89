"""Alembic, run programmatically: the scripts ship inside the package, no alembic.ini needed.

``upgrade`` is cheap when the schema is already at head (one query), and safe when several
processes start at once: the migration runs under a database-wide lock (PostgreSQL advisory lock,
SQLite write lock) and the revision is checked again once the lock is held.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.command import upgrade as alembic_upgrade
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import text

from aggregator.errors import StoreError
from aggregator.store.engine import IMMEDIATE

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# any constant shared by every process of this project; it names the advisory lock
_PG_LOCK_KEY = 0x61676772  # "aggr"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest revision shipped with this version of the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships 0001
        raise StoreError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the schema to head and return the revision; a no-op (one query) when already there."""
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return head
    with engine.connect() as conn:
        conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                # released at commit; DDL is transactional on PostgreSQL, so it all lands at once
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            # BEGIN IMMEDIATE already holds SQLite's write lock here: a second process waits
            revision = current_revision(conn)
            if revision != head:
                known = ScriptDirectory.from_config(alembic_config())
                if revision is not None and revision not in {
                    script.revision for script in known.walk_revisions()
                }:
                    raise StoreError(
                        f"the database is at revision {revision}, which this version of "
                        f"aggregator does not know (newest known: {head}); upgrade aggregator"
                    )
                try:
                    alembic_upgrade(alembic_config(conn), "head")
                except CommandError as exc:
                    raise StoreError(f"migration failed: {exc}") from exc
    return head
