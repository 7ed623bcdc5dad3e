"""the rules each resolution run applied

Revision ID: 0020
Revises: 0015

The rules applied beside the model are a registry of named, versioned entries
(``crosslink/resolve/data/rules.yaml``); each run records which it applied, as a JSON list
of ``name@version``. Runs before this revision keep NULL: what they applied was the
code of their day.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resolve_runs", sa.Column("rules", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("resolve_runs", "rules")
