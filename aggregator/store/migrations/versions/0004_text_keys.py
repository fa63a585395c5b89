"""Unique keys on SHA-256 digests instead of feed text; no NUL in stored text.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

A PostgreSQL btree entry must fit in a third of a page (2,704 bytes), and a feed decides how long
its links and guids are: an 8,000-character link overflowed ``uq_articles_canonical_url``, a guid
of 999 four-byte characters ``pk_article_sources``, and the whole fetch was refused. The keys
become ``articles.url_key`` (unique) and ``article_sources.guid_key`` (in the primary key), each
the SHA-256 hex digest of the value's UTF-8 bytes, as ``aggregator/store/storable.py`` computes
it; the values stay whole in their columns, no longer indexed.

Existing rows get their digests (PostgreSQL: ``sha256()`` in SQL; SQLite, which has no such
function: the same digest in Python, registered as an SQL function for this migration). NUL,
which PostgreSQL never accepted but SQLite stored, is removed from the text columns the store now
cleans on the way in, so that both databases hold the same data. Keys never held NUL: the parse
stage has removed control characters from guids and canonical URLs since 0001.

SQLite changes a key by rebuilding the table (batch mode). That is safe only with foreign keys
off (dropping ``articles`` would otherwise cascade-delete its links and statements), as
``aggregator.store.migrate`` runs every migration; the script refuses to run otherwise.
"""

from __future__ import annotations

import hashlib
import sqlite3

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# as in the store's schema: batch mode names the constraints SQLite reflects without a name
# (the foreign key of articles.event_id, written inline by 0002)
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# text columns the store now writes without NUL (SQLite may hold rows with it from before)
CLEANED = {
    "articles": ("title", "summary", "text", "html", "author"),
    "article_sources": ("link",),
    "events": ("title",),
    "fetch_log": ("error",),
    "sources": ("last_error",),
}
_PG_DIGEST = "encode(sha256(convert_to({0}, 'UTF8')), 'hex')"


def _sha256_hex(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode("utf-8")).hexdigest()


def _without_nul(value: str | None) -> str | None:
    return None if value is None else value.replace("\x00", "")


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _refuse_with_foreign_keys_on(bind)
        driver = bind.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.create_function("aggregator_sha256", 1, _sha256_hex, deterministic=True)
        driver.create_function("aggregator_without_nul", 1, _without_nul, deterministic=True)
        digest = "aggregator_sha256({0})"
    else:
        digest = _PG_DIGEST

    op.add_column("articles", sa.Column("url_key", sa.String(64), nullable=True))
    op.add_column("article_sources", sa.Column("guid_key", sa.String(64), nullable=True))
    op.execute(
        f"UPDATE articles SET url_key = {digest.format('canonical_url')} "
        "WHERE canonical_url IS NOT NULL"
    )
    op.execute(f"UPDATE article_sources SET guid_key = {digest.format('guid')}")
    if sqlite:
        for table, columns in CLEANED.items():
            for column in columns:
                op.execute(
                    f"UPDATE {table} SET {column} = aggregator_without_nul({column}) "
                    f"WHERE instr(CAST({column} AS BLOB), x'00') > 0"
                )
        _rebuild_sqlite_keys(upgrade=True)
        return
    op.alter_column("article_sources", "guid_key", existing_type=sa.String(64), nullable=False)
    op.drop_constraint("pk_article_sources", "article_sources", type_="primary")
    op.create_primary_key("pk_article_sources", "article_sources", ["source_id", "guid_key"])
    op.drop_constraint("uq_articles_canonical_url", "articles", type_="unique")
    op.create_unique_constraint("uq_articles_url_key", "articles", ["url_key"])


def downgrade() -> None:
    """Back to keys on the text itself: fails (and changes nothing) if a stored link or guid is
    too long for PostgreSQL to index."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _refuse_with_foreign_keys_on(bind)
        _rebuild_sqlite_keys(upgrade=False)
    else:
        op.drop_constraint("uq_articles_url_key", "articles", type_="unique")
        op.create_unique_constraint("uq_articles_canonical_url", "articles", ["canonical_url"])
        op.drop_constraint("pk_article_sources", "article_sources", type_="primary")
        op.create_primary_key("pk_article_sources", "article_sources", ["source_id", "guid"])
    op.drop_column("article_sources", "guid_key")
    op.drop_column("articles", "url_key")


def _rebuild_sqlite_keys(*, upgrade: bool) -> None:
    """SQLite: rebuild both tables with the keys of this revision (``upgrade``) or the last."""
    key = "guid_key" if upgrade else "guid"
    with op.batch_alter_table(
        "article_sources", recreate="always", naming_convention=NAMING_CONVENTION
    ) as batch:
        if upgrade:
            batch.alter_column("guid_key", existing_type=sa.String(64), nullable=False)
        batch.drop_constraint("pk_article_sources", type_="primary")
        batch.create_primary_key("pk_article_sources", ["source_id", key])
    with op.batch_alter_table(
        "articles", recreate="always", naming_convention=NAMING_CONVENTION
    ) as batch:
        if upgrade:
            batch.drop_constraint("uq_articles_canonical_url", type_="unique")
            batch.create_unique_constraint("uq_articles_url_key", ["url_key"])
        else:
            batch.drop_constraint("uq_articles_url_key", type_="unique")
            batch.create_unique_constraint("uq_articles_canonical_url", ["canonical_url"])


def _refuse_with_foreign_keys_on(bind: sa.engine.Connection) -> None:
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "migration 0004 rebuilds articles, which with SQLite's foreign keys on would delete "
            "every link and statement: run it through aggregator.store.migrate "
            "(`aggregator db upgrade`), which switches them off"
        )
