"""signal feedback

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_signal_feedback_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_signal_feedback_batch_id_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_feedback")),
    )
    with op.batch_alter_table("signal_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signal_feedback_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signal_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_feedback_batch_id"))

    op.drop_table("signal_feedback")
