"""The reading half of a run of one entity type: extract, train, score, cluster.

It writes nothing, so it may run in another process reading the store through its own
connection (:mod:`crosslink.resolve._aside`) while this one writes another type's run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlalchemy import Connection, select

from crosslink.resolve.backend import Backend
from crosslink.resolve.cluster import Constraints, cluster
from crosslink.resolve.extract import appearances, extract
from crosslink.resolve.judgements import constraints, labels
from crosslink.resolve.namesakes import identities
from crosslink.resolve.predict import (
    ConflictRule,
    Scored,
    build_linker,
    chain_checker,
    edge_floor,
    score,
)
from crosslink.resolve.schema import resolve_runs
from crosslink.resolve.settings import model_for
from crosslink.resolve.write import phase

if TYPE_CHECKING:
    from crosslink.resolve.run import ResolveOptions

__all__ = ["Computed", "compute"]


@dataclass
class Computed:
    """One entity type's scored pairs and clusters, ready to be stored."""

    entity_type: str
    records: int
    scored: Scored
    clusters: dict[str, str]
    """Record uid -> cluster key."""
    seconds: float
    """Time it took to compute."""


def compute(
    conn: Connection,
    entity_type: str,
    opts: ResolveOptions,
    backend: Backend,
    processes: int | None = None,
) -> Computed | None:
    """The scored pairs and clusters of ``entity_type`` (``None``: no records to resolve);
    ``processes``: as :func:`crosslink.resolve.extract.extract` takes it."""
    t0 = time.perf_counter()
    with phase(entity_type, "extract"):
        table = extract(conn, entity_type, opts.subject, processes)
    if table.num_rows == 0:
        return None
    rules = constraints(conn, entity_type)
    scored, clusters = _score_and_cluster(conn, entity_type, opts, backend, table, rules)
    return Computed(entity_type, table.num_rows, scored, clusters, time.perf_counter() - t0)


def _score_and_cluster(
    conn: Connection,
    entity_type: str,
    opts: ResolveOptions,
    backend: Backend,
    table: pa.Table,
    rules: Constraints,
) -> tuple[Scored, dict[str, str]]:
    """The run's scored pairs, and its clusters (record uid -> cluster key)."""
    spec = model_for(entity_type)
    stored = None if opts.retrain else _stored_model(conn, entity_type)
    strict = opts.rules.strict_dates and spec.dates_rule_out
    with phase(entity_type, "train"):
        linker, how = build_linker(
            backend,
            table,
            spec,
            stored_model=stored,
            options=opts.train,
            labels=labels(conn, entity_type) if stored is None else None,
            strict=strict,
        )
        backend.release()  # training's samples, before scoring needs the memory
    rule = ConflictRule.of(spec, opts.conflict_below, opts.conflict_against, opts.rules)
    with phase(entity_type, "score"):
        floor = edge_floor(spec, opts.edge_floor)
        scored = score(backend, linker, floor, how, rule, nodes=table["unique_id"])
    with phase(entity_type, "cluster"):
        seen = None
        if spec.associated_by and "shared-associates" in opts.rules:
            seen = appearances(
                conn, table["unique_id"], opts.subject, spec.associated_by, spec.crowd
            )
        clusters = cluster(
            backend,
            scored.arrays.nodes,
            scored.edges,
            opts.threshold,
            rules,
            scored.conflicts,
            check=chain_checker(backend, linker, rule, opts.rules),
            identities=identities(table, spec, seen, opts.rules.namesakes),
            arrays=scored.arrays,
        )
        scored.sole, scored.ties = clusters.sole, clusters.ties
    backend.db_api.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]
    backend.release()  # the records' tables, before the run is written
    return scored, clusters.members


def _stored_model(conn: Connection, entity_type: str) -> dict[str, Any] | None:
    text = conn.execute(
        select(resolve_runs.c.model)
        .where(resolve_runs.c.entity_type == entity_type)
        .order_by(resolve_runs.c.id.desc())
        .limit(1)
    ).scalar()
    return json.loads(text) if text else None
