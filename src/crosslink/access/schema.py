"""Tables of the access room, declared on the store's one ``metadata`` (migration 0002).

Sources and records are not altered: who provided a source, which records belong to a case,
consents and permissions all live in association tables of their own.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from crosslink.store.schema import UID, metadata

HASH = 64  # hex of a SHA-256 digest

agencies = Table(
    "agencies",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("jurisdiction", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("full_name", Text),
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("password_hash", Text),
    Column("external_id", String(300), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role", String(40), primary_key=True),
)

source_agencies = Table(
    "source_agencies",
    metadata,
    Column("source_id", String(64), ForeignKey("sources.id"), primary_key=True),
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Index(None, "agency_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("lead_agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

case_members = Table(
    "case_members",
    metadata,
    Column("case_id", String(64), ForeignKey("cases.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("added_by", String(200), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index(None, "user_id"),
)

case_records = Table(
    "case_records",
    metadata,
    Column("case_id", String(64), ForeignKey("cases.id"), primary_key=True),
    Column("record_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("added_by", String(200), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index(None, "record_uid"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_uid", String(UID), ForeignKey("records.uid"), nullable=False),
    Column("basis", String(16), nullable=False),
    Column("reference", Text),
    Column("recipient_agency_id", String(64), ForeignKey("agencies.id")),
    Column("recipient_kind", String(32)),
    Column("purpose", String(64)),  # migration 0012: what the sharing is for (referral …)
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True)),
    Index(None, "record_uid"),
)

permissions = Table(
    "permissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("provider_agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("recipient_agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id")),
    Column("scope", Text),
    Column("granted_by", String(200), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index(None, "recipient_agency_id", "kind"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("agency", String(64)),
    Column("action", String(16), nullable=False),
    Column("target", Text, nullable=False),
    Column("justification", Text),
    Column("recipients", Text),
    Column("details", Text),
    Column("prev_hash", String(HASH), nullable=False),
    Column("hash", String(HASH), nullable=False),
    Index(None, "actor"),
    Index(None, "action"),
    Index(None, "at"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(HASH), nullable=False),
)

record_reviews = Table(
    "record_reviews",
    metadata,
    Column("record_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("review_on", Date, nullable=False),
    Column("rule", String(64), nullable=False),
    Index(None, "review_on"),
)

erasures = Table(
    "erasures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_uid", String(UID), nullable=False, index=True),
    Column("source_id", String(64), nullable=False),
    Column("batch_id", Integer, nullable=False),
    Column("person_category", String(16)),
    Column("erased_by", String(200), nullable=False),
    Column("erased_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(HASH), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("address", String(64)),
    Column("revoked_at", DateTime(timezone=True)),
    Index(None, "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(HASH), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
)

# Feedback to a municipal officer on a signal they sent (migration 0004): the barrier model
# only works when municipalities hear what became of their signals.
signal_feedback = Table(
    "signal_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("status", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("given_by", String(200), nullable=False),
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("given_at", DateTime(timezone=True), nullable=False),
    Index(None, "batch_id"),
)
