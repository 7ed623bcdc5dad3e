"""The releases of the statistics room (migration 0015): what left, how it was protected.

A release is never edited. ``withheld`` keeps which cells were withheld for their own sake:
the differencing check needs it; it is never published.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, String, Table, Text

from crosslink.store.schema import metadata

stats_releases = Table(
    "stats_releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("title", String(200), nullable=False),
    Column("role", String(40), nullable=False),
    Column("spec", Text, nullable=False),
    Column("method", String(16), nullable=False),
    Column("params", Text, nullable=False),
    Column("epsilon", Float, nullable=False),
    Column("rules_version", String(40), nullable=False),
    Column("resolve_run", Integer),
    Column("inputs", String(200), nullable=False),
    Column("cells", Text, nullable=False),
    Column("margins", Text, nullable=False),
    Column("withheld", Text, nullable=False),
    Column("check_notes", Text, nullable=False),
)
