"""The screening room's tables: one row per run, one per ad screened in it.

Results are derived, like resolution: a run adds its rows and never edits an earlier run's,
so a score can always be traced to the rule set and version that made it.
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
)

from crosslink.store.schema import UID, metadata

screen_runs = Table(
    "screen_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_by", String(200), nullable=False),
    Column("agency_id", String(64)),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("ruleset", String(200), nullable=False),
    Column("ruleset_version", String(64), nullable=False),
    Column("ruleset_sha256", String(64), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("ads", Integer, nullable=False),
    Column("flagged", Integer, nullable=False),
    Column("clusters", Integer, nullable=False),
)

screen_results = Table(
    "screen_results",
    metadata,
    Column("run_id", Integer, ForeignKey("screen_runs.id"), primary_key=True),
    Column("record_uid", String(UID), ForeignKey("records.uid"), primary_key=True),
    Column("language", String(8)),
    Column("language_from", String(8), nullable=False),
    Column("score", Float, nullable=False),
    Column("flagged", Boolean, nullable=False),
    Column("cluster_id", String(UID), nullable=False),
    Column("cluster_size", Integer, nullable=False),
    # JSON: the indicators that fired (id, version, weight, span), what extraction found
    # (kind, value, span, how), and the known entities the ad's contacts belong to.
    Column("reasons", Text, nullable=False),
    Column("extractions", Text, nullable=False),
    Column("known", Text, nullable=False),
    Index(None, "run_id", "score"),
    Index(None, "run_id", "cluster_id"),
)

screen_clusters = Table(
    "screen_clusters",
    metadata,
    Column("run_id", Integer, ForeignKey("screen_runs.id"), primary_key=True),
    Column("cluster_id", String(UID), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("top_score", Float, nullable=False),
    Column("flagged", Integer, nullable=False),
    # JSON list: the shared keys and near-duplicate similarities that tie the cluster.
    Column("ties", Text, nullable=False),
)
