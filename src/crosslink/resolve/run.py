"""One resolution run: extract, score, cluster under judgements, keep ids, store, queue.

The caller owns the transaction: :func:`resolve` writes the derived tables of each entity
type it resolves and commits nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select

from crosslink.access import Clock, Subject, SystemClock
from crosslink.resolve.backend import Backend, make_backend
from crosslink.resolve.cluster import cluster
from crosslink.resolve.dates import strict_dates as strict_for
from crosslink.resolve.extract import ENTITY_TYPES, extract
from crosslink.resolve.ids import Assignment, assign_ids
from crosslink.resolve.judgements import constraints, labels, list_judgements
from crosslink.resolve.predict import ConflictRule, Scored, build_linker, conflicts_among, score
from crosslink.resolve.review import queue_rows
from crosslink.resolve.schema import (
    entities,
    entity_history,
    entity_members,
    match_edges,
    resolve_runs,
    review_pairs,
)
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions
from crosslink.store.dialect import bulk_insert

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
    spec = model_for(entity_type)
    table = extract(conn, entity_type, opts.subject)
    if table.num_rows == 0:
        log.info("no %s records to resolve", entity_type)
        return None
    stored = None if opts.retrain else _stored_model(conn, entity_type)
    strict = strict_for(table, bool(spec.incompatible), opts.strict_dates)
    rules = constraints(conn, entity_type)
    linker, how = build_linker(
        backend,
        table,
        spec,
        stored_model=stored,
        options=opts.train,
        labels=labels(conn, entity_type) if stored is None else None,
        strict=strict,
    )
    rule = ConflictRule.of(
        spec,
        opts.conflict_below,
        opts.conflict_against,
        strict_dates=strict,
        names_alone_join=opts.names_alone_join,
    )
    scored = score(backend, linker, opts.edge_floor, how, rule)
    nodes = table["unique_id"].to_pylist()
    clusters = cluster(
        backend,
        nodes,
        scored.edges,
        opts.threshold,
        rules,
        scored.conflicts,
        check=lambda pairs: conflicts_among(backend, linker, pairs, rule),
    )
    backend.db_api.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]
    previous = _previous_members(conn, entity_type)
    assignment = assign_ids(clusters, previous, _taken_ids(conn))
    run_id = _insert_run(conn, entity_type, opts, started, clock.now(), scored, assignment)
    _write_entities(conn, entity_type, run_id, assignment, clock.now())
    _write_edges(conn, entity_type, run_id, scored)
    # Pairs that agree on names alone wait for an analyst however high they score.
    band = [
        e
        for e in scored.edges
        if opts.review_low <= e.probability
        and (e.probability < opts.review_high or not e.supported)
    ]
    judged = rules.same | rules.different | _unsure(conn, entity_type)
    rows = queue_rows(conn, band, assignment.members, assignment.sizes, judged)
    conn.execute(delete(review_pairs).where(review_pairs.c.entity_type == entity_type))
    if rows:
        conn.execute(
            review_pairs.insert(),
            [{**r, "entity_type": entity_type, "run_id": run_id} for r in rows],
        )
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
        how,
        round(time.perf_counter() - t0, 3),
    )
    log.info("resolved %s: %s", entity_type, summary)
    return summary


def _stored_model(conn: Connection, entity_type: str) -> dict[str, Any] | None:
    text = conn.execute(
        select(resolve_runs.c.model)
        .where(resolve_runs.c.entity_type == entity_type)
        .order_by(resolve_runs.c.id.desc())
        .limit(1)
    ).scalar()
    return json.loads(text) if text else None


def _previous_members(conn: Connection, entity_type: str) -> dict[str, str]:
    rows = conn.execute(
        select(entity_members.c.record_uid, entity_members.c.entity_id).where(
            entity_members.c.entity_type == entity_type
        )
    )
    return {str(uid): str(eid) for uid, eid in rows}


def _taken_ids(conn: Connection) -> set[str]:
    return set(conn.execute(select(entities.c.id)).scalars()) | set(
        conn.execute(select(entity_history.c.entity_id).distinct()).scalars()
    )


def _unsure(conn: Connection, entity_type: str) -> set[tuple[str, str]]:
    return {
        (j.left_uid, j.right_uid)
        for j in list_judgements(conn, entity_type)
        if j.verdict == "unsure"
    }


def _insert_run(
    conn: Connection,
    entity_type: str,
    opts: ResolveOptions,
    started: dt.datetime,
    finished: dt.datetime,
    scored: Scored,
    assignment: Assignment,
) -> int:
    values = {
        "entity_type": entity_type,
        "backend": opts.backend,
        "threshold": opts.threshold,
        "started_at": started,
        "finished_at": finished,
        "records": len(assignment.members),
        "pairs": len(scored.edges),
        "entities": len(assignment.sizes),
        "training": scored.training,
        "model": json.dumps(scored.model, sort_keys=True),
        "started_by": opts.subject.username if opts.subject else opts.started_by,
    }
    run_id: int = conn.execute(
        resolve_runs.insert().values(**values).returning(resolve_runs.c.id)
    ).scalar_one()
    return run_id


def _write_entities(
    conn: Connection,
    entity_type: str,
    run_id: int,
    assignment: Assignment,
    at: dt.datetime,
) -> None:
    """Replace the type's entities and members; ids that carry on keep their first run."""
    known = {
        r.id: (r.status, r.updated_run, r.created_run)
        for r in conn.execute(
            select(
                entities.c.id, entities.c.status, entities.c.updated_run, entities.c.created_run
            ).where(entities.c.entity_type == entity_type)
        )
    }
    conn.execute(delete(entity_members).where(entity_members.c.entity_type == entity_type))
    conn.execute(delete(entities).where(entities.c.entity_type == entity_type))
    rows = []
    for entity_id, (status, updated, created) in sorted(known.items()):
        if entity_id not in assignment.sizes:
            last = run_id if status == "active" else updated
            rows.append((entity_id, entity_type, "retired", 0, created, last))
    for entity_id, size in sorted(assignment.sizes.items()):
        created = known[entity_id][2] if entity_id in known else run_id
        rows.append((entity_id, entity_type, "active", size, created, run_id))
    bulk_insert(
        conn,
        entities,
        ("id", "entity_type", "status", "size", "created_run", "updated_run"),
        rows,
    )
    bulk_insert(
        conn,
        entity_members,
        ("record_uid", "entity_id", "entity_type"),
        [(uid, eid, entity_type) for uid, eid in sorted(assignment.members.items())],
    )
    history = [
        {
            "run_id": run_id,
            "entity_id": c.entity_id,
            "change": c.change,
            "other_id": c.other_id,
            "records": c.records,
            "at": at,
        }
        for c in assignment.changes
    ]
    if history:
        conn.execute(entity_history.insert(), history)


def _write_edges(conn: Connection, entity_type: str, run_id: int, scored: Scored) -> None:
    conn.execute(delete(match_edges).where(match_edges.c.entity_type == entity_type))
    rows = [
        (
            e.left,
            e.right,
            entity_type,
            run_id,
            e.probability,
            e.weight,
            scored.detail[(e.left, e.right)],
        )
        for e in sorted(scored.edges, key=lambda e: (e.left, e.right))
    ]
    columns = ("left_uid", "right_uid", "entity_type", "run_id", "probability", "weight", "detail")
    bulk_insert(conn, match_edges, columns, rows)
