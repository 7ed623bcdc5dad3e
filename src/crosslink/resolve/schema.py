"""Tables of entity resolution, declared on the store's metadata.

Entities are derived: every run may rewrite ``entities``, ``entity_members``, ``match_edges``
and ``review_pairs`` for the entity types it resolves. ``judgements`` are human and are never
rewritten by a run; ``entity_history`` and ``resolve_runs`` only grow.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)

from crosslink.store.schema import UID, metadata

ENTITY_ID = 16  # "E" + 15 hex digits

resolve_runs = Table(
    "resolve_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_type", String(40), nullable=False),
    Column("backend", String(16), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("records", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("entities", Integer, nullable=False),
    Column("training", String(40), nullable=False),
    Column("model", Text, nullable=False),
    Column("started_by", String(200), nullable=False),
    # The rules the run applied ("name@version", a JSON list; resolve/rules.py); NULL for
    # runs before the registry.
    Column("rules", Text),
    Index(None, "entity_type"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(ENTITY_ID), primary_key=True),
    Column("entity_type", String(40), nullable=False),
    Column("status", String(8), nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_run", Integer, ForeignKey("resolve_runs.id"), nullable=False),
    Column("updated_run", Integer, ForeignKey("resolve_runs.id"), nullable=False),
    Index(None, "entity_type", "status"),
)

entity_members = Table(
    "entity_members",
    metadata,
    Column("record_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("entity_id", String(ENTITY_ID), ForeignKey("entities.id"), nullable=False),
    Column("entity_type", String(40), nullable=False),
    Index(None, "entity_id"),
)

entity_history = Table(
    "entity_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("resolve_runs.id"), nullable=False),
    Column("entity_id", String(ENTITY_ID), nullable=False),
    Column("change", String(8), nullable=False),
    Column("other_id", String(ENTITY_ID)),
    Column("records", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index(None, "entity_id"),
)

judgements = Table(
    "judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity_type", String(40), nullable=False),
    Column("left_uid", String(UID), ForeignKey("records.uid"), nullable=False),
    Column("right_uid", String(UID), ForeignKey("records.uid"), nullable=False),
    Column("verdict", String(9), nullable=False),
    Column("reason", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("agency", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("score", Float),
    Index(None, "left_uid", "right_uid"),
    Index(None, "entity_type"),
)

match_edges = Table(
    "match_edges",
    metadata,
    Column("left_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("right_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("entity_type", String(40), nullable=False),
    Column("run_id", Integer, ForeignKey("resolve_runs.id"), nullable=False),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("detail", Text, nullable=False),
    # Joined on names alone: the one namesake of a group that nothing identified.
    Column("sole", Boolean, nullable=False, server_default=false()),
    # Of those, joined on what the two share (an employer, a phone …): the kinds, not values.
    Column("ties", String(200)),
    Index(None, "right_uid"),
    Index(None, "entity_type"),
)

review_pairs = Table(
    "review_pairs",
    metadata,
    Column("left_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("right_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("entity_type", String(40), nullable=False),
    Column("run_id", Integer, ForeignKey("resolve_runs.id"), nullable=False),
    Column("left_entity", String(ENTITY_ID), nullable=False),
    Column("right_entity", String(ENTITY_ID), nullable=False),
    Column("probability", Float, nullable=False),
    Column("impact", Float, nullable=False),
    Index(None, "entity_type", "impact"),
)
