"""One resolution run: extract, score, cluster under judgements, keep ids, store, queue.

Each type is computed (:mod:`crosslink.resolve._compute`), then stored
(:mod:`crosslink.resolve.write`); the types after the first may be computed in a worker
process meanwhile (:mod:`crosslink.resolve._aside`). The caller owns the transaction:
:func:`resolve` writes the derived tables of each entity type it resolves and commits
nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from crosslink.access import Clock, Subject, SystemClock
from crosslink.resolve._aside import aside_possible, computed_aside, results
from crosslink.resolve._compute import Computed, compute
from crosslink.resolve.backend import Backend, make_backend
from crosslink.resolve.extract import ENTITY_TYPES
from crosslink.resolve.rules import DEFAULT_RULES, RuleSet
from crosslink.resolve.train import TrainOptions
from crosslink.resolve.write import collector_paused, store_run, taken_ids

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
    rules: RuleSet = DEFAULT_RULES
    """The rules applied beside the model (:mod:`crosslink.resolve.rules`): the defaults
    hold for any data; the run records which it applied."""
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
    aside: bool | None = None
    """Compute the other types in a worker process while the first is stored (see
    :mod:`crosslink.resolve._aside`, which says when it can): ``None`` when there are
    enough records of them; ``False`` never."""


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
    clock = clock or SystemClock()
    out: list[RunSummary] = []
    taken: set[str] | None = None
    computations = _computations(conn, opts, engine, clock)
    try:
        for started, computed in computations:
            with collector_paused():
                if taken is None:
                    taken = taken_ids(conn)
                summary = _store(conn, opts, clock, started, computed, taken)
            del computed  # stored: its pairs may go before the next type's come
            out.append(summary)
            if on_type is not None:
                on_type(summary)
    finally:
        # Now, not when the generator is collected: a worker still running stops with it.
        computations.close()
        if backend is None:
            engine.close()
    return out


def _computations(
    conn: Connection, opts: ResolveOptions, backend: Backend, clock: Clock
) -> Generator[tuple[dt.datetime, Computed], None, None]:
    """Each type's computation, with when it started, in the order of ``opts``: computed
    here, one at a time as the caller stores the one before, or, once the first is, the
    others in a worker (:mod:`crosslink.resolve._aside`). Types computed there all started
    when the worker did, by this run's clock; their ``seconds`` overlap the first's."""
    types = list(opts.entity_types)
    for i, entity_type in enumerate(types):
        started = clock.now()
        with collector_paused():
            computed = compute(conn, entity_type, opts, backend)
        if computed is None:
            log.info("no %s records to resolve", entity_type)
            continue
        rest = types[i + 1 :]
        if not aside_possible(conn, opts, backend, rest):
            yield started, computed
            del computed  # stored by now: not held while the next is computed
            continue
        started_rest = clock.now()
        with computed_aside(conn, opts, rest) as worker:
            yield started, computed
            del computed  # stored by now: not walked by the collector as the others arrive
            with collector_paused():
                done = results(worker)
            done.reverse()
            while done:  # each type let go once stored, not when the last is
                yield started_rest, done.pop()
        return


def _store(
    conn: Connection,
    opts: ResolveOptions,
    clock: Clock,
    started: dt.datetime,
    computed: Computed,
    taken: set[str],
) -> RunSummary:
    t0 = time.perf_counter()
    entity_type, scored = computed.entity_type, computed.scored
    run_id, assignment = store_run(
        conn, entity_type, opts, clock, started, scored, computed.clusters, taken
    )
    counts: dict[str, int] = {}
    for change in assignment.changes:
        counts[change.change] = counts.get(change.change, 0) + 1
    summary = RunSummary(
        run_id,
        entity_type,
        computed.records,
        len(scored.edges),
        len(assignment.sizes),
        counts,
        scored.training,
        round(computed.seconds + time.perf_counter() - t0, 3),
    )
    log.info("resolved %s: %s", entity_type, summary)
    return summary
