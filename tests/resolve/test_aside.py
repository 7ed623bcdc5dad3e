"""The other entity types computed in a worker process while the first is stored."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from typing import Any

import pytest
from sqlalchemy import Connection, select

from crosslink._processes import Aside
from crosslink.demo._api import register_sources
from crosslink.errors import ModelError
from crosslink.resolve import ResolveOptions, resolve
from crosslink.resolve._aside import aside_possible
from crosslink.resolve.backend import DuckDBBackend
from crosslink.resolve.schema import entities, entity_members, match_edges, review_pairs
from crosslink.store import Store
from crosslink.store.schema import records
from tests.resolve.conftest import HELD_BACK, Resolved, import_files

ASIDE = "in a worker process"


def _state(conn: Connection) -> dict[str, Any]:
    """What a run leaves in the store, but its run ids."""
    return {
        "members": sorted(conn.execute(select(entity_members)).all()),
        "entities": sorted(
            conn.execute(select(entities.c.id, entities.c.status, entities.c.size)).all()
        ),
        "edges": sorted(
            conn.execute(
                select(
                    match_edges.c.left_uid,
                    match_edges.c.right_uid,
                    match_edges.c.probability,
                    match_edges.c.detail,
                    match_edges.c.sole,
                    match_edges.c.ties,
                )
            ).all()
        ),
        "queue": sorted(
            conn.execute(select(review_pairs.c.left_uid, review_pairs.c.right_uid)).all()
        ),
    }


def _run(store: Store, options: ResolveOptions) -> dict[str, Any]:
    with store.engine.connect() as conn:
        transaction = conn.begin()
        try:
            summaries = resolve(conn, options)
            return {"state": _state(conn), "types": [s.entity_type for s in summaries]}
        finally:
            transaction.rollback()


def test_types_computed_aside_are_stored_as_those_computed_here(
    resolved: Resolved, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="crosslink.resolve"):
        here = _run(resolved.store, ResolveOptions(aside=False))
        assert ASIDE not in caplog.text
        aside = _run(resolved.store, ResolveOptions(aside=True))
    assert "computing Organisation, Address, Vehicle in a worker process" in caplog.text
    assert aside["types"] == here["types"] == ["Person", "Organisation", "Address", "Vehicle"]
    assert len(here["state"]["edges"]) > 1000
    for part in ("members", "entities", "edges", "queue"):
        assert aside["state"][part] == here["state"][part], part


def test_a_transaction_that_wrote_records_computes_every_type_itself(
    resolved: Resolved, caplog: pytest.LogCaptureFixture
) -> None:
    # The worker reads what is committed: these records it would not see.
    with resolved.store.engine.connect() as conn:
        transaction = conn.begin()
        try:
            import_files(conn, resolved.world.out, {HELD_BACK}, set())
            new = set(
                conn.execute(
                    select(records.c.uid).where(records.c.file_name.like(f"%{HELD_BACK}"))
                ).scalars()
            )
            assert new
            with caplog.at_level(logging.INFO, logger="crosslink.resolve"):
                resolve(conn, ResolveOptions(aside=True))
            members = set(conn.execute(select(entity_members.c.record_uid)).scalars())
        finally:
            transaction.rollback()
    assert ASIDE not in caplog.text
    assert new <= members


def test_an_error_in_the_worker_is_raised_as_it_would_be_here(
    resolved: Resolved, caplog: pytest.LogCaptureFixture
) -> None:
    options = ResolveOptions(entity_types=("Person", "Starship"), aside=True)
    with (
        caplog.at_level(logging.INFO, logger="crosslink.resolve"),
        pytest.raises(ModelError, match="Starship") as raised,
    ):
        _run(resolved.store, options)
    assert "computing Starship in a worker process" in caplog.text
    assert any("in worker process" in note for note in raised.value.__notes__)


def test_the_worker_is_used_only_where_it_sees_what_this_connection_sees(store: Store) -> None:
    backend = DuckDBBackend()
    always = ResolveOptions(aside=True)
    try:
        with store.engine.connect() as conn:
            transaction = conn.begin()
            assert aside_possible(conn, always, backend, ["Address"])
            assert not aside_possible(conn, always, backend, [])
            assert not aside_possible(conn, ResolveOptions(aside=False), backend, ["Address"])
            # Fewer records than repay a worker: by default, not.
            assert not aside_possible(conn, ResolveOptions(), backend, ["Address"])
            register_sources(conn)  # a write the worker's own connection would not see
            assert not aside_possible(conn, always, backend, ["Address"])
            transaction.rollback()
        memory = Store.from_url("sqlite://")
        with memory.engine.connect() as conn:
            assert not aside_possible(conn, always, backend, ["Address"])
        memory.dispose()
    finally:
        backend.close()


def _exit_hard(code: int) -> None:
    os._exit(code)


def _fail(message: str) -> None:
    raise ValueError(message)


def test_a_worker_that_dies_or_fails_says_so() -> None:
    with Aside(_exit_hard, 3) as dying, pytest.raises(ChildProcessError, match="exit code 3"):
        dying.result()
    with Aside(_fail, "no such thing") as failing, pytest.raises(ValueError, match="no such"):
        failing.result()
    with Aside(sorted, [3, 1, 2]) as working:
        assert working.result() == [1, 2, 3]


def test_a_caller_that_fails_stops_its_worker() -> None:
    with pytest.raises(RuntimeError, match="caller failed"), Aside(time.sleep, 60):
        assert _asides()
        raise RuntimeError("caller failed")
    assert not _asides()


def _asides() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name.startswith("aside-")]
