"""Search: ``statements.actor_slug``, and full-text indexes the database keeps current itself.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-20

The web archive (issue 14) pages by actor and searches statements and article titles.

``events.merged_into`` gets an index (the archive's event page lists the events absorbed into it).

``statements.actor_slug`` (indexed) is ``aggregator.store.slugs.actor_slug(actor)``; the store
writes it with every statement, and existing rows get it here, one UPDATE per distinct actor in
batches.
This script imports that one function (it is pure and holds no schema, so the rule that
scripts never import the package does not apply): a slug computed here equals the store's.

Full text, kept current by the database on every write whatever code writes (docs/store.md,
"Search")::

    SQLite      FTS5 tables over the rows (external content, no copy of the text):
                statements_fts(text, speaker, actor), articles_fts(title); triggers after
                INSERT, DELETE and UPDATE OF the indexed columns; filled with 'rebuild'
    PostgreSQL  generated (STORED) tsvector columns statements.search_vector (text weighted
                A, speaker and actor B) and articles.title_vector (A), each with a GIN index;
                the ALTER TABLE computes them for existing rows

Neither is in ``schema.metadata`` (``schema.include_name`` keeps autogenerate off them). On
SQLite a later migration that rebuilds ``statements`` or ``articles`` (batch mode) drops their
triggers with the old table: it must create them again (:func:`create_sqlite_search`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from aggregator.store.slugs import actor_slug_or_none

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

#: distinct actors given their slug in one executemany
BATCH = 500

# FTS5: porter stems English (said/says, talks/talk), unicode61 folds diacritics (Barrot/Barrôt)
_TOKENIZE = "porter unicode61 remove_diacritics 2"
#: table -> (its FTS5 table, the indexed columns)
_FTS = {
    "statements": ("statements_fts", ("text", "speaker", "actor")),
    "articles": ("articles_fts", ("title",)),
}

# to_tsvector caps a document at 1 MB of lexemes: bounded inputs keep every insert storable
_PG_STATEMENT_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, left(text, 20000)), 'A') || "
    "setweight(to_tsvector('english'::regconfig, "
    "left(coalesce(speaker, '') || ' ' || coalesce(actor, ''), 2000)), 'B')"
)
_PG_TITLE_VECTOR = "setweight(to_tsvector('english'::regconfig, left(title, 2000)), 'A')"


def upgrade() -> None:
    op.add_column("statements", sa.Column("actor_slug", sa.String(length=200), nullable=True))
    op.create_index("ix_statements_actor_slug", "statements", ["actor_slug"])
    op.create_index("ix_events_merged_into", "events", ["merged_into"])
    _backfill_slugs(op.get_bind())
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_search()
    else:
        _create_postgresql_search()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for fts, _ in _FTS.values():
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    else:
        op.drop_index("ix_articles_title_vector", table_name="articles")
        op.drop_index("ix_statements_search_vector", table_name="statements")
        op.drop_column("articles", "title_vector")
        op.drop_column("statements", "search_vector")
    op.drop_index("ix_events_merged_into", table_name="events")
    op.drop_index("ix_statements_actor_slug", table_name="statements")
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("actor_slug")


def _backfill_slugs(bind: sa.engine.Connection) -> None:
    """Every stored actor's slug, one UPDATE per distinct actor (served by ix_statements_actor)."""
    actors = [
        actor
        for (actor,) in bind.execute(
            sa.text("SELECT DISTINCT actor FROM statements WHERE actor IS NOT NULL")
        )
    ]
    update = sa.text("UPDATE statements SET actor_slug = :slug WHERE actor = :actor")
    for start in range(0, len(actors), BATCH):
        part = actors[start : start + BATCH]
        bind.execute(update, [{"slug": actor_slug_or_none(a), "actor": a} for a in part])


def create_sqlite_search() -> None:
    """The FTS5 tables, their triggers, and their index over the rows already stored."""
    for table, (fts, columns) in _FTS.items():
        listed = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({listed}, content='{table}', "
            f"content_rowid='id', tokenize='{_TOKENIZE}')"
        )
        insert = f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new});"
        remove = f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old});"
        op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {remove} END")
        # only a change of an indexed column: grouping stamps and canonicals update rows often
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {listed} ON {table} "
            f"BEGIN {remove} {insert} END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _create_postgresql_search() -> None:
    for table, column, expression in (
        ("statements", "search_vector", _PG_STATEMENT_VECTOR),
        ("articles", "title_vector", _PG_TITLE_VECTOR),
    ):
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} USING gin ({column})")
