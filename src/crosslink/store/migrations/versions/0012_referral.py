"""referral cases: referrals, their steps, documents and clocks; a purpose on consents

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{ref}"))


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_{'_'.join(columns)}"), list(columns))


def upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("procedure_version", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("guardian", sa.Text(), nullable=True),
        sa.Column("exploitation", sa.String(length=64), nullable=True),
        sa.Column("sector", sa.String(length=64), nullable=True),
        sa.Column("means_of_control", sa.Text(), nullable=True),
        sa.Column("identified_by", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        _fk("referrals", "record_uid", "records.uid"),
        _fk("referrals", "agency_id", "agencies.id"),
        _fk("referrals", "caseworker_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    _index("referrals", "agency_id", "state")
    _index("referrals", "caseworker_id")
    _index("referrals", "record_uid")
    op.create_table(
        "referral_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("transition", sa.String(length=64), nullable=False),
        sa.Column("from_state", sa.String(length=64), nullable=True),
        sa.Column("to_state", sa.String(length=64), nullable=False),
        sa.Column("procedure_version", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _fk("referral_steps", "referral_id", "referrals.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_steps")),
    )
    _index("referral_steps", "referral_id")
    op.create_table(
        "referral_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        _fk("referral_documents", "referral_id", "referrals.id"),
        _fk("referral_documents", "step_id", "referral_steps.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_documents")),
    )
    _index("referral_documents", "referral_id")
    op.create_table(
        "referral_clocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("clock_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("owner_role", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        _fk("referral_clocks", "referral_id", "referrals.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_clocks")),
    )
    _index("referral_clocks", "referral_id")
    _index("referral_clocks", "stopped_at", "due_on")
    op.add_column("consents", sa.Column("purpose", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("consents", "purpose")
    for table in ("referral_clocks", "referral_documents", "referral_steps", "referrals"):
        op.drop_table(table)
