"""Tables of the exchange room, declared on the store's one ``metadata`` (migration 0014).

``exchange_requests`` holds the requests with their legal clocks; ``exchange_keys`` the
agency's own key pairs (private halves encrypted with a passphrase, never in clear) and the
partners' public keys; ``exchange_packages`` every package sent or received, so a replay is
recognised by its id and a receipt finds its package.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from crosslink.access.schema import HASH
from crosslink.store.schema import metadata

KEY_ID = 16  # hex of the first 8 bytes of a SHA-256 over both public keys

exchange_keys = Table(
    "exchange_keys",
    metadata,
    Column("key_id", String(KEY_ID), primary_key=True),
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("own", Integer, nullable=False),  # 1: our pair (private halves kept), 0: a partner's
    Column("sign_public", String(64), nullable=False),  # base64 of the raw Ed25519 key
    Column("box_public", String(64), nullable=False),  # base64 of the raw X25519 key
    Column("sign_private", Text),  # PKCS#8 PEM, encrypted with the passphrase
    Column("box_private", Text),
    Column("status", String(8), nullable=False),  # active, retired, revoked
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index(None, "agency_id", "status"),
)

exchange_packages = Table(
    "exchange_packages",
    metadata,
    Column("package_id", String(36), primary_key=True),
    Column("direction", String(3), nullable=False),  # out, in
    Column("sender", String(64), nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("request_ref", String(200)),
    Column("content_hash", String(HASH), nullable=False),
    Column("entities", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("handled_by", String(200), nullable=False),
    Column("batch_id", Integer),
    Column("receipt_at", DateTime(timezone=True)),
    Column("receipt", Text),  # the signed receipt, as sent or as received
)

exchange_requests = Table(
    "exchange_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("direction", String(3), nullable=False),  # in: we answer; out: a partner answers
    Column("agency_id", String(64), ForeignKey("agencies.id"), nullable=False),  # ours
    Column("partner", String(64), ForeignKey("agencies.id"), nullable=False),
    Column("reference", String(200), nullable=False),
    Column("legal_basis", String(40), nullable=False),
    Column("urgency", String(40), nullable=False),
    Column("summary", Text, nullable=False),  # may name a person: shown only when audited
    Column("state", String(12), nullable=False),
    Column("reason", Text),
    Column("package_id", String(36)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("registered_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("direction", "partner", "reference"),
    Index(None, "agency_id", "state", "due_at"),
)
