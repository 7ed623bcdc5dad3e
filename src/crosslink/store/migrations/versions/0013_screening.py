"""screening runs and results

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screen_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_by", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ruleset", sa.String(length=200), nullable=False),
        sa.Column("ruleset_version", sa.String(length=64), nullable=False),
        sa.Column("ruleset_sha256", sa.String(length=64), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("ads", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("clusters", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen_runs")),
    )
    op.create_table(
        "screen_results",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("language_from", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("cluster_id", sa.String(length=32), nullable=False),
        sa.Column("cluster_size", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("extractions", sa.Text(), nullable=False),
        sa.Column("known", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_uid"], ["records.uid"], name=op.f("fk_screen_results_record_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["screen_runs.id"], name=op.f("fk_screen_results_run_id_screen_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", "record_uid", name=op.f("pk_screen_results")),
    )
    op.create_table(
        "screen_clusters",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=False),
        sa.Column("ties", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["screen_runs.id"], name=op.f("fk_screen_clusters_run_id_screen_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", "cluster_id", name=op.f("pk_screen_clusters")),
    )
    with op.batch_alter_table("screen_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screen_results_run_id_score"), ["run_id", "score"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_screen_results_run_id_cluster_id"),
            ["run_id", "cluster_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("screen_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screen_results_run_id_cluster_id"))
        batch_op.drop_index(batch_op.f("ix_screen_results_run_id_score"))
    op.drop_table("screen_clusters")
    op.drop_table("screen_results")
    op.drop_table("screen_runs")
