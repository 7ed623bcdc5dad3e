"""Hostile partner files through the importer and the CLI: each one is refused with a clear
message naming the file (and row), and the store is left as it was."""

from __future__ import annotations

import json
import random
import resource
from pathlib import Path

import pytest

from crosslink.cli import main
from crosslink.errors import ReaderError
from crosslink.ingest import ImportRequest, ImportSummary, Mapping, import_file, parse_mapping
from crosslink.ingest.limits import InputLimits
from crosslink.store import Store
from crosslink.store.sources import Source
from tests.hardening import hostile
from tests.ingest.helpers import POLICE_MAPPING, snapshot


def _import(
    store: Store, path: Path, mapping: Mapping, limits: InputLimits | None = None
) -> ImportSummary:
    request = ImportRequest(
        path=path, mapping=mapping, source_id="be-police", limits=limits or InputLimits()
    )
    with store.transaction() as conn:
        return import_file(conn, request)


def _refused(store: Store, path: Path, mapping: Mapping, limits: InputLimits | None = None) -> str:
    before = snapshot(store)
    with pytest.raises(ReaderError) as caught:
        _import(store, path, mapping, limits)
    assert snapshot(store) == before
    message = str(caught.value)
    assert message.startswith(path.name) and "Traceback" not in message
    return message


XLSX = parse_mapping(hostile.XLSX_MAPPING, "x.yaml")
POLICE = parse_mapping(POLICE_MAPPING, "police.yaml")


def test_an_honest_workbook_still_imports(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    summary = _import(store, hostile.workbook(tmp_path / "ok.xlsx"), XLSX)
    assert summary.rows_read == 2 and summary.rows_rejected == 0


def test_zip_bomb_is_refused_before_it_is_unpacked(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    bomb = hostile.zip_bomb(tmp_path, unpacked_mb=256)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = _refused(store, bomb, XLSX)
    assert "xl/sharedStrings.xml" in message and "zip bomb" in message
    # the 256 MB part was never unpacked: the peak memory did not grow by anything like it
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 64 * 1024


def test_workbook_limits_on_size_and_entries(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    honest = hostile.workbook(tmp_path / "honest.xlsx")
    # a large part that compresses modestly: refused by size, not by ratio
    noise = random.Random(24).randbytes(2 * 1024 * 1024)
    big = hostile.with_part(honest, tmp_path / "big.xlsx", "xl/styles.xml", noise)
    message = _refused(store, big, XLSX, InputLimits(xlsx_max_part_mb=1))
    assert "xl/styles.xml" in message and "more than 1 MB" in message
    message = _refused(store, big, XLSX, InputLimits(zip_max_unpacked_mb=1))
    assert "unpacks to 2 MB, more than 1 MB" in message
    many = hostile.with_part(honest, tmp_path / "many.xlsx", "xl/styles.xml", b"", extra=50)
    message = _refused(store, many, XLSX, InputLimits(zip_max_entries=20))
    assert "more than 20" in message


def test_billion_laughs_is_refused(store: Store, police_source: Source, tmp_path: Path) -> None:
    message = _refused(store, hostile.billion_laughs(tmp_path), XLSX)
    assert "refused XML" in message and "Entities" in message


def test_deep_json_document_and_lines(store: Store, police_source: Source, tmp_path: Path) -> None:
    document = tmp_path / "deep.json"
    document.write_bytes(hostile.deep_json(100_000))
    mapping = parse_mapping(hostile.JSON_MAPPING.format(fmt="json"), "j.yaml")
    assert "nested deeper than 64 levels" in _refused(store, document, mapping)
    nested: dict[str, object] = {"name": "Peeters"}
    for _ in range(100):
        nested = {"name": "x", "inner": nested}
    lines = tmp_path / "deep.jsonl"
    rows = [json.dumps({"name": "Janssens"}).encode(), hostile.deep_json(100_000)]
    lines.write_bytes(b"\n".join([*rows, json.dumps(nested).encode()]) + b"\n")
    jsonl = parse_mapping(hostile.JSON_MAPPING.format(fmt="jsonl"), "l.yaml")
    summary = _import(store, lines, jsonl)
    assert (summary.rows_read, summary.rows_rejected) == (3, 2)
    reasons = [issue.reason for issue in summary.issues]
    assert any("nested deeper than 64 levels" in r for r in reasons)
    assert any("nested too deeply" in r for r in reasons)


def test_a_huge_line_is_refused_at_its_row(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    path = tmp_path / "huge.csv"
    header = (
        "persoon_id;achternaam;voornaam;geboortedatum;nationaliteit;rol;telefoon;iban;opmerking"
    )
    path.write_text(f"{header}\nP1;Peeters;;;;;;;\nP2;{'x' * 40_000};;;;;;;\n", encoding="utf-8")
    message = _refused(store, path, POLICE, InputLimits(line_max_kb=16))
    assert "row 3" in message and "longer than 16 KB" in message


def test_a_stray_cp1252_byte_is_reported_at_its_row(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    path = hostile.mixed_encoding_csv(tmp_path / "mixed.csv")
    message = _refused(store, path, POLICE)
    assert "row 4: cannot decode as utf-8 (byte b'\\xe7', column 8)" in message


def test_a_declared_encoding_is_checked(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    path = hostile.mixed_encoding_csv(tmp_path / "mixed.csv")
    path.write_bytes(path.read_bytes().replace(b"Fran\xe7ois", "François".encode()))
    declared = parse_mapping(POLICE_MAPPING + "encoding: cp1252\n", "p.yaml")
    assert "declares 'cp1252' but the file is UTF-8 throughout" in _refused(store, path, declared)
    unknown = parse_mapping(POLICE_MAPPING + "encoding: klingon\n", "p.yaml")
    assert "unknown encoding 'klingon'" in _refused(store, path, unknown)
    summary = _import(store, path, POLICE)  # auto: UTF-8, read as written
    assert summary.rows_read == 3 and summary.rows_rejected == 0


def test_a_cp1252_file_is_still_read_as_cp1252(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    header = (
        "persoon_id;achternaam;voornaam;geboortedatum;nationaliteit;rol;telefoon;iban;opmerking"
    )
    path = tmp_path / "legacy.csv"
    path.write_bytes(f"{header}\r\nP1;Müller;François;1980;Duits;getuige;;;\r\n".encode("cp1252"))
    summary = _import(store, path, POLICE)
    assert summary.rows_read == 1 and summary.rows_rejected == 0
    with store.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT original FROM record_values")}
    assert {"Müller", "François"} <= names


def test_the_cli_says_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")

    def run(*args: str) -> tuple[int, str]:
        try:
            main(["--data-dir", data, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.err.strip()

    source = ["source", "add", "be-police", "--agency", "Police", "--dataset", "Reports"]
    more = ["--jurisdiction", "BE", "--handling", "H1", "--source-grade", "B", "--info-grade", "2"]
    assert run(*source, *more)[0] == 0
    mapping = tmp_path / "police.yaml"
    mapping.write_text(POLICE_MAPPING, encoding="utf-8")
    path = hostile.mixed_encoding_csv(tmp_path / "mixed.csv")
    code, err = run("import", str(path), "-m", str(mapping), "-s", "be-police")
    assert code == 1
    assert (
        err.startswith("error: mixed.csv, row 4: cannot decode as utf-8 (byte b'\\xe7'")
        and "Traceback" not in err
    )
    deep = tmp_path / "deep.json"
    deep.write_bytes(hostile.deep_json(100_000))
    json_mapping = tmp_path / "j.yaml"
    json_mapping.write_text(hostile.JSON_MAPPING.format(fmt="json"), encoding="utf-8")
    code, err = run("import", str(deep), "-m", str(json_mapping), "-s", "be-police")
    assert code == 1 and err.strip() == "error: deep.json: JSON nested deeper than 64 levels"
