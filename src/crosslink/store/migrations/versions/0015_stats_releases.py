"""stats releases

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("rules_version", sa.String(length=40), nullable=False),
        sa.Column("resolve_run", sa.Integer(), nullable=True),
        sa.Column("inputs", sa.String(length=200), nullable=False),
        sa.Column("cells", sa.Text(), nullable=False),
        sa.Column("margins", sa.Text(), nullable=False),
        sa.Column("withheld", sa.Text(), nullable=False),
        sa.Column("check_notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_releases")),
    )


def downgrade() -> None:
    op.drop_table("stats_releases")
