"""Archive reads by index: statements carry their article's time; search indexes canonicals only.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

The web archive's actor page and search read too many rows (scripts/bench_web.py: 16 ms of
server time for the page of a busy speaker, 80 ms for a search of a common word, at 300,000
statements). Both are fixed by what the database keeps, not by the queries' shape:

``statements.article_time``
    the time of the statement's article (published, else first seen), written with every
    statement and again when an article's published time changes (the store's two writers),
    filled here for existing rows. With the partial index ``ix_statements_actor_time``
    (actor_slug, article_time, id) WHERE canonical_id IS NULL, an actor's newest statements
    are an index range, not a sort of all of them joined to their articles.

canonical statements only in the full-text index
    a quotation forty outlets carried is one hit, so search always kept copies out; the index
    held them anyway, and every search joined each match to ``statements`` to drop them.
    SQLite: the FTS5 triggers add a row when it is (or becomes) canonical and remove it when it
    stops being one (an UPDATE OF canonical_id, including the foreign key's ON DELETE SET NULL
    when a canonical goes); the index is refilled from the canonical rows. PostgreSQL: the GIN
    index on ``search_vector`` becomes partial (WHERE canonical_id IS NULL).

As in 0006 the FTS5 objects are outside ``schema.metadata``; a later migration that rebuilds
``statements`` on SQLite must create them again (:func:`create_statement_search`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

Instant = sa.DateTime(timezone=True)
_COLUMNS = ("text", "speaker", "actor")
#: the tokenizer of 0006 (the table is made again with it)
_TOKENIZE = "porter unicode61 remove_diacritics 2"


def upgrade() -> None:
    op.add_column("statements", sa.Column("article_time", Instant, nullable=True))
    op.execute(
        "UPDATE statements SET article_time = (SELECT coalesce(articles.published_at, "
        "articles.first_seen_at) FROM articles WHERE articles.id = statements.article_id)"
    )
    canonical = sa.text("canonical_id IS NULL")
    op.create_index(
        "ix_statements_actor_time",
        "statements",
        ["actor_slug", "article_time", "id"],
        sqlite_where=canonical,
        postgresql_where=canonical,
    )
    if op.get_bind().dialect.name == "sqlite":
        _drop_statement_search()
        create_statement_search(canonical_only=True)
    else:
        op.drop_index("ix_statements_search_vector", table_name="statements")
        op.create_index(
            "ix_statements_search_vector",
            "statements",
            ["search_vector"],
            postgresql_using="gin",
            postgresql_where=canonical,
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_statement_search()
    else:
        op.drop_index("ix_statements_search_vector", table_name="statements")
        op.create_index(
            "ix_statements_search_vector", "statements", ["search_vector"], postgresql_using="gin"
        )
    op.drop_index("ix_statements_actor_time", table_name="statements")
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("article_time")
    if sqlite:  # after the batch, which may rebuild the table (and drop its triggers, see 0006)
        create_statement_search(canonical_only=False)


def _drop_statement_search() -> None:
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS statements_fts_{suffix}")
    op.execute("DROP TABLE IF EXISTS statements_fts")


def create_statement_search(*, canonical_only: bool) -> None:
    """``statements_fts`` over ``statements`` (external content), its triggers, and its rows.

    ``canonical_only``: only rows whose canonical_id is NULL are indexed (this revision); else
    every row (0006). An external-content FTS5 table must be told to delete exactly the rows it
    holds, so each trigger's delete is conditioned as its insert is.
    """
    listed = ", ".join(_COLUMNS)
    new = ", ".join(f"new.{c}" for c in _COLUMNS)
    old = ", ".join(f"old.{c}" for c in _COLUMNS)
    new_if = " WHERE new.canonical_id IS NULL" if canonical_only else ""
    old_if = " WHERE old.canonical_id IS NULL" if canonical_only else ""
    insert = f"INSERT INTO statements_fts(rowid, {listed}) SELECT new.id, {new}{new_if};"
    remove = (
        f"INSERT INTO statements_fts(statements_fts, rowid, {listed}) "
        f"SELECT 'delete', old.id, {old}{old_if};"
    )
    # a row moves in or out of the index when it becomes or stops being canonical; grouping
    # rewrites canonical_id often without changing that, and then nothing is done
    watched, when = listed, ""
    if canonical_only:
        watched = f"{listed}, canonical_id"
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in _COLUMNS)
        when = f"WHEN (old.canonical_id IS NULL) <> (new.canonical_id IS NULL) OR {changed} "
    op.execute(
        f"CREATE VIRTUAL TABLE statements_fts USING fts5({listed}, content='statements', "
        f"content_rowid='id', tokenize='{_TOKENIZE}')"
    )
    op.execute(f"CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER statements_fts_ad AFTER DELETE ON statements BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER statements_fts_au AFTER UPDATE OF {watched} ON statements "
        f"{when}BEGIN {remove} {insert} END"
    )
    if canonical_only:
        op.execute(
            f"INSERT INTO statements_fts(rowid, {listed}) "
            f"SELECT id, {listed} FROM statements WHERE canonical_id IS NULL"
        )
    else:
        op.execute("INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')")
