"""Initial schema: sources, articles, article_sources, fetch_log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Instants: the store's UTCDateTime is this type underneath (aware UTC on both backends).
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("configured_url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=False),
        sa.Column("side", sa.Text(), nullable=True),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("fulltext", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("next_poll_at", Instant, nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_fetch_at", Instant, nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_new_entries", sa.Integer(), nullable=True),
        sa.Column("lease_owner", sa.String(200), nullable=True),
        sa.Column("lease_expires_at", Instant, nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("name", name="uq_sources_name"),
        sa.CheckConstraint("kind IN ('official', 'wire', 'outlet')", name="ck_sources_kind"),
        sa.CheckConstraint("interval_seconds > 0", name="ck_sources_interval_positive"),
    )
    op.create_index("ix_sources_next_poll_at", "sources", ["next_poll_at"])

    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("language", sa.String(35), nullable=True),
        sa.Column("published_at", Instant, nullable=True),
        sa.Column("updated_at", Instant, nullable=True),
        sa.Column("first_seen_at", Instant, nullable=False),
        sa.Column("last_changed_at", Instant, nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("near_duplicate_of", sa.Integer(), nullable=True),
        sa.Column("primary_source_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("canonical_url", name="uq_articles_canonical_url"),
        sa.ForeignKeyConstraint(
            ["near_duplicate_of"],
            ["articles.id"],
            name="fk_articles_near_duplicate_of_articles",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["primary_source_id"], ["sources.id"], name="fk_articles_primary_source_id_sources"
        ),
    )
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_primary_source_id", "articles", ["primary_source_id"])

    op.create_table(
        "article_sources",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("first_seen_at", Instant, nullable=False),
        sa.Column("last_seen_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("source_id", "guid", name="pk_article_sources"),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name="fk_article_sources_source_id_sources"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_article_sources_article_id_articles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_article_sources_article_id", "article_sources", ["article_id"])

    op.create_table(
        "fetch_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("started_at", Instant, nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("new_entries", sa.Integer(), nullable=False),
        sa.Column("updated_entries", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_type", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_fetch_log"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_fetch_log_source_id_sources",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "outcome IN ('ok', 'not_modified', 'gone', 'throttled', 'failed')",
            name="ck_fetch_log_outcome",
        ),
    )
    op.create_index("ix_fetch_log_source_id_started_at", "fetch_log", ["source_id", "started_at"])
    op.create_index("ix_fetch_log_started_at", "fetch_log", ["started_at"])


def downgrade() -> None:
    op.drop_table("fetch_log")
    op.drop_table("article_sources")
    op.drop_table("articles")
    op.drop_table("sources")
