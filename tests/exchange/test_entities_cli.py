"""``crosslink entities export``, driven as a user would, on both store backends."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.cli.test_cli import run
from tests.exchange.conftest import World

Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Invoke:
    url = world.store.engine.url.render_as_string(hide_password=False)

    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--data-dir", str(tmp_path / "data"), "--database-url", url, *args)

    return invoke


def _export(cli: Invoke, *args: str) -> tuple[int, str, str]:
    return cli("entities", "export", "--type", "Person", *args)


def _last_entry(world: World) -> tuple[str, str, str | None]:
    entry = world.last_entry()
    return entry.action, entry.actor, entry.recipients


def test_csv_and_parquet_files_hold_the_resolved_records(
    cli: Invoke, world: World, tmp_path: Path
) -> None:
    as_csv, as_parquet = tmp_path / "persons.csv", tmp_path / "persons.parquet"
    code, _, err = _export(
        cli, "--out", str(as_csv), "--justification", "JIT 4/2026", "--as", "analyst"
    )
    assert code == 0, err
    assert "5 records exported" in err
    assert _last_entry(world)[:2] == ("disclosure", "analyst")
    with as_csv.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.DictReader(handle))
    by_key = {line["source_key"]: line for line in lines}
    assert set(by_key) == {"P1", "P2", "'=1+2", "I-7", "I-8"}
    assert by_key["P1"]["entity_id"] == by_key["I-7"]["entity_id"] == world.entity_of("P1")
    assert by_key["P1"]["record_uid"] == world.uids["P1"]

    code, _, err = _export(
        cli,
        "--format",
        "parquet",
        "--out",
        str(as_parquet),
        "--justification",
        "JIT 4/2026",
        "--recipient",
        "NL National Police",
        "--as",
        "analyst",
    )
    assert code == 0, err
    rows = pq.read_table(as_parquet).to_pylist()
    assert {r["source_key"]: r["entity_id"] for r in rows} == {
        key.removeprefix("'"): line["entity_id"] for key, line in by_key.items()
    }
    assert _last_entry(world) == ("disclosure", "analyst", '["NL National Police"]')


def test_stdout_the_source_option_and_the_policy(cli: Invoke) -> None:
    code, out, err = _export(cli, "--justification", "x", "--as", "inspector")
    assert code == 0, err
    assert {line["source_key"] for line in csv.DictReader(io.StringIO(out))} == {"I-7", "I-8"}
    code, out, err = _export(
        cli, "--source", "be-police", "--justification", "x", "--as", "analyst"
    )
    assert code == 0, err
    keys = {line["source_key"] for line in csv.DictReader(io.StringIO(out))}
    assert keys == {"P1", "P2", "'=1+2"}


def test_mistakes_and_refusals_get_one_line(cli: Invoke, world: World) -> None:
    cases = [
        (("--justification", "x"), "say who acts"),
        (("--justification", "x", "--as", "nobody"), "no active user 'nobody'"),
        (("--justification", "x", "--as", "rapporteur"), "rapporteur may not export"),
        (("--justification", " ", "--as", "analyst"), "needs a justification"),
        (("--format", "parquet", "--justification", "x", "--as", "analyst"), "--out FILE"),
        (("--format", "xlsx", "--justification", "x", "--as", "analyst"), "unknown format"),
    ]
    for args, message in cases:
        code, out, err = _export(cli, *args)
        assert code == 1, (args, err)
        assert message in err and "Traceback" not in err and out == "", (args, err)
    code, _, err = cli(
        "entities", "export", "--type", "Car", "--justification", "x", "--as", "analyst"
    )
    assert code == 1 and "unknown entity type 'Car'" in err
    # A refusal's audit entry is committed, not rolled back with the refusal.
    _export(cli, "--justification", "x", "--as", "rapporteur")
    assert _last_entry(world)[:2] == ("denied", "rapporteur")
