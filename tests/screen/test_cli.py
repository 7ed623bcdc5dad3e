"""crosslink screen …, driven as a user would: named user, one-line errors, audited."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.screen.conftest import ADS, DATA

Invoke = Callable[..., tuple[int, str, str]]
PASSWORD = "a long enough pass phrase"


@pytest.fixture
def cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Invoke:
    data = str(tmp_path / "data")

    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--data-dir", data, *args)

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    setup = [
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
            "gent",
            "--name",
            "Gent",
            "--kind",
            "municipality",
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
            "--role",
            "investigator",
            "--as",
            "admin",
        ),
        ("user", "add", "mo", "--agency", "gent", "--role", "municipal_officer", "--as", "admin"),
        (
            "source",
            "add",
            "ads-scraper",
            "--agency",
            "Federal Police",
            "--dataset",
            "ads",
            "--jurisdiction",
            "BE",
            "--region",
            "BE",
        ),
        ("agency", "assign-source", "ads-scraper", "fedpol", "--as", "admin"),
    ]
    for args in setup:
        code, _, err = invoke(*args)
        assert code == 0, (args, err)
    return invoke


def test_import_run_show_and_clusters(cli: Invoke) -> None:
    code, out, err = cli("screen", "import", str(ADS), "--source", "ads-scraper", "--as", "ana")
    assert code == 0, err
    assert "24 rows read, 0 rejected" in out
    code, out, _ = cli("screen", "import", str(ADS), "--source", "ads-scraper", "--as", "ana")
    assert "already imported as batch 1; nothing added" in out
    code, out, err = cli("screen", "run", "--as", "ana")
    assert code == 0, err
    assert "24 ads, 12 flagged" in out and "2026.12-1" in out
    code, out, _ = cli("screen", "show", "--flagged", "--limit", "50", "--as", "ana")
    rows = out.strip().splitlines()[1:]
    assert len(rows) == 12
    top = rows[0].split("\t")[0]
    code, out, _ = cli("screen", "show", top, "--as", "ana", "-j", "test")
    assert "FLAGGED" in out and "indicators:" in out
    code, out, _ = cli("screen", "clusters", "--as", "ana")
    assert "phone:+32470551234" in out
    code, out, _ = cli("audit", "verify")
    assert code == 0


def test_hostile_terminal_codes_in_an_ad_do_not_reach_the_screen(
    cli: Invoke, tmp_path: Path
) -> None:
    ad = {
        "url": "https://x.example/1",
        "title": "Work\x1b[2J\x1b]0;owned\x07",
        "body": "Housing provided, transport provided, 600 EUR per day, WhatsApp only",
    }
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(ad) + "\n", encoding="utf-8")
    cli("screen", "import", str(path), "--source", "ads-scraper", "--as", "ana")
    cli("screen", "run", "--as", "ana")
    code, out, _ = cli("screen", "show", "--as", "ana")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "Work?[2J?]0;owned?" in out


def test_errors_are_one_line_without_a_traceback(cli: Invoke, tmp_path: Path) -> None:
    code, _, err = cli("screen", "run")
    assert (code, err.strip()) == (
        1,
        "error: say who acts: --as USER (or $CROSSLINK_USER) to screen",
    )
    code, _, err = cli("screen", "show", "--as", "ana")
    assert code == 1 and "no screening run yet" in err
    code, _, err = cli("screen", "import", str(ADS), "--source", "ads-scraper", "--as", "mo")
    assert code == 1 and err.startswith("error: ") and "Traceback" not in err
    wrong = tmp_path / "ads.txt"
    wrong.write_text("x", encoding="utf-8")
    code, _, err = cli("screen", "import", str(wrong), "--source", "ads-scraper", "--as", "ana")
    assert code == 1 and "JSON Lines (.jsonl) or CSV (.csv)" in err
    cli("screen", "import", str(ADS), "--source", "ads-scraper", "--as", "ana")
    cli("screen", "run", "--as", "ana")
    code, _, err = cli("screen", "show", "0" * 32, "--as", "mo")
    assert (code, err.strip()) == (1, f"error: no screened ad {'0' * 32} in your view")


def test_rules_and_evaluate(cli: Invoke, tmp_path: Path) -> None:
    code, out, _ = cli("screen", "rules")
    assert code == 0 and "0 failing examples" in out
    bad = tmp_path / "rules.yaml"
    bad.write_text("version: '1'\nthreshold: -3\n", encoding="utf-8")
    code, _, err = cli("screen", "rules", "--rules", str(bad))
    assert code == 1 and f"{bad}, line 2: threshold" in err
    code, out, _ = cli("screen", "evaluate", str(ADS), str(DATA / "labels.yaml"))
    assert code == 0 and "extract phones" in out and "benign ads flagged: 0.0%" in out


def test_the_signal_inbox(cli: Invoke) -> None:
    code, out, err = cli("signal", "inbox", "--as", "ana")
    assert code == 0, err
    assert out.splitlines()[0].startswith("signal\tfrom\tfile")
    code, _, err = cli("signal", "inbox", "--as", "mo")
    assert code == 1 and err.startswith("error: ") and "Traceback" not in err
