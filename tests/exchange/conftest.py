"""A small world of two partners' person files, imported by a mapping and resolved, on each
store backend: the police's P1 and the inspection's I-7 are one man (same name, date of
birth and phone); the others stand alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

from crosslink.access import AuditEntry, assign_source, load_subject
from crosslink.access.schema import audit_log
from crosslink.api.demo import ensure_demo_accounts
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.resolve import ResolveOptions, resolve
from crosslink.resolve.schema import entity_members
from crosslink.store import Store
from crosslink.store.schema import records
from crosslink.store.sources import Source, add_source
from tests.conftest import DEMO_RULES
from tests.ingest.helpers import HEADER, POLICE_MAPPING, write_csv

POLICE_ROWS = [
    "P1;Popescu;Ion;12/03/1990;Roemeens;verdachte;0470 12 34 56;;",
    "P2;El Amrani;Mohamed;1985;Marokkaans;verdachte;+32 487 65 43 21;;",
    '"=1+2";Ivanova;Maria;1992-07-01;Bulgaars;getuige;;;',
]
INSPECTION_ROWS = [
    "I-7;Popescu;Ion;12/03/1990;Roemeens;verdachte;0470 12 34 56;;",
    "I-8;Kowalski;Jan;1970-01-02;Pools;getuige;;;",
]


@dataclass
class World:
    store: Store
    uids: dict[str, str]
    """Person record uid by the source's key."""

    def entity_of(self, key: str) -> str:
        with self.store.engine.connect() as conn:
            found = conn.execute(
                select(entity_members.c.entity_id).where(
                    entity_members.c.record_uid == self.uids[key]
                )
            ).scalar_one()
        return str(found)

    def last_entry(self) -> AuditEntry:
        with self.store.engine.connect() as conn:
            return last_entry(conn)


def last_entry(conn: Connection) -> AuditEntry:
    """The audit log's newest entry."""
    row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    return AuditEntry(**row._mapping)


def build_world(store: Store, folder: Path) -> World:
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    with store.transaction() as conn:
        for source_id, agency in (("be-police", "Police"), ("be-inspection", "Inspection")):
            add_source(conn, Source(source_id, agency, "persons", "BE", handling_code="H1"))
        ensure_demo_accounts(conn, demo=True)
        admin = load_subject(conn, "admin")
        assign_source(conn, admin, "be-police", "be-police")
        assign_source(conn, admin, "be-inspection", "be-inspection")
    for source_id, rows in (("be-police", POLICE_ROWS), ("be-inspection", INSPECTION_ROWS)):
        path = write_csv(folder / f"{source_id}.csv", [HEADER, *rows])
        with store.transaction() as conn:
            import_file(conn, ImportRequest(path=path, mapping=mapping, source_id=source_id))
    with store.transaction() as conn:
        resolve(conn, ResolveOptions(entity_types=("Person",), started_by="test", rules=DEMO_RULES))
    with store.engine.connect() as conn:
        uids = {
            str(key): str(uid)
            for uid, key in conn.execute(
                select(records.c.uid, records.c.source_key).where(records.c.schema == "Person")
            )
        }
    return World(store, uids)


@pytest.fixture
def world(store: Store, tmp_path: Path) -> World:
    return build_world(store, tmp_path)
