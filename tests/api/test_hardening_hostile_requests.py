"""Hostile requests to the web service: bodies bounded while they stream (and an anonymous
upload never read), hostile files refused with a clear problem, the store unchanged, the
service still answering."""

from __future__ import annotations

import resource
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from crosslink.api import create_app
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.schema import batches, records
from tests.api.helpers import Client
from tests.hardening import hostile

Make = Callable[..., Client]
CHUNK = 64 * 1024


def _counts(app: FastAPI) -> tuple[int, int]:
    store: Store = app.state.services.store
    with store.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(batches)).scalar_one(),
            conn.execute(select(func.count()).select_from(records)).scalar_one(),
        )


class Body:
    """A multipart body streamed in chunks, counting how many the server pulled."""

    def __init__(self, megabytes: int) -> None:
        self.chunks = megabytes * 1024 * 1024 // CHUNK
        self.pulled = 0
        self.boundary = "hostile-boundary"

    async def stream(self) -> AsyncIterator[bytes]:
        yield (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        for _ in range(self.chunks):
            self.pulled += 1
            yield b"x" * CHUNK
        yield f"\r\n--{self.boundary}--\r\n".encode()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"


def _uploads(app: FastAPI) -> list[Path]:
    folder = app.state.services.settings.data_dir / "uploads"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_anonymous_upload_is_refused_unread(client: Make, app: FastAPI) -> None:
    body = Body(64)
    response = client(None).request(
        "POST",
        "/api/v1/imports",
        content=body.stream(),
        headers={"Content-Type": body.content_type},
    )
    assert response.status_code == 401
    assert response.json()["title"] == "Authentication failed"
    assert body.pulled <= 1, f"{body.pulled} chunks of an anonymous upload were read"
    assert _uploads(app) == []
    forged = client(None).request(
        "POST",
        "/api/v1/imports",
        content=Body(8).stream(),
        headers={"Content-Type": body.content_type, "Authorization": "Bearer clk_forged"},
    )
    assert forged.status_code == 401


@pytest.fixture
def small_app(web_store: Store, tmp_path: Path) -> FastAPI:
    """The service with a 1 MB upload limit and a 16 KB limit on other bodies."""
    settings = Settings(data_dir=tmp_path, demo=True, upload_max_mb=1, request_max_kb=16)
    return create_app(settings, store=web_store)


@pytest.fixture
def inspector(small_app: FastAPI) -> Iterator[Client]:
    made = Client(small_app).login("inspector")
    yield made
    made.close()


def test_bodies_over_the_limit_are_cut_off(inspector: Client, small_app: FastAPI) -> None:
    before = _counts(small_app)
    declared = inspector.post(
        "/api/v1/imports",
        content=b"x" * (3 * 1024 * 1024),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert declared.status_code == 413
    assert "larger than 1 MB" in declared.json()["detail"]
    body = Body(8)  # streamed without a length: cut off while it arrives
    streamed = inspector.post(
        "/api/v1/imports", content=body.stream(), headers={"Content-Type": body.content_type}
    )
    assert streamed.status_code == 413, streamed.text
    assert body.pulled < 32, "the body was read past its limit"
    login = inspector.request(
        "POST",
        "/api/v1/session",
        content=b'{"username": "' + b"a" * 40_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert login.status_code == 413
    assert _counts(small_app) == before and _uploads(small_app) == []
    assert inspector.get("/api/v1/sources").status_code == 200


def test_deep_json_gets_a_clear_422(client: Make) -> None:
    anonymous = client(None)
    response = anonymous.request(
        "POST",
        "/api/v1/session",
        content=hostile.deep_json(100_000),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "the JSON body is nested deeper than 64 levels"
    fine = anonymous.request(
        "POST", "/api/v1/session", json={"username": "inspector", "password": "wrong"}
    )
    assert fine.status_code == 401


def _upload(user: Client, path: Path, mapping: str, source: str) -> tuple[int, str]:
    with path.open("rb") as handle:
        response = user.post(
            "/api/v1/imports",
            files={"file": (path.name, handle, "application/octet-stream")},
            data={"mapping": mapping, "source_id": source, "dry_run": "false"},
        )
    return response.status_code, str(response.json().get("detail", ""))


def _mixed_police_file(world: Path, path: Path) -> Path:
    """Three of the demo police rows, UTF-8 (a Cyrillic name) but for one cp1252 byte on row 4."""
    source = (world / "partners" / "be_police_reports.csv").read_text(encoding="utf-8-sig")
    header, *rows = source.splitlines()[:4]
    cells = [row.split(";") for row in rows]
    cells[0][8], cells[2][8] = "Петров", "FRAN\x00OIS"
    text = "\n".join([header, *(";".join(c) for c in cells)]) + "\n"
    path.write_bytes(text.encode("utf-8").replace(b"\x00", b"\xc7"))
    return path


def test_hostile_files_through_the_web(
    client: Make, app: FastAPI, tmp_path: Path, world_dir: Path
) -> None:
    inspector, investigator = client("inspector"), client("investigator")
    before = _counts(app)
    bomb = hostile.zip_bomb(tmp_path, unpacked_mb=1024)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    status, detail = _upload(inspector, bomb, "demo-be-inspection", "demo-be-inspection")
    assert status == 422 and "zip bomb" in detail
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 100, f"uploading the bomb grew the peak memory by {grown_mb:.0f} MB"
    laughs = hostile.billion_laughs(tmp_path)
    status, detail = _upload(inspector, laughs, "demo-be-inspection", "demo-be-inspection")
    assert status == 422 and "refused XML" in detail
    mixed = _mixed_police_file(world_dir, tmp_path / "mixed.csv")
    status, detail = _upload(investigator, mixed, "demo-be-police", "demo-be-police")
    assert status == 422 and "row 4" in detail and "cannot decode as utf-8" in detail
    assert _counts(app) == before and _uploads(app) == []
    assert investigator.get("/api/v1/sources").status_code == 200
