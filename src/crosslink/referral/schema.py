"""Tables of the referral room, on the store's one ``metadata`` (migration 0012).

A referral points at the presumed victim's record (never copies it); its history, documents
(metadata and references, not blobs) and running clocks are rows of their own.
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

referrals = Table(
    "referrals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("jurisdiction", String(2), nullable=False),
    Column("procedure_version", String(64), nullable=False),
    Column("state", String(64), nullable=False),
    Column("record_uid", String(UID), ForeignKey("records.uid"), nullable=False),
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("caseworker_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("destination", String(64), nullable=False),
    Column("minor", Boolean, nullable=False),
    Column("guardian", Text),
    Column("exploitation", String(64)),
    Column("sector", String(64)),
    Column("means_of_control", Text),  # codes of the model's means_of_control, comma-separated
    Column("identified_by", String(64), nullable=False),  # the agency that identified
    Column("outcome", Text),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Index(None, "agency_id", "state"),
    Index(None, "caseworker_id"),
    Index(None, "record_uid"),
)

referral_steps = Table(
    "referral_steps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", Integer, ForeignKey("referrals.id"), nullable=False),
    Column("transition", String(64), nullable=False),
    Column("from_state", String(64)),
    Column("to_state", String(64), nullable=False),
    Column("procedure_version", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("agency_id", String(64), nullable=False),
    Column("reason", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    Index(None, "referral_id"),
)

referral_documents = Table(
    "referral_documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", Integer, ForeignKey("referrals.id"), nullable=False),
    Column("step_id", Integer, ForeignKey("referral_steps.id"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("reference", Text, nullable=False),
    Index(None, "referral_id"),
)

referral_clocks = Table(
    "referral_clocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", Integer, ForeignKey("referrals.id"), nullable=False),
    Column("clock_id", String(64), nullable=False),
    Column("state", String(64), nullable=False),
    Column("owner_role", String(40), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("stopped_at", DateTime(timezone=True)),
    Index(None, "referral_id"),
    # The desk asks for running clocks due by a day: NULL stopped_at first, then the day.
    Index(None, "stopped_at", "due_on"),
)
