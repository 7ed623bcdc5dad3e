"""Refusals leave a ``denied`` entry; administrative changes made on the command line are
audited, the first ones under the setup actor."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import select
from typer.testing import CliRunner

from crosslink.access.schema import audit_log
from crosslink.cli import app as cli_app
from crosslink.store import Store
from tests.api.helpers import Client

Make = Callable[..., Client]


def _entries(store: Store, action: str) -> list[tuple[str, dict[str, object]]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.actor, audit_log.c.target)
            .where(audit_log.c.action == action)
            .order_by(audit_log.c.seq)
        ).all()
    return [(r.actor, json.loads(r.target)) for r in rows]


def test_a_refused_request_is_logged_as_denied(client: Make, app: FastAPI) -> None:
    store: Store = app.state.services.store
    before = len(_entries(store, "denied"))
    analyst = client("analyst")
    assert analyst.get("/api/v1/users").status_code == 403
    refused = _entries(store, "denied")[before:]
    assert refused == [("analyst", {"path": "/api/v1/users", "method": "GET"})]
    assert analyst.get("/api/v1/me").status_code == 200  # and the session still works


def test_cli_administration_is_audited(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]

    def run(*args: str, stdin: str | None = None) -> int:
        result = CliRunner().invoke(cli_app, [*data, *args], input=stdin)
        assert result.exit_code == 0, result.output
        return result.exit_code

    run("agency", "add", "ops", "--name", "Ops", "--kind", "police", "--jurisdiction", "BE")
    run(
        "user", "add", "root", "--agency", "ops", "--role", "administrator", "--password-stdin",
        stdin="correct horse battery\n",
    )  # fmt: skip
    run("user", "add", "ana", "--agency", "ops", "--role", "analyst", "--as", "root")
    store = Store.from_url(f"sqlite:///{tmp_path / 'data' / 'crosslink.db'}")
    try:
        changes = _entries(store, "administration")
    finally:
        store.dispose()
    assert changes == [
        ("setup", {"agency": "ops"}),
        ("setup", {"user": "root"}),
        ("root", {"user": "ana"}),
    ]
