"""The command line, driven as a user would: clear summaries, one-line errors, no tracebacks."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from crosslink.cli import main
from tests.ingest.helpers import GOOD_ROWS, HEADER, POLICE_MAPPING, write_csv

Invoke = Callable[..., tuple[int, str, str]]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    else:
        code = 0
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Invoke:
    data = str(tmp_path / "data")

    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--data-dir", data, *args)

    code, _, err = invoke(
        "source",
        "add",
        "be-police",
        "--agency",
        "Federal Police",
        "--dataset",
        "Reports",
        "--jurisdiction",
        "Belgium",
        "--handling",
        "H1",
        "--source-grade",
        "B",
        "--info-grade",
        "2",
    )
    assert code == 0, err
    return invoke


def test_import_dry_run_then_for_real(cli: Invoke, tmp_path: Path) -> None:
    mapping = tmp_path / "police.yaml"
    mapping.write_text(POLICE_MAPPING, encoding="utf-8")
    path = write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS, "P9;;x;;;verdachte;;;"])
    code, out, err = cli(
        "import", str(path), "--mapping", str(mapping), "--source", "be-police", "--dry-run"
    )
    assert code == 0
    assert "dry run: nothing was written" in out
    assert "error: pv.csv, row 5, column 'achternaam': last_name is required" in err
    code, out, _ = cli("batches")
    assert "pv.csv" not in out
    code, out, _ = cli("import", str(path), "-m", str(mapping), "-s", "be-police")
    assert code == 0
    assert "batch 1: 4 rows read, 1 rejected" in out
    assert "6 records added" in out
    code, out, _ = cli("batches")
    assert "pv.csv" in out
    code, out, _ = cli("rejections", "1")
    assert out.strip() == ("error: pv.csv, row 5, column 'achternaam': last_name is required")
    code, out, _ = cli("import", str(path), "-m", str(mapping), "-s", "be-police")
    assert "already imported as batch 1; nothing added" in out


def test_mistakes_get_one_line_and_a_non_zero_exit(cli: Invoke, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS])
    cases = [
        (
            ("import", str(path), "-m", "no-such-mapping", "-s", "be-police"),
            "error: no mapping 'no-such-mapping'",
        ),
        (
            ("import", str(tmp_path / "missing.csv"), "-m", "x", "-s", "be-police"),
            "error: " + str(tmp_path / "missing.csv") + ": no such file",
        ),
        (("rejections", "99"), "error: no batch 99"),
        (
            (
                "source",
                "add",
                "be-police",
                "--agency",
                "a",
                "--dataset",
                "d",
                "--jurisdiction",
                "BE",
            ),
            "error: source 'be-police' exists already",
        ),
        (
            ("source", "add", "x", "--agency", "a", "--dataset", "d", "--jurisdiction", "Atlantis"),
            "error: ",
        ),
        (("model", "Persoon"), "error: unknown entity type 'Persoon'"),
    ]
    for args, expected in cases:
        code, _, err = cli(*args)
        assert code == 1, args
        assert err.startswith(expected), (args, err)
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err


def test_export_neutralises_formulas(cli: Invoke, tmp_path: Path) -> None:
    mapping = tmp_path / "police.yaml"
    mapping.write_text(POLICE_MAPPING, encoding="utf-8")
    row = 'P1;"=HYPERLINK(""http://evil.test"")";Ion;1990;RO;verdachte;;;'
    path = write_csv(tmp_path / "f.csv", [HEADER, row])
    assert cli("import", str(path), "-m", str(mapping), "-s", "be-police")[0] == 0
    out_file = tmp_path / "values.csv"
    code, _, err = cli("export", "--out", str(out_file))
    assert code == 0
    with out_file.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = [r["original"] for r in rows if r["prop"] == "last_name"]
    assert names == ['\'=HYPERLINK("http://evil.test")']


def test_model_and_mappings_are_shown(cli: Invoke) -> None:
    code, out, _ = cli("model")
    assert code == 0 and "Person" in out and "victim_of" in out
    code, out, _ = cli("model", "Person")
    assert "birth_date (date)" in out
    code, out, _ = cli("mappings")
    assert code == 0
