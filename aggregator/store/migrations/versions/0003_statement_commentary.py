"""Statements say whether their speaker is a commentator (no party): ``statements.commentary``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

A journalist, an outlet, an academic, an expert or an NGO is no party to a dispute: the digest
shows their statements in a commentary column, never in a state's. The extractor decides it with
the side (aggregator.extract.voice); existing rows are commentary-free until they are re-extracted,
which an upgrade does anyway (the extractor's fingerprint changes with this code).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column(
        "statements",
        sa.Column("commentary", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("commentary")
