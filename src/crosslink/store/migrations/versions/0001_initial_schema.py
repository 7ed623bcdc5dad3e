"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("default_region", sa.String(length=2), nullable=True),
        sa.Column("handling_code", sa.String(length=2), nullable=False),
        sa.Column("handling_conditions", sa.Text(), nullable=True),
        sa.Column("grading_system", sa.String(length=8), nullable=False),
        sa.Column("source_grade", sa.String(length=1), nullable=False),
        sa.Column("info_grade", sa.String(length=1), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("mapping", sa.String(length=200), nullable=False),
        sa.Column("mapping_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("records_added", sa.Integer(), nullable=False),
        sa.Column("records_existing", sa.Integer(), nullable=False),
        sa.Column("links_added", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_batches_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint(
            "source_id",
            "file_sha256",
            "mapping_sha256",
            name=op.f("uq_batches_source_id_file_sha256_mapping_sha256"),
        ),
    )
    op.create_table(
        "records",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("schema", sa.String(length=40), nullable=False),
        sa.Column("alias", sa.String(length=64), nullable=False),
        sa.Column("entity_key", sa.String(length=32), nullable=False),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("handling_code", sa.String(length=2), nullable=False),
        sa.Column("handling_conditions", sa.Text(), nullable=True),
        sa.Column("source_grade", sa.String(length=1), nullable=False),
        sa.Column("info_grade", sa.String(length=1), nullable=False),
        sa.Column("person_category", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_records_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_records_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_records")),
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_records_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_records_source_id_schema_entity_key"),
            ["source_id", "schema", "entity_key"],
            unique=False,
        )

    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=200), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_rejections_batch_id_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejections")),
    )
    with op.batch_alter_table("rejections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejections_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "links",
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("link_type", sa.String(length=40), nullable=False),
        sa.Column("source_uid", sa.String(length=32), nullable=False),
        sa.Column("target_uid", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("handling_code", sa.String(length=2), nullable=False),
        sa.Column("handling_conditions", sa.Text(), nullable=True),
        sa.Column("source_grade", sa.String(length=1), nullable=False),
        sa.Column("info_grade", sa.String(length=1), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_links_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_links_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["source_uid"], ["records.uid"], name=op.f("fk_links_source_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["target_uid"], ["records.uid"], name=op.f("fk_links_target_uid_records")
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_links")),
    )
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_links_source_uid"), ["source_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_links_target_uid"), ["target_uid"], unique=False)

    op.create_table(
        "record_values",
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("prop", sa.String(length=64), nullable=False),
        sa.Column("idx", sa.SmallInteger(), nullable=False),
        sa.Column("original", sa.Text(), nullable=False),
        sa.Column("cleaned", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_uid"], ["records.uid"], name=op.f("fk_record_values_record_uid_records")
        ),
        sa.PrimaryKeyConstraint("record_uid", "prop", "idx", name=op.f("pk_record_values")),
    )
    with op.batch_alter_table("record_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_values_prop_fingerprint"), ["prop", "fingerprint"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("record_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_values_prop_fingerprint"))

    op.drop_table("record_values")
    with op.batch_alter_table("links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_links_target_uid"))
        batch_op.drop_index(batch_op.f("ix_links_source_uid"))

    op.drop_table("links")
    with op.batch_alter_table("rejections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejections_batch_id"))

    op.drop_table("rejections")
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_source_id_schema_entity_key"))
        batch_op.drop_index(batch_op.f("ix_records_batch_id"))

    op.drop_table("records")
    op.drop_table("batches")
    op.drop_table("sources")
