"""The audit log: chain, tamper detection, concurrency, export and search — on both backends."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DBAPIError

from crosslink.access import (
    AuditQuery,
    Event,
    FixedClock,
    Subject,
    append,
    checkpoint,
    export_jsonl,
    search,
    verify,
    verify_export,
)
from crosslink.access.audit import AuditEntry, canonical
from crosslink.access.schema import audit_head, audit_log
from crosslink.errors import AccessDenied, JustificationRequired
from crosslink.store import Store
from tests.access.helpers import make_agency, make_user

ANALYST = Subject("ana", "police", "police", frozenset({"analyst"}), None)


def _fill(store: Store, n: int = 8) -> None:
    clock = FixedClock()
    with store.transaction() as conn:
        for i in range(n):
            clock.advance(dt.timedelta(seconds=1))
            event = Event(
                "consultation",
                {"records": [f"{i:032x}"]},
                justification=f"case 2026/{i}",
                personal=True,
            )
            append(conn, ANALYST, event, clock=clock)


def _unguard(conn: Connection) -> None:
    """What a database administrator can do: switch the append-only triggers off."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
    else:
        conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")


def _tamper(store: Store, change: Callable[[Connection], None]) -> tuple[int | None, str]:
    with store.transaction() as conn:
        _unguard(conn)
        change(conn)
    with store.engine.connect() as conn:
        result = verify(conn)
    assert not result.ok
    return result.first_broken, result.problem or ""


def test_intact_chain_verifies(store: Store) -> None:
    _fill(store)
    with store.engine.connect() as conn:
        result = verify(conn)
        head = checkpoint(conn)
    assert result.ok and result.entries == 8
    assert head.seq == 8 and result.head == head


def test_database_refuses_update_and_delete(store: Store) -> None:
    _fill(store, 2)
    for statement in (
        update(audit_log).values(actor="someone else"),
        audit_log.delete().where(audit_log.c.seq == 2),
    ):
        with pytest.raises(DBAPIError, match="append-only"), store.transaction() as conn:
            conn.execute(statement)
    with store.engine.connect() as conn:
        assert verify(conn).ok


def _set(seq: int, **values: object) -> Callable[[Connection], None]:
    def change(conn: Connection) -> None:
        conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(**values))

    return change


def _delete(*seqs: int) -> Callable[[Connection], None]:
    def change(conn: Connection) -> None:
        conn.execute(audit_log.delete().where(audit_log.c.seq.in_(seqs)))

    return change


def _row(conn: Connection, seq: int) -> dict[str, Any]:
    return dict(conn.execute(select(audit_log).where(audit_log.c.seq == seq)).mappings().one())


def _insert_in_middle(conn: Connection) -> None:
    """A forged entry slipped in after 3, with a valid hash of its own; later ones renumbered."""
    for seq in range(8, 3, -1):
        conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(seq=seq + 1))
    previous = _row(conn, 3)
    forged = {**previous, "seq": 4, "justification": "forged", "prev_hash": previous["hash"]}
    forged["hash"] = AuditEntry(**forged).computed_hash()  # a well-formed entry of its own
    conn.execute(audit_log.insert().values(**forged))
    conn.execute(update(audit_head).values(seq=9))


def _insert_at_end(conn: Connection) -> None:
    last = _row(conn, 8)
    conn.execute(audit_log.insert().values(**{**last, "seq": 9, "prev_hash": last["hash"]}))


def _reorder(conn: Connection) -> None:
    conn.execute(update(audit_log).where(audit_log.c.seq == 4).values(seq=-4))
    conn.execute(update(audit_log).where(audit_log.c.seq == 5).values(seq=4))
    conn.execute(update(audit_log).where(audit_log.c.seq == -4).values(seq=5))


TAMPERING: dict[str, tuple[Callable[[Connection], None], int]] = {
    "edit a justification": (_set(3, justification="routine check"), 3),
    "edit the actor": (_set(5, actor="someone else"), 5),
    "edit the time": (_set(2, at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)), 2),
    "edit a hash to match nothing": (_set(6, hash="f" * 64), 6),
    "delete an entry": (_delete(4), 4),
    "delete the first entry": (_delete(1), 1),
    "insert in the middle": (_insert_in_middle, 5),
    "insert at the end": (_insert_at_end, 9),
    "reorder two entries": (_reorder, 4),
    "truncate the tail": (_delete(7, 8), 7),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampering_is_detected_at_the_first_broken_entry(store: Store, case: str) -> None:
    _fill(store)
    change, first = TAMPERING[case]
    broken, problem = _tamper(store, change)
    assert broken == first, problem


def test_rewritten_tail_with_head_is_caught_by_an_external_checkpoint(store: Store) -> None:
    _fill(store)
    with store.engine.connect() as conn:
        kept = checkpoint(conn)
    with store.transaction() as conn:
        _unguard(conn)
        conn.execute(audit_log.delete().where(audit_log.c.seq >= 7))
        conn.execute(update(audit_head).values(seq=6, hash=_row(conn, 6)["hash"]))
    with store.engine.connect() as conn:
        assert verify(conn).ok  # consistent on its own …
        result = verify(conn, kept)  # … but not with what was kept outside
    assert not result.ok and result.first_broken == 7


def test_justification_is_required_for_a_persons_data(store: Store) -> None:
    with store.transaction() as conn:
        for blank in (None, "", "   "):
            with pytest.raises(JustificationRequired):
                append(
                    conn, ANALYST, Event("consultation", {"records": ["x"]}, blank, personal=True)
                )
        append(conn, ANALYST, Event("consultation", {"query": "count"}))  # no person: fine
        append(conn, ANALYST, Event("collection", {"batch": 1}, personal=True))  # not asked
    with store.engine.connect() as conn:
        assert verify(conn).entries == 2


def test_concurrent_appends_do_not_fork_the_chain(store: Store) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                with store.transaction() as conn:
                    append(conn, f"worker-{n}", Event("consultation", {"query": f"{n}-{i}"}))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.engine.connect() as conn:
        result = verify(conn)
        seqs = list(conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq)).scalars())
    assert result.ok, result.problem
    assert seqs == list(range(1, 41))


def test_a_held_head_makes_the_second_writer_wait(store: Store) -> None:
    """Two transactions open at once: the second append waits for the first to commit."""
    order: list[str] = []
    with store.transaction() as first:
        append(first, "first", Event("consultation", {"query": "a"}))

        def second() -> None:
            with store.transaction() as conn:
                append(conn, "second", Event("consultation", {"query": "b"}))
            order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        order.append("first")
    thread.join()
    assert order == ["first", "second"]
    with store.engine.connect() as conn:
        assert verify(conn).ok
        actors = list(conn.execute(select(audit_log.c.actor).order_by(audit_log.c.seq)).scalars())
    assert actors == ["first", "second"]


def _admin(store: Store) -> Subject:
    with store.transaction() as conn:
        make_agency(conn, "ops", "police")
        return make_user(conn, "admin", "ops", ["administrator"])


def test_export_verifies_on_its_own_and_catches_edits(store: Store) -> None:
    _fill(store)
    admin = _admin(store)
    out = io.StringIO()
    with store.transaction() as conn:
        head = export_jsonl(
            conn, admin, out, recipient="supervisory-authority", justification="req 7"
        )
    lines = out.getvalue().splitlines()
    assert len(lines) == head.seq + 1
    assert verify_export(lines).ok
    edited = lines.copy()
    edited[2] = edited[2].replace("case 2026/", "case 2027/")
    assert verify_export(edited).first_broken == 3
    assert verify_export(lines[:-3] + lines[-1:]).first_broken == head.seq - 1
    with store.engine.connect() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).mappings().first()
    assert last is not None and last["action"] == "disclosure"
    assert last["recipients"] == canonical(["supervisory-authority"])


def test_search_by_actor_action_target_and_time(store: Store) -> None:
    _fill(store)
    admin = _admin(store)
    since = dt.datetime(2026, 1, 1, 9, 0, 3, tzinfo=dt.UTC)
    until = dt.datetime(2026, 1, 1, 9, 0, 6, tzinfo=dt.UTC)
    with store.transaction() as conn:
        by_actor = search(conn, admin, AuditQuery(actor="ana"))
        by_target = search(conn, admin, AuditQuery(target=f"{5:032x}"))
        by_time = search(conn, admin, AuditQuery(action="consultation", since=since, until=until))
        by_action = search(conn, admin, AuditQuery(action="administration"))
    assert len(by_actor) == 8
    assert [e.seq for e in by_target] == [6]
    assert [e.seq for e in by_time] == [5, 4, 3]
    assert by_action == []
    with store.engine.connect() as conn:
        assert verify(conn).entries == 12  # each search was logged


def test_search_is_for_administrators(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "pol", "police")
        analyst = make_user(conn, "ana", "pol", ["analyst"])
        with pytest.raises(AccessDenied, match="may not audit_read"):
            search(conn, analyst, AuditQuery())
