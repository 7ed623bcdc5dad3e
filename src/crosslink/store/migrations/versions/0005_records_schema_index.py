"""records by entity type in uid order

Revision ID: 0005
Revises: 0004

Resolution reads the records of one entity type in uid order, with their source; without this
covering index SQLite walks every record of every type, one random page per record.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_records_schema_uid_source_id"),
            ["schema", "uid", "source_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_schema_uid_source_id"))
