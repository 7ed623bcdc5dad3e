"""links by target, covering their source and uid

Revision ID: 0009
Revises: 0008

Resolution reads, for each linked record (a phone, an account, an address), the records
that link to it. With the source and the link's uid in the index on the target, SQLite no
longer visits each link's row: at a million demo records, the persons' linked evidence
began to arrive after 10-13 s instead of 14-25 s. The new index replaces the one on the
target alone (its prefix).
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_links_target_uid"))
        batch_op.create_index(
            batch_op.f("ix_links_target_uid_source_uid_uid"),
            ["target_uid", "source_uid", "uid"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_links_target_uid_source_uid_uid"))
        batch_op.create_index(batch_op.f("ix_links_target_uid"), ["target_uid"], unique=False)
