"""crosslink stats, driven as a user would: tables, releases, the estimate, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.cli.test_cli import run

PASSWORD = "correct horse battery staple 42"


def test_stats_commands(
    stats_world_files: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = str(tmp_path / "data")

    def cli(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--data-dir", data, *args)

    assert cli("demo", "load", str(stats_world_files))[0] == 0
    assert cli("agency", "add", "myria", "--name", "Myria", "--kind", "rapporteur",
               "--jurisdiction", "BE")[0] == 0  # fmt: skip
    assert cli("agency", "add", "fed", "--name", "Fed", "--kind", "police",
               "--jurisdiction", "BE")[0] == 0  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n" * 3))
    assert cli("user", "add", "admin", "--agency", "fed", "--role", "administrator",
               "--password-stdin")[0] == 0  # fmt: skip
    for name, agency, role in [("rap", "myria", "rapporteur"), ("inv", "fed", "investigator")]:
        code, _, err = cli("user", "add", name, "--agency", agency, "--role", role,
                           "--password-stdin", "--as", "admin")  # fmt: skip
        assert code == 0, err

    code, out, err = cli("stats", "table", "--by", "year", "--by", "sex", "--as", "rap")
    assert code == 0, err
    assert out.splitlines()[0] == "year\tsex\tcount"
    assert "*\t*\t" in out and "suppress" in err

    code, _, err = cli("stats", "table", "--by", "year", "--as", "inv")
    assert code == 1 and "may not aggregate" in err and "Traceback" not in err

    code, _, err = cli("stats", "table", "--by", "colour", "--as", "rap")
    assert code == 1 and "unknown dimension 'colour'" in err

    code, out, err = cli("stats", "release", "--title", "By year", "--by", "year",
                         "--method", "round", "--base", "5", "--as", "rap")  # fmt: skip
    assert code == 0, err
    assert "release 1" in err and "round" in err
    assert all(int(line.split("\t")[1]) % 5 == 0 for line in out.splitlines()[1:])

    code, out, err = cli("stats", "releases", "--as", "rap")
    assert code == 0, err
    assert "By year" in out and '"base": 5' in out

    code, _, err = cli("stats", "report", "--out", str(tmp_path / "report"), "--as", "rap")
    assert code == 0, err
    assert "By year" in (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "report" / "release-1.csv").is_file()

    micro = tmp_path / "micro.csv"
    code, _, err = cli("stats", "microdata", "--by", "sex", "--out", str(micro), "--as", "rap")
    assert code == 0, err
    assert "k = 11" in err
    assert micro.read_text(encoding="utf-8").splitlines()[0] == "sex"

    code, out, err = cli("stats", "mse", "--as", "rap")
    # Nothing resolved yet: each record is its own person, so the lists share no one.
    assert code == 1 and "share no person" in err
