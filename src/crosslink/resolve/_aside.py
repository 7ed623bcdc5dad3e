"""The other entity types computed in a worker process while this one stores the first.

Storing a run (ids, entities, edges, review queue) is Python on one core: at a million demo
records, persons take a hundred seconds of it while the second core idles. Meanwhile a
worker process extracts, scores and clusters organisations, addresses and vehicles through
its own connection to the store; this process then only stores them.

Another connection sees only what is committed, so the worker is used only when the
caller's transaction has written nothing yet (the worker would miss it), the store is a
file or a server (not SQLite in memory), the engine is DuckDB, and there are enough records
of the other types to repay starting a process (:data:`ASIDE_FROM`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from crosslink._processes import Aside
from crosslink.errors import ResolveError
from crosslink.resolve._compute import Computed, compute
from crosslink.resolve.backend import Backend, make_backend, size_bytes
from crosslink.resolve.extract import count_records
from crosslink.resolve.write import collector_paused
from crosslink.store.dialect import make_engine, seen_by_other_connections

if TYPE_CHECKING:
    from crosslink.resolve.run import ResolveOptions

__all__ = ["ASIDE_FROM", "ASIDE_MEMORY", "aside_possible", "computed_aside", "results"]

log = logging.getLogger(__name__)

ASIDE_FROM = 15_000
"""Records of the other types from which they are computed aside (when ``aside`` is
``None``): starting the worker and importing Splink there takes a few seconds. At 100,000
demo records (20,000 of the other types) a run took 32.6 s with it, 35.6 without (two runs
each); below, the first type is stored before the worker is done."""

ASIDE_MEMORY = "512MB"
"""DuckDB's memory in the worker, beyond which it spills: the worker runs beside this
process's largest type, whose pairs it must not crowd out. At a million demo records, with
1 GB the two processes together peaked at 4,226 MiB (the worker 1,357); with 512 MB the
worker stayed below 620 MiB at the end of each phase, and took 34 s, inside the 58 s that
storing the persons took."""


def aside_possible(
    conn: Connection, opts: ResolveOptions, backend: Backend, rest: list[str]
) -> bool:
    """Whether the types ``rest`` may be computed in a worker (see the module docstring)."""
    if not rest or opts.aside is False or not seen_by_other_connections(conn):
        return False
    if backend.name != "duckdb" or opts.backend != "duckdb":
        return False
    if opts.aside is True:
        return True
    return (os.cpu_count() or 1) > 1 and count_records(conn, *rest) >= ASIDE_FROM


@contextmanager
def computed_aside(
    conn: Connection, opts: ResolveOptions, rest: list[str]
) -> Iterator[Aside[list[Computed]]]:
    """A worker computing the types ``rest`` (those with records, in order) as ``opts``
    asks; its result is the list of them."""
    url = conn.engine.url.render_as_string(hide_password=False)
    level = log.getEffectiveLevel()
    log.info("computing %s in a worker process", ", ".join(rest))
    with Aside(_compute_all, url, rest, opts, level) as worker:
        yield worker


def _compute_all(url: str, types: list[str], opts: ResolveOptions, level: int) -> list[Computed]:
    """In the worker: each of ``types`` computed through a connection of its own."""
    logging.basicConfig(format="%(asctime)s %(name)s [aside] %(message)s")
    logging.getLogger("crosslink").setLevel(level)
    spill = None if opts.spill_dir is None else opts.spill_dir / "aside"
    limit = ASIDE_MEMORY
    if opts.memory_limit and size_bytes(opts.memory_limit) < size_bytes(ASIDE_MEMORY):
        limit = opts.memory_limit  # a machine set smaller than the worker's own
    backend = make_backend(opts.backend, memory_limit=limit, spill_dir=spill)
    engine = make_engine(url)
    out: list[Computed] = []
    try:
        # As in the caller: millions of objects, and no cycles among them.
        with collector_paused(), engine.connect() as conn:
            for entity_type in types:
                # No helper process for the rows: this one is already the second core's.
                computed = compute(conn, entity_type, opts, backend, 0)
                if computed is not None:
                    out.append(computed)
            conn.rollback()  # it read, and wrote nothing
    finally:
        backend.close()
        engine.dispose()
    return out


def results(worker: Aside[list[Computed]]) -> list[Computed]:
    """The worker's computations (its failure as a :class:`ResolveError`)."""
    try:
        return worker.result()
    except ChildProcessError as exc:
        raise ResolveError(f"resolving the other entity types failed: {exc}") from exc
