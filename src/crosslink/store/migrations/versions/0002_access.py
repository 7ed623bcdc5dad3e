"""access: agencies, users, cases, consents, permissions, audit log, retention, sessions

Revision ID: 0002
Revises: 0001

The audit log is append-only in the database too: triggers refuse UPDATE and DELETE on
``audit_log`` (the hash chain then catches whoever drops them). The head row starts the chain.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("jurisdiction", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("person_category", sa.String(length=16), nullable=True),
        sa.Column("erased_by", sa.String(length=200), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasures_record_uid"), ["record_uid"], unique=False)

    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_attempts")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead_agency_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_agency_id"], ["agencies.id"], name=op.f("fk_cases_lead_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_table(
        "permissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("provider_agency_id", sa.String(length=64), nullable=False),
        sa.Column("recipient_agency_id", sa.String(length=64), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_agency_id"],
            ["agencies.id"],
            name=op.f("fk_permissions_provider_agency_id_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_agency_id"],
            ["agencies.id"],
            name=op.f("fk_permissions_recipient_agency_id_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_permissions_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permissions")),
    )
    with op.batch_alter_table("permissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_permissions_recipient_agency_id_kind"),
            ["recipient_agency_id", "kind"],
            unique=False,
        )

    op.create_table(
        "source_agencies",
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_source_agencies_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_agencies_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_source_agencies")),
    )
    with op.batch_alter_table("source_agencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_agencies_agency_id"), ["agency_id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=True),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_users_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("external_id", name=op.f("uq_users_external_id")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "case_members",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_members_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name=op.f("pk_case_members")),
    )
    with op.batch_alter_table("case_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    op.create_table(
        "case_records",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_records_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["record_uid"], ["records.uid"], name=op.f("fk_case_records_record_uid_records")
        ),
        sa.PrimaryKeyConstraint("case_id", "record_uid", name=op.f("pk_case_records")),
    )
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_records_record_uid"), ["record_uid"], unique=False
        )

    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("recipient_agency_id", sa.String(length=64), nullable=True),
        sa.Column("recipient_kind", sa.String(length=32), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_agency_id"],
            ["agencies.id"],
            name=op.f("fk_consents_recipient_agency_id_agencies"),
        ),
        sa.ForeignKeyConstraint(
            ["record_uid"], ["records.uid"], name=op.f("fk_consents_record_uid_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_record_uid"), ["record_uid"], unique=False)

    op.create_table(
        "record_reviews",
        sa.Column("record_uid", sa.String(length=32), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_uid"], ["records.uid"], name=op.f("fk_record_reviews_record_uid_records")
        ),
        sa.PrimaryKeyConstraint("record_uid", name=op.f("pk_record_reviews")),
    )
    with op.batch_alter_table("record_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_reviews_review_on"), ["review_on"], unique=False
        )

    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer),
            sa.column("seq", sa.Integer),
            sa.column("hash", sa.String),
        ),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )
    for statement in _append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in _drop_append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table("record_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_reviews_review_on"))

    op.drop_table("record_reviews")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_record_uid"))

    op.drop_table("consents")
    with op.batch_alter_table("case_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_records_record_uid"))

    op.drop_table("case_records")
    op.drop_table("user_roles")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_user_id"))

    op.drop_table("sessions")
    with op.batch_alter_table("case_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_members_user_id"))

    op.drop_table("case_members")
    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("source_agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_agencies_agency_id"))

    op.drop_table("source_agencies")
    with op.batch_alter_table("permissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permissions_recipient_agency_id_kind"))

    op.drop_table("permissions")
    op.drop_table("cases")
    op.drop_table("login_attempts")
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasures_record_uid"))

    op.drop_table("erasures")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    op.drop_table("audit_head")
    op.drop_table("agencies")


def _append_only_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    return [
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
        "ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    ]


def _drop_append_only_ddl(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
        ]
    return [
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        "DROP FUNCTION IF EXISTS audit_log_append_only()",
    ]
