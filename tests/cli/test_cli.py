"""The command line, driven as a user would: clear summaries, one-line errors, no tracebacks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from crosslink.access import Agency, NewUser, add_agency, add_user
from crosslink.access.schema import source_agencies
from crosslink.cli import main
from crosslink.settings import Settings
from crosslink.store import Store
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


def _importer(data: Path) -> None:
    """An investigator, ``ines``, of the agency providing ``be-police``."""
    store = Store.open(Settings(data_dir=data))
    with store.transaction() as conn:
        add_agency(conn, Agency("ops", "Ops", "police", "BE"))
        add_user(conn, NewUser("ines", "ops", frozenset({"investigator"}), None))
        conn.execute(source_agencies.insert().values(source_id="be-police", agency_id="ops"))
    store.dispose()


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
    code, _, err = cli("rejections", "1")
    assert code == 1 and "--as USER" in err  # rejected values are personal data
    _importer(tmp_path / "data")
    code, out, _ = cli("rejections", "1", "--as", "ines")
    assert out.strip() == ("error: pv.csv, row 5, column 'achternaam': last_name is required")
    code, out, _ = cli("import", str(path), "-m", str(mapping), "-s", "be-police")
    assert "already imported as batch 1; nothing added" in out


def test_mistakes_get_one_line_and_a_non_zero_exit(cli: Invoke, tmp_path: Path) -> None:
    _importer(tmp_path / "data")
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
        (("rejections", "99", "--as", "ines"), "error: no batch 99"),
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


INTAKE_MAPPING = """
name: test-intake
format: csv
entities:
  victim:
    type: Person
    key: [dossier]
    category: {value: victim}
    properties:
      last_name: {column: naam, required: true}
      first_name: {column: voornaam}
"""


def _people(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = [
        (
            "agency",
            "add",
            "fedpol",
            "--name",
            "Federal Police",
            "--kind",
            "police",
            "--jurisdiction",
            "BE",
        ),
        (
            "agency",
            "add",
            "payoke",
            "--name",
            "Payoke",
            "--kind",
            "reception_centre",
            "--jurisdiction",
            "BE",
        ),
        (
            "user",
            "add",
            "admin",
            "--agency",
            "fedpol",
            "--role",
            "administrator",
            "--password-stdin",
        ),
        (
            "user",
            "add",
            "ana",
            "--agency",
            "fedpol",
            "--role",
            "analyst",
            "--password-stdin",
            "--as",
            "admin",
        ),
        (
            "user",
            "add",
            "cw",
            "--agency",
            "payoke",
            "--role",
            "caseworker",
            "--password-stdin",
            "--as",
            "admin",
        ),
        (
            "source",
            "add",
            "payoke-intake",
            "--agency",
            "Payoke",
            "--dataset",
            "Intakes",
            "--jurisdiction",
            "BE",
            "--handling",
            "H1",
        ),
        ("agency", "assign-source", "payoke-intake", "payoke", "--as", "admin"),
        ("agency", "assign-source", "be-police", "fedpol", "--as", "admin"),
    ]
    for step in steps:
        monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passw0rd\n"))
        code, _, err = cli(*step)
        assert code == 0, (step, err)


def _export(cli: Invoke, tmp_path: Path, user: str) -> list[dict[str, str]]:
    out_file = tmp_path / f"{user}.csv"
    code, _, err = cli(
        "export", "--out", str(out_file), "--justification", "case 12/2026", "--as", user
    )
    assert code == 0, err
    with out_file.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_exports_follow_the_policy_and_disarm_formulas(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _people(cli, monkeypatch)
    police = tmp_path / "police.yaml"
    police.write_text(POLICE_MAPPING, encoding="utf-8")
    row = 'P1;"=HYPERLINK(""http://evil.test"")";Ion;1990;RO;verdachte;;;'
    path = write_csv(tmp_path / "f.csv", [HEADER, row])
    assert cli("import", str(path), "-m", str(police), "-s", "be-police")[0] == 0
    intake = tmp_path / "intake.yaml"
    intake.write_text(INTAKE_MAPPING, encoding="utf-8")
    victims = tmp_path / "intake.csv"
    victims.write_text("dossier;naam;voornaam\nD1;Rusu;Elena\n", encoding="utf-8")
    assert cli("import", str(victims), "-m", str(intake), "-s", "payoke-intake")[0] == 0

    # The analyst sees the police record, formula disarmed, but not the centre's victim.
    rows = _export(cli, tmp_path, "ana")
    assert {r["original"] for r in rows if r["prop"] == "last_name"} == {
        '\'=HYPERLINK("http://evil.test")'
    }
    # The caseworker sees the centre's victim only.
    rows = _export(cli, tmp_path, "cw")
    assert {r["original"] for r in rows if r["prop"] == "last_name"} == {"Rusu"}
    uid = rows[0]["record_uid"]
    # With the victim's recorded consent, the intake reaches the police.
    code, out, err = cli(
        "consent",
        "record",
        uid,
        "--recipient-kind",
        "police",
        "--reference",
        "form 7",
        "--as",
        "cw",
    )
    assert code == 0, err
    rows = _export(cli, tmp_path, "ana")
    assert {r["original"] for r in rows if r["prop"] == "last_name"} >= {"Rusu"}
    # Every export is in the audit log, with its justification.
    code, out, _ = cli("audit", "search", "--action", "disclosure", "--as", "admin")
    assert out.count("case 12/2026") == 3
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "intact" in out


def test_an_export_needs_a_user_and_a_justification(cli: Invoke) -> None:
    code, _, err = cli("export", "--justification", "x")
    assert code == 1 and "say who acts" in err
    code, _, err = cli("export", "--as", "nobody", "--justification", "x")
    assert code == 1 and "no active user 'nobody'" in err


def test_model_and_mappings_are_shown(cli: Invoke) -> None:
    code, out, _ = cli("model")
    assert code == 0 and "Person" in out and "victim_of" in out
    code, out, _ = cli("model", "Person")
    assert "birth_date (date)" in out
    code, out, _ = cli("mappings")
    assert code == 0
