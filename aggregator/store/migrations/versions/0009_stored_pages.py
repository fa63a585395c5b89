"""Stored pages: the archive's event and actor pages made ahead, and the database's own record of
which of them a write has made stale.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

At 20 concurrent readers on two cores an event page must cost about what ``/healthz`` costs
(docs/benchmarks/web.md): reading the event and laying out and rendering its statements costs
three to four times that. So the pages are made ahead (``aggregator pages``, and the daemon after
each processing run) and kept in ``pages``; ``serve`` sends a kept page as it is.

A kept page must never outlive its content, whatever code writes it. As the search index
(0006), that is the database's job: triggers on every table a page reads (``statements``,
``articles``, ``article_sources``, ``events``, ``sources``) write the pages a change reaches
into ``page_changes`` (only pages that exist, once each until the maker has seen them), in the
writer's own transaction. A page is served only while ``page_changes`` names it not; the maker
forgets the pages named there, then makes the missing ones, holding the write lock (SQLite) or
``LOCK TABLE page_changes IN SHARE ROW EXCLUSIVE MODE`` (PostgreSQL) so that no write can come
between its read of the content and its write of the page (docs/store.md, "Stored pages").

What a change reaches::

    a statement        the events of its article and of every article holding its canonical or
                       a copy of it (its family); its actor's page
    an article         its events (before and after), the events of its statements' families;
                       the pages of the actors who speak in it
    an outlet's link   as its article
    an event           its page and the page of the event it is (or was) merged into
    a source renamed   every page (a source's name, publisher or kind, changed: rare)

Inserts, updates of the columns pages show, and deletes (before the row goes, so that what it
reached can still be read). ``page_changes`` is written only for pages that exist: a store
nobody makes pages for stays as it was. On SQLite a later migration that rebuilds one of these
tables (batch mode) drops its triggers with it and must create them again
(:func:`create_page_triggers`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

Instant = sa.DateTime(timezone=True)

#: the columns of an article a page shows (its grouping stamps, hashes and HTML it does not)
ARTICLE_COLUMNS = (
    "canonical_url",
    "title",
    "summary",
    "text",
    "author",
    "language",
    "published_at",
    "updated_at",
    "first_seen_at",
    "near_duplicate_of",
    "primary_source_id",
    "event_id",
)
LINK_COLUMNS = ("article_id", "source_id", "link")
SOURCE_COLUMNS = ("name", "publisher", "kind")


def _log(kind: str, keys: str) -> str:
    """Name in page_changes the stored pages of ``kind`` whose key is among ``keys`` (a
    subquery or a list), unless it names them already."""
    return (
        "INSERT INTO page_changes (kind, key) SELECT p.kind, p.key FROM pages p "
        f"WHERE p.kind = '{kind}' AND p.key IN ({keys}) AND NOT EXISTS "
        "(SELECT 1 FROM page_changes pc WHERE pc.kind = p.kind AND pc.key = p.key);"
    )


def _family(root: str) -> str:
    """The events of the articles holding the statement ``root`` (a canonical's id) or any copy
    of it: an event page shows a canonical with every outlet carrying it, wherever they are."""
    return (
        f"SELECT a.event_id FROM statements s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.id = {root} "
        f"UNION SELECT a.event_id FROM statements s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.canonical_id = {root}"
    )


def _of_statement(row: str) -> list[str]:
    events = (
        f"SELECT a.event_id FROM articles a WHERE a.id = {row}.article_id "
        f"UNION {_family(f'coalesce({row}.canonical_id, {row}.id)')}"
    )
    return [_log("event", events), _log("actor", f"{row}.actor_slug")]


def _of_article(article: str) -> list[str]:
    roots = (
        "SELECT coalesce(x.canonical_id, x.id) AS root FROM statements x "
        f"WHERE x.article_id = {article}"
    )
    events = (
        f"SELECT a.event_id FROM articles a WHERE a.id = {article} "
        "UNION SELECT a.event_id FROM statements s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.id IN ({roots}) "
        "UNION SELECT a.event_id FROM statements s JOIN articles a ON a.id = s.article_id "
        f"WHERE s.canonical_id IN ({roots})"
    )
    actors = f"SELECT s.actor_slug FROM statements s WHERE s.article_id = {article}"
    return [_log("event", events), _log("actor", actors)]


def _of_event(row: str) -> list[str]:
    return [_log("event", f"{row}.id, {row}.merged_into")]


_EVERY_PAGE = (
    "INSERT INTO page_changes (kind, key) SELECT p.kind, p.key FROM pages p WHERE NOT EXISTS "
    "(SELECT 1 FROM page_changes pc WHERE pc.kind = p.kind AND pc.key = p.key);"
)

#: table -> (columns whose update counts, or () for all; what the old row reaches, what the new
#: row reaches), each a function of the row's name
_REACH = {
    "statements": ((), _of_statement, _of_statement),
    "articles": (
        ARTICLE_COLUMNS,
        lambda row: [*_of_article(f"{row}.id"), _log("event", f"{row}.event_id")],
        lambda row: _of_article(f"{row}.id"),
    ),
    "article_sources": (
        LINK_COLUMNS,
        lambda row: _of_article(f"{row}.article_id"),
        lambda row: _of_article(f"{row}.article_id"),
    ),
    "events": ((), _of_event, _of_event),
}


def upgrade() -> None:
    op.create_table(
        "pages",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("made_for", sa.String(length=64), nullable=False),
        sa.Column("mark", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("api", sa.Text(), nullable=True),
        sa.Column("made_at", Instant, nullable=False),
        sa.CheckConstraint("kind IN ('event', 'actor')", name=op.f("ck_pages_kind")),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_pages")),
    )
    op.create_table(
        "page_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_changes")),
    )
    op.create_index("ix_page_changes_kind_key", "page_changes", ["kind", "key"])
    create_page_triggers(op.get_bind().dialect.name)


def downgrade() -> None:
    drop_page_triggers(op.get_bind().dialect.name)
    op.drop_index("ix_page_changes_kind_key", table_name="page_changes")
    op.drop_table("page_changes")
    op.drop_table("pages")


def create_page_triggers(dialect: str) -> None:
    """The triggers that name stale pages in ``page_changes`` (the module docstring)."""
    if dialect == "sqlite":
        _create_sqlite()
    else:
        _create_postgresql()


def drop_page_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        for table in (*_REACH, "sources"):
            for suffix in ("ai", "au", "bd"):
                op.execute(f"DROP TRIGGER IF EXISTS pages_{table}_{suffix}")
    else:
        for table in (*_REACH, "sources"):
            op.execute(f"DROP TRIGGER IF EXISTS pages_{table}_aiu ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS pages_{table}_bd ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS aggregator_pages_{table}()")


#: SQLite: a trigger does nothing on a store without pages (write transactions take turns, so
#: no claim can be made between this test and the writer's commit)
_ANY_PAGE = "WHEN EXISTS (SELECT 1 FROM pages)"


def _create_sqlite() -> None:
    for table, (columns, old, new) in _REACH.items():
        of = f" OF {', '.join(columns)}" if columns else ""
        op.execute(
            f"CREATE TRIGGER pages_{table}_ai AFTER INSERT ON {table} {_ANY_PAGE} "
            f"BEGIN {' '.join(new('new'))} END"
        )
        op.execute(
            f"CREATE TRIGGER pages_{table}_au AFTER UPDATE{of} ON {table} {_ANY_PAGE} "
            f"BEGIN {' '.join(old('old') + new('new'))} END"
        )
        op.execute(
            f"CREATE TRIGGER pages_{table}_bd BEFORE DELETE ON {table} {_ANY_PAGE} "
            f"BEGIN {' '.join(old('old'))} END"
        )
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in SOURCE_COLUMNS)
    op.execute(
        f"CREATE TRIGGER pages_sources_au AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON sources "
        f"WHEN {changed} BEGIN {_EVERY_PAGE} END"
    )


#: PostgreSQL: the same test, after taking the lock the INSERT would take (ROW EXCLUSIVE on
#: page_changes), so that it waits for a maker's claim in progress and then sees it (a
#: statement's snapshot is taken after its lock: docs/store.md, "Stored pages")
_PG_ANY_PAGE = "LOCK TABLE page_changes IN ROW EXCLUSIVE MODE;\n  IF EXISTS (SELECT 1 FROM pages)"


def _create_postgresql() -> None:
    for table, (columns, old, new) in _REACH.items():
        op.execute(
            f"CREATE FUNCTION aggregator_pages_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            f"  {_PG_ANY_PAGE} THEN\n"
            f"    IF TG_OP <> 'INSERT' THEN {' '.join(old('OLD'))} END IF;\n"
            f"    IF TG_OP <> 'DELETE' THEN {' '.join(new('NEW'))} END IF;\n"
            "  END IF;\n"
            "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
            "  RETURN NEW;\n"
            "END $$"
        )
        of = f" OF {', '.join(columns)}" if columns else ""
        op.execute(
            f"CREATE TRIGGER pages_{table}_aiu AFTER INSERT OR UPDATE{of} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION aggregator_pages_{table}()"
        )
        op.execute(
            f"CREATE TRIGGER pages_{table}_bd BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION aggregator_pages_{table}()"
        )
    op.execute(
        "CREATE FUNCTION aggregator_pages_sources() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN {_EVERY_PAGE} RETURN NEW; END $$"
    )
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in SOURCE_COLUMNS)
    op.execute(
        f"CREATE TRIGGER pages_sources_aiu AFTER UPDATE OF {', '.join(SOURCE_COLUMNS)} ON sources "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION aggregator_pages_sources()"
    )
