"""Staged uploads are personal data: deleted when abandoned, at logout, and at start-up."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from crosslink.access.uploads import owner_folder, sweep_uploads
from crosslink.api import create_app
from crosslink.settings import Settings
from crosslink.store import Store
from tests.api.helpers import Client

Make = Callable[..., Client]


def _staged(root: Path, user: str, upload_id: str, age: dt.timedelta) -> Path:
    folder = owner_folder(root, user) / upload_id
    folder.mkdir(parents=True)
    path = folder / "list.csv"
    path.write_text("name\nPeeters\n", encoding="utf-8")
    stamp = time.time() - age.total_seconds()
    for each in (path, folder):
        os.utime(each, (stamp, stamp))
    return folder


def test_abandoned_uploads_are_swept(tmp_path: Path) -> None:
    old = _staged(tmp_path, "ana", "a" * 32, dt.timedelta(hours=3))
    young = _staged(tmp_path, "ana", "b" * 32, dt.timedelta(minutes=5))
    lone = _staged(tmp_path, "bob", "c" * 32, dt.timedelta(days=2))
    assert sweep_uploads(tmp_path, dt.timedelta(hours=1)) == 2
    assert not old.exists() and not lone.exists() and young.exists()
    assert not lone.parent.exists()  # bob's empty folder went too
    assert sweep_uploads(tmp_path / "missing", dt.timedelta(hours=1)) == 0


def test_start_up_cleans_what_a_crash_left(web_store: Store, tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    left = _staged(root, "investigator", "d" * 32, dt.timedelta(hours=2))
    create_app(Settings(data_dir=tmp_path, demo=True), store=web_store)
    assert not left.exists()


def test_a_dry_run_upload_goes_at_logout(client: Make, app: FastAPI, world_dir: Path) -> None:
    investigator = client("investigator")
    source = world_dir / "partners" / "be_police_reports.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()[:3]
    response = investigator.post(
        "/import",
        files={"file": ("reports.csv", "\n".join(lines).encode(), "text/csv")},
        data={
            "mapping": "demo-be-police",
            "source_id": "demo-be-police",
            "csrf": investigator.csrf,
        },
    )
    assert response.status_code == 200, response.text
    root = app.state.services.upload_dir
    assert len([p for p in root.rglob("*") if p.is_file()]) == 1  # kept for the commit
    assert investigator.delete("/api/v1/session").status_code == 204
    assert [p for p in root.rglob("*") if p.is_file()] == []
