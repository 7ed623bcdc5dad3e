"""crosslink agency/user/audit/retention commands, on both backends."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from crosslink.cli import app
from crosslink.store import Store

PASSWORD = "a long enough password\n"


def _run(store: Store, *args: str, stdin: str | None = None) -> tuple[int, str]:
    url = store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--database-url", url, *args], input=stdin)
    return result.exit_code, result.output + (str(result.exception or ""))


def test_bootstrap_users_and_audit(store: Store, tmp_path: Path) -> None:
    assert (
        _run(
            store,
            "agency",
            "add",
            "ops",
            "--name",
            "Ops",
            "--kind",
            "police",
            "--jurisdiction",
            "BE",
        )[0]
        == 0
    )
    code, out = _run(store, "user", "add", "root", "--agency", "ops", "--role", "administrator")
    assert code != 0 and "no default administrator password" in out
    code, out = _run(
        store,
        "user",
        "add",
        "root",
        "--agency",
        "ops",
        "--role",
        "administrator",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert code == 0, out
    code, out = _run(store, "user", "add", "ana", "--agency", "ops", "--role", "analyst")
    assert code != 0 and "--as" in out
    code, out = _run(
        store, "user", "add", "ana", "--agency", "ops", "--role", "analyst", "--as", "root"
    )
    assert code == 0, out
    code, out = _run(store, "user", "list", "--as", "ana")
    assert code != 0 and "may not manage_users" in out
    code, out = _run(store, "user", "list", "--as", "root")
    assert code == 0 and "ana" in out and "analyst" in out
    code, out = _run(store, "audit", "verify")
    assert code == 0 and "audit log intact" in out, out
    code, out = _run(store, "audit", "search", "--as", "root", "--action", "administration")
    assert code == 0, out
    export = tmp_path / "audit.jsonl"
    args = ["audit", "export", "--out", str(export), "--recipient", "dpa", "--justification", "r1"]
    code, out = _run(store, *args, "--as", "root")
    assert code == 0 and export.read_text().count("\n") >= 2, out
    code, out = _run(store, "retention", "due")
    assert code == 0 and "0 record(s) due" in out
    code, out = _run(store, "agency", "list")
    assert code == 0 and "ops" in out
