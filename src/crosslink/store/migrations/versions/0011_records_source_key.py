"""the source's own key, readable, beside its digest

Revision ID: 0011
Revises: 0010

``records.entity_key`` holds a digest of the mapping's key columns (it is part of the uid).
To read the result of resolution record by record against a partner's own file
(``crosslink entities export``), the key is now stored readable as well: one key column's
value as it is, several as a JSON list. Records stored before this revision keep NULL: the
values were never kept, and importing the same file again adds nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("records", sa.Column("source_key", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35 and later) drops a plain column in place; a batch copy of ``records``
    # would have to drop the table every derived table refers to.
    op.drop_column("records", "source_key")
