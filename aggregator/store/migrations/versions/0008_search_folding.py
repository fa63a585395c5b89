"""Search folds accents on PostgreSQL as it does on SQLite: "Elysee" finds "Élysée".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

SQLite's FTS5 tokenizer has folded diacritics since 0006 (``unicode61 remove_diacritics 2``),
in the rows and in the query alike. PostgreSQL's ``english`` configuration does not: it indexed
"Élysée" as ``élysé``, which the query "Elysee" (``elyse``) never met, so the same search found
different hits on the two databases.

PostgreSQL gets the text search configuration ``aggregator_folded``: ``english`` with the
``unaccent`` dictionary (the ``unaccent`` extension, shipped with PostgreSQL's contrib and
trusted since PostgreSQL 13, so the database's owner may create it) before the English stemmer
for words that are not plain ASCII. The generated ``search_vector`` and ``title_vector``
columns are made again with it, which computes them for every existing row, and so are their
GIN indexes (the statements' one partial, as 0007 made it). The store's queries and highlights
use the same configuration (``aggregator.store.search``): a query's words are folded as the
rows' were, and ``ts_headline`` marks "Élysée" for "elysee". SQLite is unchanged.

A role that may not create the extension (no CREATE on the database, or no contrib package on
the server) gets ``aggregator_folded`` as a plain copy of ``english``, and a warning in the log:
search works as before, and docs/store.md ("Search") gives the three statements that add the
folding later.

Downgrade makes the columns again with ``english`` and drops the configuration; the extension
stays (other objects of the database may use it).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

_log = logging.getLogger("aggregator.store.migrations")

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

#: the configuration this revision creates (aggregator.store.search.SEARCH_CONFIG names it too)
FOLDED = "aggregator_folded"

# as in 0006, to_tsvector's input bounded; {config} is the text search configuration
_STATEMENT_VECTOR = (
    "setweight(to_tsvector('{config}'::regconfig, left(text, 20000)), 'A') || "
    "setweight(to_tsvector('{config}'::regconfig, "
    "left(coalesce(speaker, '') || ' ' || coalesce(actor, ''), 2000)), 'B')"
)
_TITLE_VECTOR = "setweight(to_tsvector('{config}'::regconfig, left(title, 2000)), 'A')"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return  # FTS5 folds already
    # one left by hand, or by a restored dump stamped at 0007, is made again (nothing uses it
    # before this revision: the columns are computed with ``english`` until below)
    op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {FOLDED}")
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {FOLDED} (COPY = english)")
    dictionary = _unaccent(bind)
    if dictionary is not None:
        # hword, hword_part and word are the tokens with a letter outside ASCII; ascii words
        # have nothing to fold
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {FOLDED} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH {dictionary}, english_stem"
        )
    _vectors(FOLDED)


def _unaccent(bind: sa.engine.Connection) -> str | None:
    """The ``unaccent`` dictionary, schema-qualified (the extension may live in a schema off
    the search path), creating the extension if it is not there and this role may; None when
    it may not.

    A role that may not (no CREATE on the database, or no contrib package on the server) still
    gets the configuration, as a plain copy of ``english``: search works as before 0008, and the
    log says why. docs/store.md ("Search") gives the statements that add the folding later.
    """
    found = (
        "SELECT quote_ident(n.nspname) || '.unaccent' FROM pg_ts_dict d "
        "JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE d.dictname = 'unaccent' "
        "ORDER BY n.nspname LIMIT 1"
    )
    dictionary = bind.execute(sa.text(found)).scalar()
    if dictionary is not None:
        return str(dictionary)
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION unaccent"))
    except sa.exc.DBAPIError as exc:
        _log.warning(
            "PostgreSQL search will not fold accents: the unaccent extension could not be "
            "created (%s); docs/store.md, 'Search', says how to add it later",
            str(exc.orig).strip().splitlines()[0] if exc.orig else exc,
        )
        return None
    dictionary = bind.execute(sa.text(found)).scalar()
    return None if dictionary is None else str(dictionary)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    _vectors("english")
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {FOLDED}")


def _vectors(config: str) -> None:
    """The two generated columns (and their GIN indexes) computed with ``config``."""
    for table, column, expression in (
        ("statements", "search_vector", _STATEMENT_VECTOR),
        ("articles", "title_vector", _TITLE_VECTOR),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # its index goes with it
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS ({expression.format(config=config)}) STORED"
        )
    op.execute(
        "CREATE INDEX ix_statements_search_vector ON statements USING gin (search_vector) "
        "WHERE canonical_id IS NULL"
    )
    op.execute("CREATE INDEX ix_articles_title_vector ON articles USING gin (title_vector)")
