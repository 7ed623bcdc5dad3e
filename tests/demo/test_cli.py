"""crosslink demo generate and crosslink demo load, through the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crosslink.cli import app


def test_generate_then_load(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "world"
    result = runner.invoke(
        app, ["demo", "generate", "--seed", "3", "--scale", "300", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "be_police_reports.csv" in result.output
    assert (out / "manifest.json").is_file()
    data = ["--data-dir", str(tmp_path / "data")]
    result = runner.invoke(app, [*data, "demo", "load", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.count("rows read") == 8
    again = runner.invoke(app, [*data, "demo", "load", str(out)])
    assert again.exit_code == 0, again.output
    assert again.output.count("already imported") == 8
