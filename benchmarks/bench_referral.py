"""Referral cases at scale: the desk's "due and overdue for my agency", one case page, and
transitions per second, on SQLite (default) or PostgreSQL (``--postgres``: a throwaway server).

N referrals (default 100,000) are written in bulk, each with an intake record, two steps, two
documents and a running clock, spread over three Belgian centres; then, through the library
(policy and audit log included), each case is timed ``--runs`` times.
Usage: .venv/bin/python benchmarks/bench_referral.py [--referrals N] [--runs N] [--postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from _machine import reference_seconds
from sqlalchemy import Connection, select

from crosslink.access.directory import Agency, NewUser, add_agency, add_user, load_subject
from crosslink.access.policy import Subject
from crosslink.access.schema import source_agencies
from crosslink.clock import FixedClock
from crosslink.referral import Move, due_clocks, move, show_referral
from crosslink.referral.schema import referral_clocks, referral_documents, referral_steps, referrals
from crosslink.store import Store
from crosslink.store.pgserver import TemporaryPostgres
from crosslink.store.schema import batches, records, sources

T0 = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
CENTRES = ("payoke", "pag-asa", "surya")
CHUNK = 5000
SPREAD_HOURS = 3 * 365 * 24
"""Referrals were opened over three years; those whose reflection period ended more than a
month before "now" have moved on (their clock stopped), as on a desk that is kept."""
NOW = T0 + dt.timedelta(hours=SPREAD_HOURS)


def _setup(store: Store) -> dict[str, Subject]:
    users = {}
    with store.transaction() as conn:
        for c in CENTRES:
            add_agency(conn, Agency(c, c, "reception_centre", "BE"))
            add_user(conn, NewUser(f"cw-{c}", c, frozenset({"caseworker"})))
            conn.execute(
                sources.insert().values(
                    id=c, agency=c, dataset="intake", jurisdiction="BE", handling_code="H0",
                    grading_system="europol", source_grade="B", info_grade="2", created_at=T0,
                )
            )  # fmt: skip
            conn.execute(source_agencies.insert().values(source_id=c, agency_id=c))
            conn.execute(
                batches.insert().values(
                    source_id=c, file_name="f", file_sha256="0" * 64, file_size=1, mapping="m",
                    mapping_sha256="0" * 64, imported_by="b", started_at=T0, finished_at=T0,
                    rows_read=0, rows_rejected=0, records_added=0, records_existing=0,
                    links_added=0, warnings=0,
                )
            )  # fmt: skip
        for c in CENTRES:
            users[c] = load_subject(conn, f"cw-{c}")
    return users


def _rows(i: int, centre: str, batch: int, user_id: int) -> tuple[dict[str, object], ...]:
    uid = f"{i:032x}"
    opened = T0 + dt.timedelta(hours=i % SPREAD_HOURS)
    record = {
        "uid": uid, "source_id": centre, "batch_id": batch, "schema": "Person",
        "alias": "person", "entity_key": uid, "content_hash": uid, "file_name": "f",
        "row_number": i + 2, "handling_code": "H0", "source_grade": "B", "info_grade": "2",
        "person_category": "victim", "created_at": T0,
    }  # fmt: skip
    referral = {
        "id": i + 1, "jurisdiction": "BE", "procedure_version": "2016-circular.1",
        "state": "reflection", "record_uid": uid, "agency_id": centre,
        "caseworker_id": user_id, "destination": centre, "minor": False,
        "identified_by": centre, "opened_at": opened,
    }  # fmt: skip
    return record, referral


def build(store: Store, n: int, users: dict[str, Subject]) -> None:
    """N referrals in reflection, each with its history, documents and clock (bulk)."""
    rows: dict[str, list[dict[str, object]]] = {"r": [], "f": [], "s": [], "d": [], "c": []}
    for i in range(n):
        centre = CENTRES[i % 3]
        record, referral = _rows(i, centre, i % 3 + 1, users[centre].user_id or 0)
        rows["r"].append(record)
        rows["f"].append(referral)
        at = referral["opened_at"]
        assert isinstance(at, dt.datetime)
        for k, (t, a, b) in enumerate(
            (("open", None, "intake"), ("accept", "intake", "reflection"))
        ):
            rows["s"].append(
                {"id": 2 * i + k + 1, "referral_id": i + 1, "transition": t, "from_state": a,
                 "to_state": b, "procedure_version": "2016-circular.1", "actor": f"cw-{centre}",
                 "agency_id": centre, "at": at}
            )  # fmt: skip
        for kind in ("left_environment", "support_accepted"):
            rows["d"].append({"referral_id": i + 1, "step_id": 2 * i + 2, "kind": kind,
                              "reference": f"form {i}"})  # fmt: skip
        due_on = at.date() + dt.timedelta(days=45)
        stopped = NOW if due_on < NOW.date() - dt.timedelta(days=30) else None
        rows["c"].append(
            {"referral_id": i + 1, "clock_id": "reflection_period", "state": "reflection",
             "owner_role": "caseworker", "kind": "deadline", "started_on": at.date(),
             "due_on": due_on, "stopped_at": stopped}
        )  # fmt: skip
    for key, table in (("r", records), ("f", referrals), ("s", referral_steps),
                       ("d", referral_documents), ("c", referral_clocks)):  # fmt: skip
        with store.transaction() as conn:
            for start in range(0, len(rows[key]), CHUNK):
                conn.execute(table.insert(), rows[key][start : start + CHUNK])
    if store.engine.dialect.name == "postgresql":  # ids were given: move the sequences on
        with store.transaction() as conn:
            for statement in (
                "SELECT setval(pg_get_serial_sequence('referrals', 'id'), "
                "(SELECT max(id) FROM referrals))",
                "SELECT setval(pg_get_serial_sequence('referral_steps', 'id'), "
                "(SELECT max(id) FROM referral_steps))",
            ):
                conn.exec_driver_sql(statement)


def p95(samples: list[float]) -> str:
    """Median and 95th percentile in ms."""
    median = statistics.median(samples) * 1000
    return f"p50 {median:.1f} ms, p95 {statistics.quantiles(samples, n=20)[-1] * 1000:.1f} ms"


def timed(store: Store, runs: int, work: Callable[[Connection, int], object]) -> list[float]:
    """Seconds per run, each run one transaction (committed, audit entry included), after one
    untimed run that warms the caches."""
    with store.transaction() as conn:
        work(conn, runs)
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        with store.transaction() as conn:
            work(conn, i)
        samples.append(time.perf_counter() - started)
    return samples


@contextmanager
def opened_store(postgres: bool) -> Iterator[Store]:
    if postgres:
        with TemporaryPostgres() as pg:
            store = Store.from_url(pg.url())  # the server is thrown away after
            yield store
            store.dispose()
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.from_url(f"sqlite:///{Path(tmp) / 'bench.db'}")
        yield store
        store.dispose()


def run(store: Store, n: int, runs: int) -> None:
    """SQLite: one idle keeper connection, as a running service has (see bench_audit.py)."""
    store.migrate()
    keeper = store.engine.connect()
    users = _setup(store)
    started = time.perf_counter()
    build(store, n, users)
    print(f"built {n:,} referrals in {time.perf_counter() - started:.1f} s")
    clock = FixedClock(NOW)
    me = users["payoke"]
    with store.engine.connect() as conn:
        running = select(referral_clocks.c.referral_id).where(
            referral_clocks.c.stopped_at.is_(None)
        )
        mine = sorted(set(conn.execute(running).scalars()) & set(range(1, n + 1, 3)))
    rng = random.Random(7)

    def due(conn: Connection, _: int) -> None:
        due_clocks(conn, me, scope="agency", within_days=7, clock=clock)

    def page(conn: Connection, _: int) -> None:
        show_referral(conn, me, rng.choice(mine), justification="bench", clock=clock)

    docs = {"statement": "PV", "phase2_document": "OE"}

    def step(conn: Connection, i: int) -> None:
        move(conn, me, mine[i], Move("statement", docs), clock=clock)

    with store.transaction() as conn:
        found = due_clocks(conn, me, scope="agency", within_days=7, clock=clock)
    print(f"due and overdue for payoke: {len(found):,} clocks")
    print(f"due/overdue for my agency: {p95(timed(store, runs, due))}")
    print(f"case page:                 {p95(timed(store, runs, page))}")
    moves = min(len(mine), runs * 10) - 1  # the warm-up takes one more
    samples = timed(store, moves, step)
    print(f"transitions: {moves / sum(samples):,.0f} per second (one transaction each)")
    keeper.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(f"reference loop: {reference_seconds():.2f} s")
    with opened_store(args.postgres) as store:
        print(f"backend {store.engine.url.get_backend_name()}")
        run(store, args.referrals, args.runs)
    print(f"reference loop: {reference_seconds():.2f} s")


if __name__ == "__main__":
    main()
