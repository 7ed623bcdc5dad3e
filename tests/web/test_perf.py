"""What was changed for speed keeps its meaning: the session's idle clock, worker processes."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from crosslink.access import (
    FixedClock,
    SessionPolicy,
    create_session,
    load_subject,
    session_subject,
)
from crosslink.access.schema import sessions
from crosslink.cli._serve import _processes
from crosslink.errors import AuthenticationFailed
from crosslink.settings import Settings
from crosslink.store import Store
from tests.access.helpers import make_agency, make_user

POLICY = SessionPolicy(idle=dt.timedelta(minutes=30), touch_every=dt.timedelta(minutes=1))


def _last_seen(store: Store) -> dt.datetime:
    with store.engine.connect() as conn:
        seen: dt.datetime = conn.execute(select(sessions.c.last_seen_at)).scalar_one()
    return seen if seen.tzinfo else seen.replace(tzinfo=dt.UTC)


def test_the_idle_clock_is_written_at_most_once_a_minute(store: Store) -> None:
    clock = FixedClock()
    with store.transaction() as conn:
        make_agency(conn, "pol", "police")
        user = make_user(conn, "ana", "pol", ["analyst"])
        assert user.user_id is not None
        token = create_session(conn, user.user_id, clock, policy=POLICY)
    login = _last_seen(store)
    clock.advance(dt.timedelta(seconds=59))
    with store.transaction() as conn:
        assert session_subject(conn, token, clock, policy=POLICY) == load_subject(conn, "ana")
    assert _last_seen(store) == login  # a read-only request wrote nothing
    clock.advance(dt.timedelta(seconds=2))
    with store.transaction() as conn:
        session_subject(conn, token, clock, policy=POLICY)
    assert _last_seen(store) == clock.now()
    # Used within the minute after that write, then idle: it ends at most a minute early,
    # never later than the idle time after its last use.
    clock.advance(dt.timedelta(seconds=30))
    with store.transaction() as conn:
        session_subject(conn, token, clock, policy=POLICY)
    clock.advance(dt.timedelta(minutes=29, seconds=30))
    with pytest.raises(AuthenticationFailed, match="expired"), store.transaction() as conn:
        session_subject(conn, token, clock, policy=POLICY)


def test_sqlite_serves_with_one_process() -> None:
    settings = Settings(web_workers=4)
    assert _processes(settings, None, sqlite=True) == 1
    assert _processes(settings, None, sqlite=False) == 4
    assert _processes(settings, 2, sqlite=False) == 2


def test_serve_runs_several_workers_on_postgresql(store: Store, tmp_path: Path) -> None:
    """``crosslink serve --workers 2``: PostgreSQL gets two processes, SQLite one."""
    url = store.engine.url.render_as_string(hide_password=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    command = [str(Path(sys.executable).parent / "crosslink"), "--data-dir", str(tmp_path)]
    command += ["--database-url", url, "serve", "--port", str(port), "--workers", "2"]
    env = dict(os.environ, CROSSLINK_COOKIE_SECURE="false", CROSSLINK_DEMO="false")
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        answer = _first_answer(f"http://127.0.0.1:{port}/login", server)
        assert answer == 200
        workers = _children(server.pid)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    if store.engine.dialect.name == "sqlite":
        assert workers == 0 and "SQLite: serving with one process" in errors
    else:
        assert workers == 2, errors


def _first_answer(url: str, server: subprocess.Popen[str]) -> int:
    for _ in range(600):  # a bound on waiting, not a timing assertion
        if server.poll() is not None:
            raise AssertionError(f"crosslink serve exited: {server.communicate()[1]}")
        try:
            return httpx.get(url).status_code
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("crosslink serve did not answer")


def _children(pid: int) -> int:
    """Python processes started by ``pid`` (uvicorn's workers), from /proc."""
    found = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                cmd = (entry / "cmdline").read_bytes()
            except (OSError, IndexError):
                continue
            if ppid == pid and b"spawn_main" in cmd:
                found += 1
    return found
