"""resolve: entities, members, id history, judgements, match edges, review pairs, runs

Revision ID: 0003
Revises: 0002

Entities are derived and rewritten by each run; judgements are human and never rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolve_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("backend", sa.String(length=16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("training", sa.String(length=40), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolve_runs")),
    )
    with op.batch_alter_table("resolve_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resolve_runs_entity_type"), ["entity_type"], unique=False
        )

    op.create_table(
        "entities",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_run", sa.Integer(), nullable=False),
        sa.Column("updated_run", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_run"], ["resolve_runs.id"], name=op.f("fk_entities_created_run_resolve_runs")
        ),
        sa.ForeignKeyConstraint(
            ["updated_run"], ["resolve_runs.id"], name=op.f("fk_entities_updated_run_resolve_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entities_entity_type_status"), ["entity_type", "status"], unique=False
        )

    op.create_table(
        "entity_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=16), nullable=False),
        sa.Column("change", sa.String(length=8), nullable=False),
        sa.Column("other_id", sa.String(length=16), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["resolve_runs.id"], name=op.f("fk_entity_history_run_id_resolve_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_history")),
    )
    with op.batch_alter_table("entity_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_history_entity_id"), ["entity_id"], unique=False
        )

    op.create_table(
        "entity_members",
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=16), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_entity_members_entity_id_entities")
        ),
        sa.ForeignKeyConstraint(
            ["record_uid"], ["records.uid"], name=op.f("fk_entity_members_record_uid_records")
        ),
        sa.PrimaryKeyConstraint("record_uid", name=op.f("pk_entity_members")),
    )
    with op.batch_alter_table("entity_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_members_entity_id"), ["entity_id"], unique=False
        )

    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("left_uid", sa.String(length=32), nullable=False),
        sa.Column("right_uid", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.String(length=9), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["left_uid"], ["records.uid"], name=op.f("fk_judgements_left_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["right_uid"], ["records.uid"], name=op.f("fk_judgements_right_uid_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgements")),
    )
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_judgements_entity_type"), ["entity_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_judgements_left_uid_right_uid"), ["left_uid", "right_uid"], unique=False
        )

    op.create_table(
        "match_edges",
        sa.Column("left_uid", sa.String(length=32), nullable=False),
        sa.Column("right_uid", sa.String(length=32), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["left_uid"], ["records.uid"], name=op.f("fk_match_edges_left_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["right_uid"], ["records.uid"], name=op.f("fk_match_edges_right_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["resolve_runs.id"], name=op.f("fk_match_edges_run_id_resolve_runs")
        ),
        sa.PrimaryKeyConstraint("left_uid", "right_uid", name=op.f("pk_match_edges")),
    )
    with op.batch_alter_table("match_edges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_edges_entity_type"), ["entity_type"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_edges_right_uid"), ["right_uid"], unique=False)

    op.create_table(
        "review_pairs",
        sa.Column("left_uid", sa.String(length=32), nullable=False),
        sa.Column("right_uid", sa.String(length=32), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("left_entity", sa.String(length=16), nullable=False),
        sa.Column("right_entity", sa.String(length=16), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("impact", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["left_uid"], ["records.uid"], name=op.f("fk_review_pairs_left_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["right_uid"], ["records.uid"], name=op.f("fk_review_pairs_right_uid_records")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["resolve_runs.id"], name=op.f("fk_review_pairs_run_id_resolve_runs")
        ),
        sa.PrimaryKeyConstraint("left_uid", "right_uid", name=op.f("pk_review_pairs")),
    )
    with op.batch_alter_table("review_pairs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_pairs_entity_type_impact"),
            ["entity_type", "impact"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("review_pairs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_pairs_entity_type_impact"))

    op.drop_table("review_pairs")
    with op.batch_alter_table("match_edges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_edges_right_uid"))
        batch_op.drop_index(batch_op.f("ix_match_edges_entity_type"))

    op.drop_table("match_edges")
    with op.batch_alter_table("judgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_judgements_left_uid_right_uid"))
        batch_op.drop_index(batch_op.f("ix_judgements_entity_type"))

    op.drop_table("judgements")
    with op.batch_alter_table("entity_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_members_entity_id"))

    op.drop_table("entity_members")
    with op.batch_alter_table("entity_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_history_entity_id"))

    op.drop_table("entity_history")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entities_entity_type_status"))

    op.drop_table("entities")
    with op.batch_alter_table("resolve_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resolve_runs_entity_type"))

    op.drop_table("resolve_runs")
