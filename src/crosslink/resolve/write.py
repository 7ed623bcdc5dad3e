"""Writing one run: stable ids, then the type's entities, members, edges and review queue.

Every table but ``entity_history`` and ``resolve_runs`` is rewritten for the type, in place:
a row whose key stays is updated, the rows of an earlier run that this one did not write again
are deleted. At a million records, deleting the rows and inserting them again took SQLite five
times as long. Each phase logs its time.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import resource
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Table, delete, select

from crosslink.access import Clock
from crosslink.resolve._kept import kept_edges
from crosslink.resolve._pairs import positions
from crosslink.resolve.ids import Assignment, assign_ids
from crosslink.resolve.judgements import list_judgements
from crosslink.resolve.predict import Scored
from crosslink.resolve.review import QueueRow, entity_links, joining_bridges, queue_rows
from crosslink.resolve.schema import (
    entities,
    entity_history,
    entity_members,
    match_edges,
    resolve_runs,
    review_pairs,
)
from crosslink.store.dialect import MAX_IN_PARAMS, bound, bulk_insert, bulk_upsert, large_cache

if TYPE_CHECKING:
    from crosslink.resolve.run import ResolveOptions

__all__ = ["collector_paused", "phase", "store_run", "taken_ids"]

log = logging.getLogger(__name__)

_CHUNK = 100_000
"""Edges written at a time."""


@contextmanager
def phase(entity_type: str, name: str) -> Iterator[None]:
    """Log how long one phase of a run took, and the processor time it used (less means it
    waited for the disk or for other processes), and the process's peak memory so far: a
    run's log shows where its time and memory go."""
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        log.info(
            "%s %s: %.1f s (cpu %.1f s, peak %.0f MiB, now %s MiB)",
            entity_type,
            name,
            wall,
            used,
            peak,
            _resident(),
        )


def _resident() -> str:
    """The process's resident memory now, in MiB (``?`` where /proc does not tell)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return "?"
    return str(pages * resource.getpagesize() // 2**20)


def store_run(
    conn: Connection,
    entity_type: str,
    opts: ResolveOptions,
    clock: Clock,
    started: dt.datetime,
    scored: Scored,
    clusters: dict[str, str],
    taken: set[str],
) -> tuple[int, Assignment]:
    """Keep ids, write the run, its entities, edges and review queue; (run id, assignment).
    ``taken``: every entity id ever used (:func:`taken_ids`), with the new ones added."""
    with large_cache(conn):
        with phase(entity_type, "ids"):
            previous = _previous_members(conn, entity_type)
            assignment = assign_ids(clusters, previous, taken)
            taken.update(assignment.sizes)
        run_id = _insert_run(conn, entity_type, opts, started, clock.now(), scored, assignment)
        with phase(entity_type, "write entities"):
            _write_entities(conn, entity_type, run_id, assignment, previous, clock.now())
            _leave_members(conn, [uid for uid in previous if uid not in assignment.members])
        # The edges come in key order: rows append to the tables' primary key.
        with phase(entity_type, "queue"):
            within = scored.arrays.same(assignment.members)
            # Before the edges are written: their pages would crowd the links out of the cache.
            rows = _queue(conn, entity_type, opts, scored, assignment, within)
        with phase(entity_type, "write edges"):
            queued = {(r.left_uid, r.right_uid) for r in rows}
            kept = kept_edges(scored.arrays, within, opts.threshold, scored.sole, queued)
            del within
            _write_edges(conn, entity_type, run_id, scored, kept)
        with phase(entity_type, "write queue"):
            columns = ("entity_type", "run_id", *QueueRow._fields)
            rows_of_run: list[tuple[object, ...]] = [(entity_type, run_id, *r) for r in rows]
            _rewrite(conn, review_pairs, entity_type, run_id, columns, [rows_of_run])
    return run_id, assignment


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off during a run: it makes millions of records,
    edges and rows that hold no cycles, and each full collection would walk all the run's
    objects (tens of millions at a million records) again. At a million records that was a
    sixth of the writing time, and 55 of the 127 seconds of reading the persons."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _previous_members(conn: Connection, entity_type: str) -> dict[str, str]:
    rows = conn.execute(
        select(entity_members.c.record_uid, entity_members.c.entity_id).where(
            entity_members.c.entity_type == entity_type
        )
    )
    return {str(uid): str(eid) for uid, eid in rows}


def taken_ids(conn: Connection) -> set[str]:
    """Every entity id ever used, of any type: read once per run of all types (at a million
    records, a second and a half each)."""
    return set(conn.execute(select(entities.c.id)).scalars()) | set(
        conn.execute(select(entity_history.c.entity_id).distinct()).scalars()
    )


def _judged(conn: Connection, entity_type: str) -> set[tuple[str, str]]:
    """Pairs with a judgement in force, whatever its verdict: they leave the queue."""
    return {(j.left_uid, j.right_uid) for j in list_judgements(conn, entity_type)}


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
        "rules": json.dumps(opts.rules.labels()),
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
    previous: dict[str, str],
    at: dt.datetime,
) -> None:
    """The type's entities (retired ones stay) and members; ids that carry on keep their
    first run. Only members that moved (or are new) since ``previous`` are written: ids
    carry over, so a re-run moves few. Members of records the run no longer holds are left
    to the caller."""
    known = {
        r.id: (r.status, r.updated_run, r.created_run)
        for r in conn.execute(
            select(
                entities.c.id, entities.c.status, entities.c.updated_run, entities.c.created_run
            ).where(entities.c.entity_type == entity_type)
        )
    }
    rows = []
    for entity_id, (status, updated, created) in sorted(known.items()):
        if entity_id not in assignment.sizes:
            last = run_id if status == "active" else updated
            rows.append((entity_id, entity_type, "retired", 0, created, last))
    for entity_id, size in sorted(assignment.sizes.items()):
        created = known[entity_id][2] if entity_id in known else run_id
        rows.append((entity_id, entity_type, "active", size, created, run_id))
    rows.sort()
    # Every entity the type ever had is written again: none is left behind.
    write = bulk_upsert if known else bulk_insert
    write(
        conn,
        entities,
        ("id", "entity_type", "status", "size", "created_run", "updated_run"),
        rows,
    )
    write(
        conn,
        entity_members,
        ("record_uid", "entity_id", "entity_type"),
        [
            (uid, eid, entity_type)
            for uid, eid in sorted(assignment.members.items())
            if previous.get(uid) != eid
        ],
    )
    stamp = bound(conn, entity_history.c.at, at)
    bulk_insert(
        conn,
        entity_history,
        ("run_id", "entity_id", "change", "other_id", "records", "at"),
        [(run_id, c.entity_id, c.change, c.other_id, c.records, stamp) for c in assignment.changes],
    )


def _leave_members(conn: Connection, uids: list[str]) -> None:
    """Members no more: records erased, or not visible to the run's subject."""
    for start in range(0, len(uids), MAX_IN_PARAMS):
        chunk = uids[start : start + MAX_IN_PARAMS]
        conn.execute(delete(entity_members).where(entity_members.c.record_uid.in_(chunk)))


def _write_edges(
    conn: Connection, entity_type: str, run_id: int, scored: Scored, at: list[int]
) -> None:
    """The edges at positions ``at`` (in key order) of ``scored``."""
    columns = (
        "left_uid",
        "right_uid",
        "entity_type",
        "run_id",
        "probability",
        "weight",
        "detail",
        "sole",
        "ties",
    )
    rows = _edge_rows(scored, at, (entity_type, run_id))
    _rewrite(conn, match_edges, entity_type, run_id, columns, rows)


def _edge_rows(
    scored: Scored, at: list[int], run: tuple[str, int]
) -> Iterator[list[tuple[object, ...]]]:
    """The rows of the edges at ``at``, a chunk at a time: at a million records the rows of
    all, and their evidence texts, held over a gigabyte at once."""
    sole, ties = scored.sole, scored.ties
    for start in range(0, len(at), _CHUNK):
        chunk = at[start : start + _CHUNK]
        texts = scored.detail.take(pa.array(chunk, pa.int64())).to_pylist()
        edges = (scored.edges[i] for i in chunk)
        rows: list[tuple[object, ...]] = []
        for e, text in zip(edges, texts, strict=True):
            key = (e.left, e.right)
            kinds = ", ".join(ties[key]) if key in ties else None
            rows.append((*key, *run, e.probability, e.weight, text, key in sole, kinds))
        yield rows


def _rewrite(
    conn: Connection,
    table: Table,
    entity_type: str,
    run_id: int,
    columns: tuple[str, ...],
    chunks: Iterable[list[tuple[object, ...]]],
) -> None:
    """Make the rows of ``chunks`` (all of ``run_id``) the rows of ``entity_type`` in
    ``table``."""
    before = conn.execute(
        select(table.c.run_id).where(table.c.entity_type == entity_type).limit(1)
    ).first()
    # A first run has nothing to update, and inserting is a third cheaper.
    write = bulk_insert if before is None else bulk_upsert
    for rows in chunks:
        write(conn, table, columns, rows)
    if before is not None:
        # Pairs of an earlier run that this one did not find again.
        conn.execute(
            delete(table).where(table.c.entity_type == entity_type, table.c.run_id != run_id)
        )


def _queue(
    conn: Connection,
    entity_type: str,
    opts: ResolveOptions,
    scored: Scored,
    assignment: Assignment,
    within: pa.BooleanArray,
) -> list[QueueRow]:
    """The run's review queue, once its entities are stored (their links are counted in the
    database): its uncertain pairs, in key order, but those judged. ``within``: whether each
    of the run's edges is inside one entity."""
    members, arrays = assignment.members, scored.arrays
    bridges = joining_bridges(arrays, within, opts.threshold, scored.sole)
    probability = arrays.probability
    # Pairs that agree on names alone wait for an analyst however high they score.
    uncertain = pc.and_(
        pc.greater_equal(probability, opts.review_low),
        pc.or_(pc.less(probability, opts.review_high), pc.invert(arrays.supported)),
    )
    # ... and so do pairs a rule kept apart (two register numbers), however sure the model.
    band = pc.or_(pc.or_(uncertain, arrays.having(scored.sole)), arrays.having(scored.vetoed))
    # A pair inside one entity is asked about only if it is a bridge (queue_rows): the
    # others, most of the band at scale, are left out here, in Arrow.
    asked = pc.or_(pc.invert(within), arrays.having(bridges))
    edges = scored.edges
    return queue_rows(
        (edges[i] for i in positions(pc.and_(band, asked))),
        members,
        assignment.sizes,
        entity_links(conn, entity_type),
        _judged(conn, entity_type),
        bridges=bridges,
    )
