"""XLSX, JSON, JSON Lines and FollowTheMoney imports, and their malformed variants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from crosslink.errors import ReaderError
from crosslink.ingest import parse_mapping
from crosslink.store import Store
from crosslink.store.schema import links, record_values, records
from crosslink.store.sources import Source
from tests.ingest.helpers import run_import

INSPECTION = """
name: test-inspection
format: xlsx
sheet: {sheet}
entities:
  worker:
    type: Person
    category: {{value: victim}}
    properties:
      last_name: {{column: Nom, required: true}}
      first_name: {{column: Prénom}}
      birth_date: {{column: Date de naissance}}
  employer:
    type: Organisation
    key: [BCE]
    properties:
      name: {{column: Employeur}}
      registration_number: {{column: BCE}}
links:
  - {{type: employed_by, source: worker, target: employer, start_date: {{column: Depuis}}}}
"""

INTAKE = """
name: test-intake
format: {fmt}
entities:
  victim:
    type: Person
    key: [id]
    category: {{value: victim}}
    properties:
      name: {{column: person.name, required: true}}
      phone: {{column: phones}}
      nationality: {{column: person.nationality}}
"""


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    default = book.active
    assert default is not None
    book.remove(default)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _rows_of(store: Store, schema: str) -> int:
    with store.engine.connect() as conn:
        return len(conn.execute(select(records.c.uid).where(records.c.schema == schema)).all())


INSPECTION_ROWS: list[list[object]] = [
    ["Nom", "Prénom", "Date de naissance", "Employeur", "BCE", "Depuis"],
    ["Popa", "Vasile", "1988-05-02", "Clean Brux SRL", "0456.789.123", "2024-01-15"],
    ["Rusu", "Elena", None, "Clean Brux SRL", "0456.789.123", None],
]


def test_xlsx_with_the_sheet_named(store: Store, police_source: Source, tmp_path: Path) -> None:
    import datetime as dt

    rows = [list(r) for r in INSPECTION_ROWS]
    rows[1][2] = dt.datetime(1988, 5, 2)  # a real date cell, not text
    path = _workbook(tmp_path / "pv.xlsx", {"Info": [["notes"]], "Constats": rows})
    mapping = parse_mapping(INSPECTION.format(sheet="Constats"), "t.yaml")
    summary = run_import(store, path, mapping)
    assert (summary.rows_read, summary.rows_rejected) == (2, 0)
    assert _rows_of(store, "Person") == 2
    assert _rows_of(store, "Organisation") == 1  # same company, same key, same content
    with store.engine.connect() as conn:
        dates = (
            conn.execute(
                select(record_values.c.cleaned).where(record_values.c.prop == "birth_date")
            )
            .scalars()
            .all()
        )
        spans = conn.execute(select(links.c.link_type, links.c.start_date)).all()
    assert dates == ["1988-05-02"]
    assert sorted(spans, key=repr) == [("employed_by", "2024-01-15"), ("employed_by", None)]


def test_xlsx_with_several_sheets_and_none_named(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    path = _workbook(tmp_path / "two.xlsx", {"A": [["x"]], "B": [["y"]]})
    mapping = parse_mapping(INSPECTION.format(sheet="null"), "t.yaml")
    with pytest.raises(ReaderError, match=r"2 sheets \('A', 'B'\); name one"):
        run_import(store, path, mapping)


def test_not_a_workbook(store: Store, police_source: Source, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("Nom;Prénom\n", encoding="utf-8")
    mapping = parse_mapping(INSPECTION.format(sheet="null"), "t.yaml")
    with pytest.raises(ReaderError, match="not a readable XLSX workbook"):
        run_import(store, path, mapping)


def test_json_list_of_nested_objects(store: Store, police_source: Source, tmp_path: Path) -> None:
    items = [
        {
            "id": 1,
            "person": {"name": "Amina Yusuf", "nationality": "Nigeria"},
            "phones": ["+234 803 123 4567", "0470 11 22 33"],
        },
        {"id": 2, "person": {"name": None}},
        {"id": 3, "person": {"name": "Hoa Nguyen"}, "phones": [{"nested": True}]},
    ]
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    summary = run_import(store, path, parse_mapping(INTAKE.format(fmt="json"), "t.yaml"))
    reasons = {i.row: i.reason for i in summary.issues if i.severity == "error"}
    assert set(reasons) == {2, 3}
    assert reasons[2] == "the row has no value for any entity of the mapping"
    assert "nested lists or objects" in reasons[3]
    with store.engine.connect() as conn:
        phones = (
            conn.execute(select(record_values.c.cleaned).where(record_values.c.prop == "phone"))
            .scalars()
            .all()
        )
    assert sorted(phones) == ["+2348031234567", "+32470112233"]


def test_json_that_is_not_a_list(store: Store, police_source: Source, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": 1, "person": {"name": "X"}}), encoding="utf-8")
    with pytest.raises(ReaderError, match="the document is a dict, not a list of records"):
        run_import(store, path, parse_mapping(INTAKE.format(fmt="json"), "t.yaml"))
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(ReaderError, match="not valid JSON"):
        run_import(store, path, parse_mapping(INTAKE.format(fmt="json"), "t.yaml"))


def test_json_lines_with_a_broken_line(store: Store, police_source: Source, tmp_path: Path) -> None:
    path = tmp_path / "intake.jsonl"
    path.write_text(
        '{"id": 1, "person": {"name": "Amina Yusuf"}}\n{"id": 2, "person": \n'
        '[1, 2]\n{"id": 4, "person": {"name": "Hoa Nguyen"}}\n',
        encoding="utf-8",
    )
    summary = run_import(store, path, parse_mapping(INTAKE.format(fmt="jsonl"), "t.yaml"))
    reasons = {i.row: i.reason for i in summary.issues}
    assert reasons[2].startswith("not a JSON object")
    assert reasons[3] == "expected an object, found a list"
    assert _rows_of(store, "Person") == 2


FTM_MAPPING = """
name: test-ftm
format: ftm
entities:
  person:
    type: Person
    key: [id]
    when: {column: schema, in: [Person]}
    properties:
      name: {column: properties.name, required: true}
      birth_date: {column: properties.birthDate}
      nationality: {column: properties.nationality}
  company:
    type: Organisation
    key: [id]
    when: {column: schema, in: [Company, Organization]}
    properties:
      name: {column: properties.name, required: true}
      registration_number: {column: properties.registrationNumber}
links:
  - type: director_of
    when: {column: schema, in: [Directorship]}
    source: {ref: Person, key: [properties.director]}
    target: {ref: Organisation, key: [properties.organization]}
    start_date: {column: properties.startDate}
"""


def test_followthemoney_stream_with_relationships(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    entities = [
        # The relationship comes first: it is linked once its ends are known.
        {
            "id": "d1",
            "schema": "Directorship",
            "properties": {"director": ["p1"], "organization": ["c1"], "startDate": ["2021-04"]},
        },
        {
            "id": "p1",
            "schema": "Person",
            "properties": {
                "name": ["Arben Hoxha"],
                "birthDate": ["1979-11-30"],
                "nationality": ["al"],
            },
        },
        {
            "id": "c1",
            "schema": "Company",
            "properties": {"name": ["Hoxha Bouw BV"], "registrationNumber": ["81234567"]},
        },
        {"id": "x", "schema": "Persn", "properties": {}},
        {
            "id": "d2",
            "schema": "Directorship",
            "properties": {"director": ["nobody"], "organization": ["c1"]},
        },
    ]
    path = tmp_path / "nl-export.ftm.json"
    path.write_text("\n".join(json.dumps(e) for e in entities) + "\n", encoding="utf-8")
    summary = run_import(store, path, parse_mapping(FTM_MAPPING, "t.yaml"))
    reasons = {i.row: i.reason for i in summary.issues}
    assert reasons[4] == "unknown FtM schema 'Persn'"
    assert "no Person with that key" in reasons[5]
    with store.engine.connect() as conn:
        made = conn.execute(select(links.c.link_type, links.c.start_date, links.c.row_number)).all()
    assert made == [("director_of", "2021-04", 1)]


REGIONS = """
name: test-regions
format: csv
entities:
  address:
    type: Address
    properties:
      street: {column: straat}
      postcode: {column: postcode, region_column: land}
      country: {column: land}
"""


def test_a_rows_own_country_reads_its_postcode(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    path = tmp_path / "addresses.csv"
    path.write_text(
        "straat;postcode;land\nKerkstraat 1;3511ap;Nederland\nRue Haute 2;1000;\n"
        "High Street 3;sw1a1aa;UK\nHauptstr. 4;3511 AP;DE\n",
        encoding="utf-8",
    )
    summary = run_import(store, path, parse_mapping(REGIONS, "t.yaml"))
    with store.engine.connect() as conn:
        codes = conn.execute(
            select(record_values.c.original, record_values.c.cleaned).where(
                record_values.c.prop == "postcode"
            )
        ).all()
    assert sorted(codes, key=repr) == sorted(
        [("3511ap", "3511 AP"), ("1000", "1000"), ("sw1a1aa", "SW1A 1AA"), ("3511 AP", None)],
        key=repr,
    )
    # A Dutch postcode in a German row is wrong, and said so.
    assert [(i.row, i.severity) for i in summary.issues] == [(5, "warning")]
