"""Two installations in one test: a Belgian police store and a British one, each with its
administrator (the exchange desk) and analyst, their agency keys made and swapped.

Belgium holds three people in ``be-police`` (H3, with conditions: a suspect with a bank
account, a victim, a witness) and one suspect in ``be-secret`` (H2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from crosslink.access import Agency, NewUser, add_agency, add_user, assign_source, load_subject
from crosslink.access.policy import Subject
from crosslink.exchange import create_keys, import_partner_key, publish_key
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.store import Store
from crosslink.store.schema import all_tables, records
from crosslink.store.sources import Source, add_source
from tests.ingest.helpers import HEADER, POLICE_MAPPING, write_csv

PASSPHRASE = "a long and secret passphrase"
CONDITIONS = "for the investigation of smuggling networks only"
BE = Agency("be-fedpol", "Federal Judicial Police", "police", "BE")
GB = Agency("gb-nca", "National Crime Agency", "police", "GB")
NL = Agency("nl-police", "Politie", "police", "NL")
POLICE_ROWS = [
    "P1;Popescu;Ion;12/03/1990;Roemeens;verdachte;0470 12 34 56;BE71 0961 2345 6769;",
    "P2;El Amrani;Mohamed;1985;Marokkaans;slachtoffer;+32 487 65 43 21;;",
    "P3;Ivanova;Мария;1992-07-01;Bulgaars;getuige;;;",
]
SECRET_ROWS = ["S1;Dumitru;Vasile;1979-11-30;Roemeens;verdachte;;;"]


@dataclass
class Side:
    store: Store
    agency: Agency

    def subject(self, role: str) -> Subject:
        with self.store.engine.connect() as conn:
            return load_subject(conn, f"{self.agency.id}-{role}")

    def uid(self, key: str, schema: str = "Person") -> str:
        with self.store.engine.connect() as conn:
            return str(
                conn.execute(
                    select(records.c.uid).where(
                        records.c.source_key == key, records.c.schema == schema
                    )
                ).scalar_one()
            )


def make_side(store: Store, own: Agency, partners: list[Agency], *, keys: bool = True) -> Side:
    with store.transaction() as conn:
        for agency in (own, *partners):
            add_agency(conn, agency if agency is own else _foreign(agency))
        for role in ("admin", "analyst"):
            name = "administrator" if role == "admin" else "analyst"
            add_user(conn, NewUser(f"{own.id}-{role}", own.id, frozenset({name})))
    side = Side(store, own)
    if keys:
        with store.transaction() as conn:
            create_keys(conn, side.subject("admin"), PASSPHRASE)
    return side


def _foreign(agency: Agency) -> Agency:
    return Agency(agency.id, agency.name, "foreign_partner", agency.jurisdiction)


def swap_keys(one: Side, other: Side) -> None:
    for a, b in ((one, other), (other, one)):
        with a.store.engine.connect() as conn:
            published = publish_key(conn, a.agency.id, PASSPHRASE)
        with b.store.transaction() as conn:
            import_partner_key(conn, b.subject("admin"), published)


def load_belgian_files(side: Side, folder: Path) -> None:
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    admin = side.subject("admin")
    sources = (
        (
            Source(
                "be-police",
                "Police",
                "reports",
                "BE",
                handling_code="H3",
                handling_conditions=CONDITIONS,
            ),
            POLICE_ROWS,
        ),
        (Source("be-secret", "Police", "informants", "BE", handling_code="H2"), SECRET_ROWS),
    )
    for source, rows in sources:
        with side.store.transaction() as conn:
            add_source(conn, source)
            assign_source(conn, admin, source.id, side.agency.id)
        path = write_csv(folder / f"{source.id}.csv", [HEADER, *rows])
        with side.store.transaction() as conn:
            import_file(conn, ImportRequest(path=path, mapping=mapping, source_id=source.id))


def data_snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the audit log's: what a refusal must leave unchanged."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with store.engine.connect() as conn:
        for table in all_tables().sorted_tables:
            if table.name in ("audit_log", "audit_head"):
                continue
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out
