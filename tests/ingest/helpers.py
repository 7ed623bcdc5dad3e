"""Helpers for import tests: a police mapping, CSV writing, store snapshots."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, select

from crosslink.ingest import ImportRequest, ImportSummary, Mapping, import_file
from crosslink.store import Store
from crosslink.store.schema import all_tables

POLICE_MAPPING = """
name: test-police
description: Police reports, one row per person named (Dutch headers)
format: csv
ignore_columns: [opmerking]
entities:
  person:
    type: Person
    key: [persoon_id]
    category: {column: rol}
    properties:
      last_name: {column: achternaam, required: true}
      first_name: {column: voornaam}
      birth_date: {column: geboortedatum}
      nationality: {column: nationaliteit}
      phone: {column: telefoon, split: ";"}
  phone:
    type: Phone
    properties:
      number: {column: telefoon, split: ";", required: true}
  account:
    type: BankAccount
    properties:
      iban: {column: iban, required: true}
links:
  - {type: uses, source: person, target: phone}
  - {type: uses, source: person, target: account}
"""

HEADER = "persoon_id;achternaam;voornaam;geboortedatum;nationaliteit;rol;telefoon;iban;opmerking"
GOOD_ROWS = [
    "P1;Popescu;Ion;12/03/1990;Roemeens;verdachte;0470 12 34 56;BE71 0961 2345 6769;",
    "P2;El Amrani;Mohamed;1985;Marokkaans;slachtoffer;+32 487 65 43 21;;",
    "P3;Ivanova;Мария;1992-07;Bulgaars;getuige;;;",
]


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run_import(
    store: Store, path: Path, mapping: Mapping, *, strict: bool = False, chunk_size: int = 100
) -> ImportSummary:
    request = ImportRequest(
        path=path, mapping=mapping, source_id="be-police", strict=strict, chunk_size=chunk_size
    )
    with store.transaction() as conn:
        return import_file(conn, request)


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: two equal snapshots mean an unchanged store."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with store.engine.connect() as conn:
        for table in all_tables().sorted_tables:
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
        # The schema too: a large batch sets indexes aside, and they must come back.
        out["(indexes)"] = sorted(
            (table, str(index["name"]))
            for table in inspect(conn).get_table_names()
            for index in inspect(conn).get_indexes(table)
        )
    return out
