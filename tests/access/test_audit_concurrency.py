"""The audit chain with several processes writing at once (``crosslink serve --workers``).

Each process has its own engine and connection pool, as a uvicorn worker does: only the
database's own lock on the head row (PostgreSQL) or its write lock (SQLite) keeps the chain
from forking.
"""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import select

from crosslink.access import Event, append, load_subject, verify
from crosslink.access.consult import consult_records, decide_records, log_consultation
from crosslink.access.schema import audit_log
from crosslink.errors import JustificationRequired
from crosslink.store import Store
from tests.access.helpers import (
    RecordSpec,
    insert_records,
    make_agency,
    make_batch,
    make_source,
    make_user,
    uid_of,
)

PROCESSES = 3
EACH = 15


def _writer(url: str, name: str, start: multiprocessing.synchronize.Barrier) -> None:
    """One worker process: its own engine, one transaction per entry."""
    store = Store.from_url(url)
    try:
        start.wait()
        for i in range(EACH):
            with store.transaction() as conn:
                append(conn, name, Event("consultation", {"query": f"{name}-{i}"}))
    finally:
        store.dispose()


def test_processes_appending_at_once_keep_one_chain(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter, as uvicorn's workers
    start = spawn.Barrier(PROCESSES)
    workers = [
        spawn.Process(target=_writer, args=(url, f"worker-{n}", start)) for n in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    with store.engine.connect() as conn:
        result = verify(conn)
        rows = conn.execute(select(audit_log.c.seq, audit_log.c.actor).order_by(audit_log.c.seq))
        seqs, actors = zip(*rows, strict=True)
    assert result.ok, result.problem
    assert list(seqs) == list(range(1, PROCESSES * EACH + 1))
    assert sorted(set(actors)) == [f"worker-{n}" for n in range(PROCESSES)]


def _world(store: Store) -> list[str]:
    with store.transaction() as conn:
        make_agency(conn, "pol", "police")
        make_user(conn, "ana", "pol", ["analyst"])
        make_source(conn, "src", "pol")
        batch = make_batch(conn, "src", "ana")
        uids = [uid_of("r", i) for i in range(3)]
        insert_records(conn, [RecordSpec(uid, "src", batch) for uid in uids])
    return uids


def _entries(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())


def test_deciding_writes_nothing_and_logging_writes_the_consultation(store: Store) -> None:
    """Pages decide first, read, then log last: the entry is still one, with the records."""
    uids = _world(store)
    with store.transaction() as conn:
        analyst = load_subject(conn, "ana")
        with pytest.raises(JustificationRequired):
            decide_records(conn, analyst, uids, justification=" ")
        decided = decide_records(conn, analyst, [*uids, "missing"], justification="case 7")
        assert decided.allowed == uids and list(decided.denied) == ["missing"]
        assert decided.personal
    assert _entries(store) == []
    with store.transaction() as conn:
        log_consultation(conn, analyst, decided, justification="case 7")
        consult_records(conn, analyst, uids[:1], justification="case 7")
    assert _entries(store) == ["consultation", "denied", "consultation"]
    with store.engine.connect() as conn:
        assert verify(conn).ok
