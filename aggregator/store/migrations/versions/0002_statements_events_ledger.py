"""Statements, events, the digest ledger, daemons, backfill checkpoints; articles get event_id,
extracted_version and grouped_at.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

SQLite: the new ``articles`` columns are added with plain ``ALTER TABLE … ADD COLUMN`` (the foreign
key written inline), never by batch mode. Batch mode recreates the table, and dropping ``articles``
with foreign keys on (as every connection of the store has them) would first cascade-delete every
row of ``article_sources``; ``PRAGMA foreign_keys`` cannot be switched off inside the migration's
transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

# Instants: the store's UTCDateTime is this type underneath (aware UTC on both backends).
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen_at", Instant, nullable=False),
        sa.Column("last_seen_at", Instant, nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("statement_count", sa.Integer(), nullable=False),
        sa.Column("side_count", sa.Integer(), nullable=False),
        sa.Column("merged_into", sa.Text(), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_last_seen_at", "events", ["last_seen_at"])

    _add_article_columns()

    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("speaker_start", sa.Integer(), nullable=True),
        sa.Column("speaker_end", sa.Integer(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("side", sa.Text(), nullable=True),
        sa.Column("canonical_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_statements_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["canonical_id"],
            ["statements.id"],
            name="fk_statements_canonical_id_statements",
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="ck_statements_kind"),
        # ids of deleted statements are never reused (as on PostgreSQL)
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_statements_article_id_seq", "statements", ["article_id", "seq"], unique=True
    )
    op.create_index("ix_statements_canonical_id", "statements", ["canonical_id"])
    op.create_index("ix_statements_side", "statements", ["side"])
    op.create_index("ix_statements_actor", "statements", ["actor"])

    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription", sa.String(200), nullable=False),
        sa.Column("period_label", sa.String(64), nullable=False),
        sa.Column("period_start", Instant, nullable=False),
        sa.Column("period_end", Instant, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=True),
        sa.Column("eml", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        sa.Column("claimed_until", Instant, nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("sent_at", Instant, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_digests"),
        sa.UniqueConstraint(
            "subscription", "period_label", name="uq_digests_subscription_period_label"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')",
            name="ck_digests_status",
        ),
    )

    op.create_table(
        "daemons",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("started_at", Instant, nullable=False),
        sa.Column("last_beat_at", Instant, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_daemons"),
        sa.CheckConstraint("state IN ('running', 'stopped')", name="ck_daemons_state"),
    )

    op.create_table(
        "backfill_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("range_start", Instant, nullable=False),
        sa.Column("range_end", Instant, nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("pages_done", sa.Integer(), nullable=False),
        sa.Column("entries_done", sa.Integer(), nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("finished_at", Instant, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_backfill_checkpoints"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_backfill_checkpoints_source_id_sources",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "source_id",
            "range_start",
            "range_end",
            name="uq_backfill_checkpoints_source_id_range_start_range_end",
        ),
    )


def _add_article_columns() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # see the module docstring: no batch mode for articles on SQLite
        op.execute(
            "ALTER TABLE articles ADD COLUMN event_id TEXT "
            "CONSTRAINT fk_articles_event_id_events REFERENCES events (id)"
        )
    else:
        op.add_column("articles", sa.Column("event_id", sa.Text(), nullable=True))
        op.create_foreign_key(
            "fk_articles_event_id_events",
            "articles",
            "events",
            ["event_id"],
            ["id"],
        )
    op.add_column("articles", sa.Column("extracted_version", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("grouped_at", Instant, nullable=True))
    op.create_index("ix_articles_event_id", "articles", ["event_id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that carries a foreign key, and recreating articles would
        # cascade-delete its links (see the module docstring)
        raise NotImplementedError(
            "0002 cannot be downgraded on SQLite: restore a backup taken before the upgrade"
        )
    op.drop_table("backfill_checkpoints")
    op.drop_table("daemons")
    op.drop_table("digests")
    op.drop_table("statements")
    op.drop_index("ix_articles_event_id", table_name="articles")
    op.drop_constraint("fk_articles_event_id_events", "articles", type_="foreignkey")
    op.drop_column("articles", "grouped_at")
    op.drop_column("articles", "extracted_version")
    op.drop_column("articles", "event_id")
    op.drop_table("events")
