"""Importing CSV files: provenance, cleaning, rejections, idempotence — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from crosslink.errors import BatchRejected, MappingError, ReaderError
from crosslink.ingest import Mapping
from crosslink.store import Store
from crosslink.store.schema import batches, links, record_values, records, rejections
from crosslink.store.sources import Source
from tests.ingest.helpers import GOOD_ROWS, HEADER, run_import, snapshot, write_csv


def _values(store: Store, prop: str) -> list[tuple[str, str | None]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(record_values.c.original, record_values.c.cleaned).where(
                record_values.c.prop == prop
            )
        ).all()
    return sorted((r[0], r[1]) for r in rows)


def test_rows_become_records_with_provenance(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS])
    summary = run_import(store, path, police_mapping)
    assert (summary.rows_read, summary.rows_rejected) == (3, 0)
    # 3 persons, 2 phones, 1 bank account
    assert summary.records_added == 6
    assert summary.links_added == 3
    with store.engine.connect() as conn:
        persons = (
            conn.execute(
                select(records).where(records.c.schema == "Person").order_by(records.c.row_number)
            )
            .mappings()
            .all()
        )
    assert [p["row_number"] for p in persons] == [2, 3, 4]
    assert [p["person_category"] for p in persons] == ["suspect", "victim", "other"]
    assert {p["file_name"] for p in persons} == {"pv.csv"}
    assert {(p["handling_code"], p["source_grade"], p["info_grade"]) for p in persons} == {
        ("H1", "B", "2")
    }
    assert _values(store, "number") == [
        ("+32 487 65 43 21", "+32487654321"),
        ("0470 12 34 56", "+32470123456"),
    ]
    assert ("12/03/1990", "1990-03-12") in _values(store, "birth_date")
    assert ("Roemeens", "RO") in _values(store, "nationality")
    # The original script is kept: the Cyrillic given name is stored as written.
    assert ("Мария", "Мария") in _values(store, "first_name")


def test_same_file_twice_adds_nothing(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS])
    first = run_import(store, path, police_mapping)
    before = snapshot(store)
    again = run_import(store, path, police_mapping)
    assert again.duplicate_of == first.batch_id
    assert snapshot(store) == before
    # The same rows in another file (renamed, re-ordered) are recognised record by record.
    other = write_csv(tmp_path / "copy.csv", [HEADER, *reversed(GOOD_ROWS)])
    third = run_import(store, other, police_mapping)
    assert third.records_added == 0
    assert third.links_added == 0
    assert third.records_existing == 6


def test_bad_values_are_reported_with_row_column_and_reason(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        "P1;Popescu;Ion;31/02/1990;Roemeens;verdachte;0470 12 34 56;;",  # impossible date
        "P2;;Ana;1990;Roemeens;slachtoffer;;;",  # required last name missing
        "P3;Dimitrov;Georgi;1980;Bulgaars;verdachte;12;;",  # phone no one can dial
        "P4;Nagy;Laszlo;1970;Hongaars;verdachte;;BE00 0000 0000 0000;",  # IBAN checksum
        "P5;Peeters;Jan;1975;Belg;schurk;;;",  # not a legal category
    ]
    summary = run_import(store, write_csv(tmp_path / "bad.csv", rows), police_mapping)
    found = {(i.row, i.column, i.severity) for i in summary.issues}
    assert (2, "geboortedatum", "warning") in found  # optional: kept as given
    assert (3, "achternaam", "error") in found
    assert (4, "telefoon", "error") in found  # the Phone entity requires a valid number
    assert (5, "iban", "error") in found
    assert (6, "rol", "error") in found
    assert summary.rows_rejected == 4
    assert all(i.reason for i in summary.issues)
    # The row with a bad optional date is imported, its date kept uncleaned.
    assert ("31/02/1990", None) in _values(store, "birth_date")
    with store.engine.connect() as conn:
        stored = conn.execute(
            select(rejections.c.row_number, rejections.c.raw).where(
                rejections.c.severity == "error"
            )
        ).all()
    assert {r[0] for r in stored} == {3, 4, 5, 6}
    # A rejected row is kept whole, so nothing the partner sent is lost.
    assert all(r[1] and "persoon_id" in r[1] for r in stored)


def test_ragged_rows_are_rejected_and_the_rest_imported(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    rows = [HEADER, GOOD_ROWS[0], "P9;Short;Row", GOOD_ROWS[1] + ";extra;cells"]
    summary = run_import(store, write_csv(tmp_path / "ragged.csv", rows), police_mapping)
    reasons = {i.row: i.reason for i in summary.issues}
    assert reasons[3] == "row has 3 cells, the header has 9"
    assert reasons[4] == "row has 11 cells, the header has 9"
    assert summary.rows_rejected == 2
    assert summary.records_added == 3  # person, phone, bank account of row 2


def test_strict_import_with_a_bad_row_writes_nothing(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    before = snapshot(store)
    rows = [HEADER, *GOOD_ROWS, "P9;;x;;;verdachte;;;"]
    with pytest.raises(BatchRejected, match="1 of 4 rows rejected"):
        run_import(store, write_csv(tmp_path / "s.csv", rows), police_mapping, strict=True)
    assert snapshot(store) == before


def test_missing_column_is_a_mapping_error_and_writes_nothing(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    before = snapshot(store)
    header = HEADER.replace(";iban", "")
    rows = [header, "P1;Popescu;Ion;1990;RO;verdachte;0470123456;"]
    with pytest.raises(MappingError, match="'iban' missing from the header"):
        run_import(store, write_csv(tmp_path / "m.csv", rows), police_mapping)
    assert snapshot(store) == before


def test_unknown_columns_are_listed(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    rows = [HEADER + ";schoenmaat", GOOD_ROWS[0] + ";44"]
    summary = run_import(store, write_csv(tmp_path / "u.csv", rows), police_mapping)
    assert summary.unknown_columns == ["schoenmaat"]
    assert summary.rows_rejected == 0


def test_encodings_and_delimiters(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    latin = [HEADER.replace(";", ","), "P1,Lefèvre,Séverine,1990,Française,victime,,,"]
    run_import(store, write_csv(tmp_path / "cp.csv", latin, "cp1252"), police_mapping)
    bom = [HEADER.replace(";", "\t"), "P2\tMüller\tJürgen\t1970\tDuits\tverdachte\t\t\t"]
    run_import(store, write_csv(tmp_path / "bom.csv", bom, "utf-8-sig"), police_mapping)
    names = [v[0] for v in _values(store, "last_name")]
    assert names == ["Lefèvre", "Müller"]


def test_declared_encoding_that_does_not_fit_names_the_row(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    mapping = police_mapping.model_copy(update={"encoding": "utf-8"})
    rows = [HEADER, GOOD_ROWS[0], "P7;Lefèvre;Séverine;1990;FR;victime;;;"]
    path = write_csv(tmp_path / "enc.csv", rows, "cp1252")
    with pytest.raises(ReaderError, match=r"enc.csv, row 3: cannot decode as utf-8"):
        run_import(store, path, mapping)


def test_empty_file_is_an_error(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ReaderError, match="empty.csv: the file is empty"):
        run_import(store, path, police_mapping)


def test_formula_cells_are_kept_as_text(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    rows = [HEADER, 'P1;"=HYPERLINK(""http://x.test"";""klik"")";@SUM(A1);1990;BE;verdachte;;;']
    summary = run_import(store, write_csv(tmp_path / "f.csv", rows), police_mapping)
    assert summary.rows_rejected == 0
    originals = {v[0] for v in _values(store, "last_name")} | {
        v[0] for v in _values(store, "first_name")
    }
    assert originals == {'=HYPERLINK("http://x.test";"klik")', "@SUM(A1)"}


def test_batch_counts_are_recorded(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS, "P9;;x;;;verdachte;;;"])
    summary = run_import(store, path, police_mapping, chunk_size=2)
    with store.engine.connect() as conn:
        batch = conn.execute(select(batches)).mappings().one()
        n_links = conn.execute(select(func.count()).select_from(links)).scalar()
    assert batch["rows_read"] == 4
    assert batch["rows_rejected"] == 1
    assert batch["records_added"] == summary.records_added == 6
    assert batch["links_added"] == n_links == 3
    assert batch["file_sha256"] and batch["mapping"] == "test-police"
