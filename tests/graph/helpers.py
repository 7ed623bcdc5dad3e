"""Helpers for network tests: entity membership straight from the demo world's ground truth.

Assigning membership from the truth isolates the network from resolution quality: a test of
the graph then fails only for the graph's own faults.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Connection, insert, select

from crosslink.resolve.schema import entities, entity_members, resolve_runs
from crosslink.store.schema import records

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def entity_id(true_id: str) -> str:
    return "E" + hashlib.blake2b(true_id.encode(), digest_size=8).hexdigest()[:15]


def truth_of_records(conn: Connection, truth_dir: Path) -> dict[str, str]:
    """Record uid -> true id (``P…``, ``C…``, ``A…``, ``V…``) for every record the truth names."""
    with (truth_dir / "records.csv").open(encoding="utf-8", newline="") as handle:
        truth = {
            (r["file"], int(r["row"]), r["alias"], r["entity_type"]): r["true_id"]
            for r in csv.DictReader(handle)
        }
    rows = conn.execute(
        select(
            records.c.uid,
            records.c.file_name,
            records.c.row_number,
            records.c.alias,
            records.c.schema,
        )
    )
    found: dict[str, str] = {}
    for uid, file, row, alias, schema in rows:
        true_id = truth.get((file, row, alias, schema))
        if true_id:
            found[uid] = true_id
    return found


def assign_truth_membership(conn: Connection, truth_dir: Path) -> dict[str, str]:
    """Write ``entities``/``entity_members`` from the truth; returns entity id -> true id."""
    by_record = truth_of_records(conn, truth_dir)
    schema_of = dict(conn.execute(select(records.c.uid, records.c.schema)).all())
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for uid, true_id in by_record.items():
        groups[(schema_of[uid], true_id)].append(uid)
    run = conn.execute(
        insert(resolve_runs).values(
            entity_type="all",
            backend="truth",
            threshold=1.0,
            started_at=T0,
            finished_at=T0,
            records=len(by_record),
            pairs=0,
            entities=len(groups),
            training="truth",
            model="{}",
            started_by="test",
        )
    ).inserted_primary_key
    assert run is not None
    made: dict[str, str] = {}
    entity_rows: list[dict[str, object]] = []
    member_rows: list[dict[str, object]] = []
    for (schema, true_id), uids in sorted(groups.items()):
        eid = entity_id(f"{schema}:{true_id}")
        made[eid] = true_id
        entity_rows.append(
            {
                "id": eid,
                "entity_type": schema,
                "status": "active",
                "size": len(uids),
                "created_run": run[0],
                "updated_run": run[0],
            }
        )
        member_rows.extend(
            {"record_uid": uid, "entity_id": eid, "entity_type": schema} for uid in uids
        )
    if entity_rows:
        conn.execute(insert(entities), entity_rows)
        conn.execute(insert(entity_members), member_rows)
    return made
