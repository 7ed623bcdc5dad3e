"""exchange: agency keys, packages sent or received, requests with their legal clocks

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_keys",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("own", sa.Integer(), nullable=False),
        sa.Column("sign_public", sa.String(length=64), nullable=False),
        sa.Column("box_public", sa.String(length=64), nullable=False),
        sa.Column("sign_private", sa.Text(), nullable=True),
        sa.Column("box_private", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_exchange_keys_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_exchange_keys")),
    )
    with op.batch_alter_table("exchange_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_keys_agency_id_status"), ["agency_id", "status"], unique=False
        )
    op.create_table(
        "exchange_packages",
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("request_ref", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("entities", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_by", sa.String(length=200), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("receipt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("package_id", name=op.f("pk_exchange_packages")),
    )
    op.create_table(
        "exchange_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.String(length=40), nullable=False),
        sa.Column("urgency", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("package_id", sa.String(length=36), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("registered_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_exchange_requests_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["partner"], ["agencies.id"], name=op.f("fk_exchange_requests_partner_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_requests")),
        sa.UniqueConstraint(
            "direction",
            "partner",
            "reference",
            name=op.f("uq_exchange_requests_direction_partner_reference"),
        ),
    )
    with op.batch_alter_table("exchange_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_requests_agency_id_state_due_at"),
            ["agency_id", "state", "due_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_requests_agency_id_state_due_at"))
    op.drop_table("exchange_requests")
    op.drop_table("exchange_packages")
    with op.batch_alter_table("exchange_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_keys_agency_id_status"))
    op.drop_table("exchange_keys")
