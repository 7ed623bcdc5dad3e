"""A throwaway PostgreSQL server from the installed binaries, for tests and benchmarks.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system
user; its data directory is a fresh temporary directory removed on exit.
"""

from __future__ import annotations

import glob
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from crosslink.errors import ServiceUnavailable

log = logging.getLogger(__name__)


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, if any."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("postgres")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TemporaryPostgres:
    """``with TemporaryPostgres() as pg: pg.url("mydb")`` — a server for the block's duration."""

    def __init__(self, bindir: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise ServiceUnavailable(
                "no PostgreSQL server binaries found (install: apt-get install postgresql)"
            )
        self.bindir = found
        self.port = _free_port()
        self.user = "crosslink"
        self._tmp = Path(tempfile.mkdtemp(prefix="crosslink-pg-"))
        self.datadir = self._tmp / "data"
        self._run_as: list[str] = []
        if os.geteuid() == 0:
            # initdb and postgres refuse root; hand the directory to the postgres user.
            pw = pwd.getpwnam("postgres")
            os.chown(self._tmp, pw.pw_uid, pw.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]

    def _cmd(self, tool: str, *args: str) -> None:
        command = [*self._run_as, str(self.bindir / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ServiceUnavailable(f"{tool} failed: {done.stderr.strip() or done.stdout}")

    def start(self) -> TemporaryPostgres:
        self._cmd(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self._tmp} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._cmd(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self._tmp / "server.log"),
            "start",
        )
        log.info("temporary PostgreSQL on port %s", self.port)
        return self

    def stop(self) -> None:
        if self.datadir.exists():
            try:
                self._cmd("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
            except ServiceUnavailable as exc:
                log.warning("stopping the temporary server: %s", exc)
        shutil.rmtree(self._tmp, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def __enter__(self) -> TemporaryPostgres:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
