"""pairs joined on the ties two namesakes share

Revision ID: 0007
Revises: 0006

A group that only a name identifies may join the one namesake it shares a tie with (an
employer, a phone, an account, an address); an explanation must say which kinds of ties.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_edges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ties", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_edges", schema=None) as batch_op:
        batch_op.drop_column("ties")
