"""Reads per second with and without the audit log, same run, same store (SQLite).

A read-heavy loop: each read fetches one visible record's values through the policy filter;
"with audit" also writes the consultation entry (one chained append) in the same transaction.
Usage: .venv/bin/python benchmarks/bench_audit.py [--reads N] [--records N] [--url URL]
                                                  [--no-keeper]

The store's SQLite engine opens a connection per transaction (NullPool); when the last one
closes, SQLite checkpoints the WAL to the database file, which makes every *writing*
transaction pay a checkpoint. A long-lived service keeps connections open, so by default the
benchmark holds one idle "keeper" connection; ``--no-keeper`` shows the cost without it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from crosslink.access import Event, append, record_filter, verify
from crosslink.access.directory import Agency, NewUser, add_agency, add_user, load_subject
from crosslink.access.schema import source_agencies
from crosslink.store import Store
from crosslink.store.schema import batches, record_values, records, sources

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def build(store: Store, n: int) -> list[str]:
    with store.transaction() as conn:
        add_agency(conn, Agency("pol", "Police", "police", "BE"))
        add_user(conn, NewUser("ana", "pol", frozenset({"analyst"})))
        conn.execute(
            sources.insert().values(
                id="s",
                agency="Police",
                dataset="d",
                jurisdiction="BE",
                handling_code="H0",
                grading_system="europol",
                source_grade="B",
                info_grade="2",
                created_at=T0,
            )
        )
        conn.execute(source_agencies.insert().values(source_id="s", agency_id="pol"))
        conn.execute(
            batches.insert().values(
                id=1,
                source_id="s",
                file_name="f",
                file_sha256="0" * 64,
                file_size=1,
                mapping="m",
                mapping_sha256="0" * 64,
                imported_by="ana",
                started_at=T0,
                finished_at=T0,
                rows_read=n,
                rows_rejected=0,
                records_added=n,
                records_existing=0,
                links_added=0,
                warnings=0,
            )
        )
        uids = [f"{i:032x}" for i in range(n)]
        for start in range(0, n, 500):
            chunk = uids[start : start + 500]
            conn.execute(
                records.insert(),
                [
                    {
                        "uid": u,
                        "source_id": "s",
                        "batch_id": 1,
                        "schema": "Person",
                        "alias": "p",
                        "entity_key": u,
                        "content_hash": u,
                        "file_name": "f",
                        "row_number": i,
                        "handling_code": "H0",
                        "source_grade": "B",
                        "info_grade": "2",
                        "person_category": "suspect",
                        "created_at": T0,
                    }
                    for i, u in enumerate(chunk)
                ],
            )
            conn.execute(
                record_values.insert(),
                [
                    {"record_uid": u, "prop": "name", "idx": 0, "original": f"Person {u[-6:]}"}
                    for u in chunk
                ],
            )
    return uids


def loop(store: Store, uids: list[str], reads: int, audited: bool) -> float:
    with store.transaction() as conn:
        subject = load_subject(conn, "ana")
    visible = record_filter(subject, "view")
    rng = random.Random(7)
    started = time.perf_counter()
    for _ in range(reads):
        uid = rng.choice(uids)
        with store.transaction() as conn:
            rows = conn.execute(
                select(record_values.c.original)
                .join(records, records.c.uid == record_values.c.record_uid)
                .where(records.c.uid == uid, visible)
            ).all()
            assert rows
            if audited:
                event = Event("consultation", {"records": [uid]}, "bench", personal=True)
                append(conn, subject, event)
    return reads / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reads", type=int, default=3000)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--url", default="")
    parser.add_argument("--no-keeper", action="store_true", help="No idle keeper connection.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = Store.from_url(url)
        store.migrate()
        uids = build(store, args.records)
        keeper = None if args.no_keeper else store.engine.connect()
        loop(store, uids, 200, audited=False)  # warm up
        plain = loop(store, uids, args.reads, audited=False)
        audited = loop(store, uids, args.reads, audited=True)
        if keeper is not None:
            keeper.close()
        with store.engine.connect() as conn:
            result = verify(conn)
        store.dispose()
    backend = url.split(":", 1)[0]
    keeper_note = "no keeper connection" if args.no_keeper else "one idle keeper connection"
    print(f"backend {backend}, {args.records} records, {args.reads} reads per run, {keeper_note}")
    print(f"without audit log: {plain:,.0f} reads/s")
    print(f"with audit log:    {audited:,.0f} reads/s ({audited / plain:.0%} of the plain rate)")
    print(f"chain verified: {result.ok}, {result.entries} entries")


if __name__ == "__main__":
    main()
