"""pairs joined as a sole namesake

Revision ID: 0006
Revises: 0005

A pair that agrees on names alone may join a group that nothing identifies to its one
namesake; an explanation must say so.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_edges", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sole", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("match_edges", schema=None) as batch_op:
        batch_op.drop_column("sole")
