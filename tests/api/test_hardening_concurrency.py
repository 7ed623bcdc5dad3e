"""No request waits for another one's reading: a slow page view holds no lock (issue #24, 1);
two imports at once both end, the second queued behind the first."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from crosslink.access.audit import Event, append
from crosslink.api.deps import UoW, WebUser
from crosslink.store.schema import records
from tests.api.helpers import Client
from tests.ingest.helpers import HEADER, POLICE_MAPPING

Make = Callable[..., Client]
WHY = "case BE-2024-17: test"


def _slow_route(app: FastAPI, entered: threading.Event, release: threading.Event) -> None:
    """A page view as the real ones are: read, log the consultation, read again, then take
    long (a network build, a large page) with its unit of work still open."""

    @app.get("/test/slow")
    def slow(uow: UoW, user: WebUser) -> dict[str, Any]:
        count = uow.conn.execute(select(func.count()).select_from(records)).scalar_one()
        append(uow.conn, user, Event("consultation", {"count": count}, justification=WHY))
        uow.conn.execute(select(func.count()).select_from(records)).scalar_one()
        entered.set()
        release.wait(20)
        return {"count": count}


def test_a_slow_view_does_not_block_reads_or_writes(client: Make, app: FastAPI) -> None:
    entered, release = threading.Event(), threading.Event()
    _slow_route(app, entered, release)
    slow_user, other = client("analyst"), client("analyst")
    answers: list[int] = []
    worker = threading.Thread(
        target=lambda: answers.append(slow_user.get("/test/slow").status_code)
    )
    worker.start()
    try:
        assert entered.wait(20)
        started = time.monotonic()
        search = other.get("/api/v1/search", params={"q": "Peeters", "justification": WHY})
        login = client(None).request(
            "POST", "/api/v1/session", json={"username": "analyst", "password": "wrong"}
        )
        elapsed = time.monotonic() - started
    finally:
        release.set()
        worker.join(30)
    assert search.status_code == 200, search.text
    assert login.status_code == 401  # a write (the failed login is logged), not a 503
    assert elapsed < 5, f"the other requests waited {elapsed:.1f} s for the slow one"
    assert answers == [200]


def _police_file(path: Path, rows: int, tag: str) -> Path:
    lines = [HEADER]
    lines += [f"{tag}{i};Achternaam{i};Voornaam;1990;Belg;verdachte;;;" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cli(data: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "crosslink", "--data-dir", str(data), *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_cli_imports_at_once_both_end(tmp_path: Path) -> None:
    data = tmp_path / "data"
    setup = _cli(
        data, "source", "add", "be-police", "--agency", "Police", "--dataset", "Reports",
        "--jurisdiction", "Belgium", "--handling", "H1", "--source-grade", "B", "--info-grade", "2",
    )  # fmt: skip
    _, err = setup.communicate(timeout=60)
    assert setup.returncode == 0, err
    mapping = tmp_path / "police.yaml"
    mapping.write_text(POLICE_MAPPING, encoding="utf-8")
    files = [_police_file(tmp_path / f"{t}.csv", 3000, t) for t in ("A", "B")]
    # A third writer holds the store while both start, so both must queue.
    holder = sqlite3.connect(data / "crosslink.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    running = [_cli(data, "import", str(f), "-m", str(mapping), "-s", "be-police") for f in files]
    for process in running:  # each says it waits (blocking reads: the test's timeout bounds)
        assert process.stderr is not None
        while "waiting" not in (line := process.stderr.readline()):
            assert line, "the import ended without waiting for the store"
    holder.execute("COMMIT")
    holder.close()
    outcomes = [(*p.communicate(timeout=180), p.returncode) for p in running]
    for out, err, code in outcomes:
        assert code == 0, err
        assert "Traceback" not in err and "3000 rows read" in out
    listed = _cli(data, "batches").communicate(timeout=60)[0]
    assert "A.csv" in listed and "B.csv" in listed
