"""Building small worlds for access tests: agencies, users, sources, batches, records."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from crosslink.access import Agency, NewUser, Subject, add_agency, add_user, load_subject
from crosslink.access.schema import source_agencies
from crosslink.store.schema import batches, records, sources

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
H3_CONDITIONS = "Do not contact the person; ask the provider before any action."


def uid_of(*parts: object) -> str:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def make_agency(conn: Connection, agency_id: str, kind: str, name: str | None = None) -> Agency:
    return add_agency(conn, Agency(agency_id, name or agency_id.upper(), kind, "BE"))


def make_user(
    conn: Connection,
    username: str,
    agency_id: str,
    roles: Sequence[str],
    password: str | None = None,
) -> Subject:
    add_user(conn, NewUser(username, agency_id, frozenset(roles), password))
    return load_subject(conn, username)


def make_source(conn: Connection, source_id: str, agency_id: str | None) -> None:
    conn.execute(
        sources.insert().values(
            id=source_id,
            agency=agency_id or "unknown",
            dataset="test",
            jurisdiction="BE",
            default_region="BE",
            handling_code="H0",
            grading_system="europol",
            source_grade="B",
            info_grade="2",
            created_at=T0,
        )
    )
    if agency_id is not None:
        conn.execute(source_agencies.insert().values(source_id=source_id, agency_id=agency_id))


def make_batch(conn: Connection, source_id: str, imported_by: str) -> int:
    inserted = conn.execute(
        batches.insert().values(
            source_id=source_id,
            file_name=f"{source_id}.csv",
            file_sha256=uid_of(source_id) * 2,
            file_size=1,
            mapping="test",
            mapping_sha256=uid_of("m") * 2,
            imported_by=imported_by,
            started_at=T0,
            finished_at=T0,
            rows_read=0,
            rows_rejected=0,
            records_added=0,
            records_existing=0,
            links_added=0,
            warnings=0,
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


@dataclass(frozen=True)
class RecordSpec:
    uid: str
    source_id: str
    batch_id: int
    handling_code: str = "H0"
    person_category: str | None = "suspect"
    row_number: int = 2
    created_at: dt.datetime = T0


def record_row(spec: RecordSpec) -> dict[str, object]:
    return {
        "uid": spec.uid,
        "source_id": spec.source_id,
        "batch_id": spec.batch_id,
        "schema": "Person" if spec.person_category else "Phone",
        "alias": "person" if spec.person_category else "phone",
        "entity_key": uid_of("key", spec.uid),
        "content_hash": uid_of("content", spec.uid),
        "file_name": f"{spec.source_id}.csv",
        "row_number": spec.row_number,
        "handling_code": spec.handling_code,
        "handling_conditions": H3_CONDITIONS if spec.handling_code == "H3" else None,
        "source_grade": "B",
        "info_grade": "2",
        "person_category": spec.person_category,
        "created_at": spec.created_at,
    }


def insert_records(conn: Connection, specs: Sequence[RecordSpec]) -> None:
    rows = [record_row(s) for s in specs]
    for start in range(0, len(rows), 500):
        conn.execute(records.insert(), rows[start : start + 500])
