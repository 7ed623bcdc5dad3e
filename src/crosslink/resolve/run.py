"""One resolution run: extract, score, cluster under judgements, keep ids, store, queue.

The caller owns the transaction: :func:`resolve` writes the derived tables of each entity
type it resolves and commits nothing.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, select

from crosslink.access import Clock, Subject, SystemClock
from crosslink.resolve.backend import Backend, make_backend
from crosslink.resolve.cluster import Constraints, cluster
from crosslink.resolve.dates import strict_dates as strict_for
from crosslink.resolve.extract import ENTITY_TYPES, extract
from crosslink.resolve.judgements import constraints, labels
from crosslink.resolve.namesakes import identities
from crosslink.resolve.predict import (
    ConflictRule,
    Scored,
    build_linker,
    conflicts_among,
    edge_floor,
    score,
)
from crosslink.resolve.schema import resolve_runs
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions
from crosslink.resolve.write import collector_paused, phase, store_run

__all__ = ["ResolveOptions", "RunSummary", "resolve"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolveOptions:
    """What to resolve and how. Probabilities are Splink match probabilities."""

    entity_types: tuple[str, ...] = ENTITY_TYPES
    threshold: float = 0.9
    """Pairs at or above it join one entity."""
    review_low: float = 0.3
    review_high: float = 0.99
    """Pairs in [review_low, review_high) are uncertain and go to the review queue."""
    edge_floor: float = 0.3
    """Pairs below it are not kept: below the review band they explain and review nothing,
    and at a million records they would be most of the run's memory."""
    conflict_below: float = 0.01
    conflict_against: float = 11.0
    """A pair scored below ``conflict_below`` whose comparisons count at least this many bits
    against it (a different full date of birth, another name …) is a conflict: no entity may
    hold both, however the two are chained through others."""
    strict_dates: bool | None = None
    """Two full dates of birth that differ beyond a typo (the model's incompatible levels)
    keep two records apart, whatever else agrees; off for sources with many mistyped dates.
    ``None``: as the data's dates deserve (:mod:`crosslink.resolve.dates`)."""
    names_alone_join: bool = False
    """Let pairs that agree on names alone (nothing else known on one side) join; by default
    they wait in the review queue."""
    backend: str = "duckdb"
    memory_limit: str | None = None
    """Memory DuckDB may use (``Settings.resolve_memory``); beyond it, it spills to
    ``spill_dir``."""
    spill_dir: Path | None = None
    retrain: bool = False
    """Train anew even when an earlier run's model exists."""
    train: TrainOptions = field(default_factory=TrainOptions)
    subject: Subject | None = None
    """Resolve only what this subject may see (``None``: the system, everything)."""
    started_by: str = "system"


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    entity_type: str
    records: int
    pairs: int
    entities: int
    changes: dict[str, int]
    training: str
    seconds: float


def resolve(
    conn: Connection,
    options: ResolveOptions | None = None,
    *,
    backend: Backend | None = None,
    clock: Clock | None = None,
    on_type: Callable[[RunSummary], None] | None = None,
) -> list[RunSummary]:
    """Resolve each entity type of ``options``; returns one summary per type resolved."""
    opts = options or ResolveOptions()
    engine = backend or make_backend(
        opts.backend, memory_limit=opts.memory_limit, spill_dir=opts.spill_dir
    )
    out: list[RunSummary] = []
    try:
        for entity_type in opts.entity_types:
            with collector_paused():
                summary = _resolve_type(conn, entity_type, opts, engine, clock or SystemClock())
            if summary is not None:
                out.append(summary)
                if on_type is not None:
                    on_type(summary)
    finally:
        if backend is None:
            engine.close()
    return out


def _resolve_type(
    conn: Connection, entity_type: str, opts: ResolveOptions, backend: Backend, clock: Clock
) -> RunSummary | None:
    started, t0 = clock.now(), time.perf_counter()
    with phase(entity_type, "extract"):
        table = extract(conn, entity_type, opts.subject)
    if table.num_rows == 0:
        log.info("no %s records to resolve", entity_type)
        return None
    rules = constraints(conn, entity_type)
    scored, clusters = _score_and_cluster(conn, entity_type, opts, backend, table, rules)
    run_id, assignment = store_run(conn, entity_type, opts, clock, started, scored, clusters)
    counts: dict[str, int] = {}
    for change in assignment.changes:
        counts[change.change] = counts.get(change.change, 0) + 1
    summary = RunSummary(
        run_id,
        entity_type,
        table.num_rows,
        len(scored.edges),
        len(assignment.sizes),
        counts,
        scored.training,
        round(time.perf_counter() - t0, 3),
    )
    log.info("resolved %s: %s", entity_type, summary)
    return summary


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
    strict = strict_for(table, bool(spec.incompatible), opts.strict_dates)
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
    rule = ConflictRule.of(
        spec,
        opts.conflict_below,
        opts.conflict_against,
        strict_dates=strict,
        names_alone_join=opts.names_alone_join,
    )
    with phase(entity_type, "score"):
        scored = score(backend, linker, edge_floor(spec, opts.edge_floor), how, rule)
    with phase(entity_type, "cluster"):
        clusters = cluster(
            backend,
            list(map(sys.intern, table["unique_id"].to_pylist())),
            scored.edges,
            opts.threshold,
            rules,
            scored.conflicts,
            check=lambda pairs: conflicts_among(backend, linker, pairs, rule),
            identities=identities(table, spec),
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
