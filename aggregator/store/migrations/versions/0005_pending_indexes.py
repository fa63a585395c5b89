"""Indexes on articles.extracted_version and articles.grouped_at: what processing looks for.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Every processing run asks for the articles another extractor version (or none) extracted, and
for the articles not grouped yet (``grouped_at IS NULL``); the grouping mark reads the latest
``grouped_at``. Without these indexes each of those read the whole table, on every run of the
daemon. Plain ``op.create_index`` (never batch mode, which could recreate ``articles``; see 0002).
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_articles_extracted_version", "articles", ["extracted_version"])
    op.create_index("ix_articles_grouped_at", "articles", ["grouped_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_grouped_at", table_name="articles")
    op.drop_index("ix_articles_extracted_version", table_name="articles")
