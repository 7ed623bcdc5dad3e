"""A small police source written for search: namesakes, a company with its legal form, a Dutch
phone, Dutch and German plates and a Cyrillic name; imported, resolved, with the demo accounts,
on each backend (the ``store`` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.api.demo import ensure_demo_accounts
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.resolve import ResolveOptions, resolve
from crosslink.store import Store
from crosslink.store.sources import Source, add_source
from tests.conftest import DEMO_RULES
from tests.ingest.helpers import write_csv

MAPPING = """
name: test-search
format: csv
entities:
  person:
    type: Person
    key: [id]
    category: {column: rol}
    properties:
      last_name: {column: achternaam, required: true}
      first_name: {column: voornaam}
      birth_date: {column: geboortedatum}
      nationality: {column: nationaliteit}
      phone: {column: telefoon}
  company:
    type: Organisation
    key: [bedrijf]
    properties:
      name: {column: bedrijf, required: true}
  vehicle:
    type: Vehicle
    key: [kenteken]
    properties:
      registration: {column: kenteken, required: true, region_column: land}
      country: {column: land}
links:
  - {type: employed_by, source: person, target: company}
  - {type: uses, source: person, target: vehicle}
"""

HEADER = "id;achternaam;voornaam;geboortedatum;nationaliteit;rol;telefoon;bedrijf;kenteken;land"
ROWS = [
    "P1;Akar;Bayruhan;1990-03-12;Turks;verdachte;+31 6 12762449;Brese Clean BV;GK-192-F;NL",
    "P2;AKAR;Bayruhan;12/03/1990;Turks;verdachte;+31 6 12762449;;;",
    "P3;Akar;Bayruhan;1990-03-12;Turks;verdachte;;;;",
    "P4;Akar;Selin;1975-06-01;Nederlands;getuige;;;AC-ZS 459;DE",
    "P5;Коваленко;Олена;1988-11-02;Oekraïens;verdachte;;;;",
    "P6;Janssens;Marc;1970-01-01;Belg;getuige;;;;",
]


def load_search_world(store: Store, folder: Path) -> None:
    with store.transaction() as conn:
        add_source(
            conn,
            Source(
                id="demo-be-police",
                agency="Federal Police",
                dataset="THB reports",
                jurisdiction="BE",
                handling_code="H1",
                source_grade="B",
                info_grade="2",
            ),
        )
        ensure_demo_accounts(conn, demo=True)
    path = write_csv(folder / "police.csv", [HEADER, *ROWS])
    mapping = parse_mapping(MAPPING, "test-search.yaml")
    with store.transaction() as conn:
        summary = import_file(
            conn, ImportRequest(path=path, mapping=mapping, source_id="demo-be-police")
        )
    assert summary.rows_rejected == 0, summary
    with store.transaction() as conn:
        resolve(conn, ResolveOptions(started_by="test", rules=DEMO_RULES))


@pytest.fixture
def world(store: Store, tmp_path: Path) -> Store:
    load_search_world(store, tmp_path)
    return store
