"""Alembic, run programmatically: the scripts ship inside the package, no alembic.ini needed.

``upgrade`` is cheap when the schema is already at head (one query), and safe when several
processes start at once: the migration runs under a database-wide lock (PostgreSQL advisory lock,
SQLite write lock) and the revision is checked again once the lock is held.

On SQLite, migrations run with foreign keys off, as SQLite's own procedure for changing a table
asks ("Making Other Kinds Of Table Schema Changes"): SQLite changes a table by copying it into a
new one and dropping the old, and with foreign keys on that drop would first cascade-delete the
rows of every table that references it (``articles``: ``article_sources``, ``statements``).
``PRAGMA foreign_keys`` cannot change inside a transaction, so it is switched off before the
migration's transaction begins, ``PRAGMA foreign_key_check`` must find nothing before it
commits, and the connection gets its foreign keys back before it returns to the pool.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic.command import downgrade as alembic_downgrade
from alembic.command import revision as alembic_revision
from alembic.command import upgrade as alembic_upgrade
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import text

from aggregator.errors import StoreError
from aggregator.store.engine import IMMEDIATE, create_store_engine, normalise_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# any constant shared by every process of this project; it names the advisory lock
_PG_LOCK_KEY = 0x61676772  # "aggr"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
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
    with _migrating(engine) as conn:
        # the lock is held here: a second process waits, then finds the work done
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


def migrate_to(engine: Engine, revision: str) -> None:
    """Upgrade or downgrade the schema to ``revision`` (e.g. to test a migration, or to go back
    before restoring an older version), under the same lock and rules as :func:`upgrade`."""
    with _migrating(engine) as conn:
        current = current_revision(conn)
        scripts = ScriptDirectory.from_config(alembic_config())
        ahead = current is not None and revision in {
            s.revision for s in scripts.iterate_revisions(current, "base")
        }
        command = alembic_downgrade if ahead and revision != current else alembic_upgrade
        try:
            command(alembic_config(conn), revision)
        except CommandError as exc:
            raise StoreError(f"migration failed: {exc}") from exc


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction holding the migration lock (see the module docstring)."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(conn, on=False)
        try:
            conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # released at commit; DDL is transactional on PostgreSQL, so it all lands
                    # at once
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
                # BEGIN IMMEDIATE already holds SQLite's write lock here
                yield conn
                if sqlite:
                    _check_foreign_keys(conn)
        finally:
            if sqlite:
                try:
                    _sqlite_foreign_keys(conn, on=True)
                except sqlite3.Error:
                    conn.invalidate()  # never pooled again with its foreign keys off


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    """Switch SQLite's foreign keys outside any transaction (inside one the pragma is ignored)."""
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_foreign_keys(conn: Connection) -> None:
    """Refuse to commit a migration that left rows pointing at rows that do not exist."""
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        shown = ", ".join(
            f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in broken[:5]
        )
        raise StoreError(
            f"migration rolled back: it would leave {len(broken)} rows pointing at rows that "
            f"do not exist ({shown})"
        )


def new_revision(url: str, message: str, *, directory: Path | None = None) -> Path:
    """Write the next migration script (autogenerated from ``schema.metadata``); return its path.

    For developers: ``python -c "from aggregator.store.migrate import new_revision;
    print(new_revision('sqlite:///dev.db', 'add statements'))"``.

    The database must be at head: autogenerate compares it with the metadata, so the new script
    holds exactly what changed in ``schema.py``. ``directory`` defaults to the packaged
    ``migrations/versions``; review the script before committing it.
    """
    engine = create_store_engine(normalise_url(url))
    try:
        return _new_revision(engine, message, directory)
    finally:
        engine.dispose()


def _new_revision(engine: Engine, message: str, directory: Path | None) -> Path:
    upgrade(engine)
    versions = MIGRATIONS / "versions"
    target = directory or versions
    script_dir = ScriptDirectory.from_config(alembic_config())
    next_id = f"{len(list(script_dir.walk_revisions())) + 1:04d}"
    with engine.connect() as conn:
        config = alembic_config(conn)
        config.set_main_option("version_locations", os.pathsep.join(map(str, {versions, target})))
        config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        try:
            script = alembic_revision(
                config,
                message=message,
                autogenerate=True,
                rev_id=next_id,
                version_path=str(target),
            )
        except CommandError as exc:
            raise StoreError(f"cannot write a new migration: {exc}") from exc
    if script is None or isinstance(script, list):  # pragma: no cover - one head, one script
        raise StoreError(f"alembic wrote no single script for {message!r}")
    return Path(script.path)
