"""Hardening figures (issue #24): searches while a long request runs, and the service's peak
memory while zip bombs are uploaded.

``crosslink serve`` runs in its own process on a small demo world (SQLite, built once into
--data-dir). N users (threads, httpx), each logged in as the analyst, search for known last
names with a justification:

1. idle: the p95 of their searches;
2. during a long import: the investigator uploads and imports a police file of --rows rows
   (one POST); the users' p95 and errors while it runs;
3. zip bombs: the inspector uploads --bombs workbooks whose shared strings unpack to 1 GiB
   each; the service's peak resident memory (VmHWM) before and after, and the answers.

Usage:
  .venv/bin/python benchmarks/bench_hardening.py --scale 1000 --users 5 --rows 3000
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import httpx
from openpyxl import Workbook
from sqlalchemy import select

from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.schema import record_values

WHY = "benchmark: hardening"
BIN = Path(sys.executable).parent


def _cli(data: Path, *args: str) -> None:
    subprocess.run([str(BIN / "crosslink"), "--data-dir", str(data), *args], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def build(data: Path, scale: int) -> None:
    if (data / "crosslink.db").exists():
        return
    _cli(data, "demo", "generate", "--scale", str(scale), "--out", str(data / "world"))
    _cli(data, "demo", "load", str(data / "world"))
    _cli(data, "resolve")


def last_names(data: Path) -> list[str]:
    store = Store.open(Settings(data_dir=data))
    with store.engine.connect() as conn:
        found = conn.execute(
            select(record_values.c.original).where(record_values.c.prop == "last_name").limit(200)
        ).scalars()
        names = sorted({str(n) for n in found})
    store.dispose()
    return names


def serve(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CROSSLINK_DEMO": "true", "CROSSLINK_COOKIE_SECURE": "false"}
    command = [str(BIN / "crosslink"), "--data-dir", str(data), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(url + "/login", timeout=1)
            return server, url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def login(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=120)
    answer = client.post("/api/v1/session", json={"username": username, "password": DEMO_PASSWORD})
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


def searches(clients: list[httpx.Client], names: list[str], until: threading.Event,
             least: int) -> tuple[list[float], int]:  # fmt: skip
    """Each client searches until ``until`` is set and it has searched ``least`` times."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def user(client: httpx.Client, seed: int) -> None:
        pick = random.Random(seed)
        done = 0
        while done < least or not until.is_set():
            started = time.perf_counter()
            answer = client.get(
                "/api/v1/search", params={"q": pick.choice(names), "justification": WHY}
            )
            with lock:
                times.append(time.perf_counter() - started)
                errors[0] += answer.status_code != 200
            done += 1

    threads = [threading.Thread(target=user, args=(c, i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors[0]


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]


def police_file(world: Path, path: Path, rows: int) -> Path:
    lines = (
        (world / "partners" / "be_police_reports.csv").read_text(encoding="utf-8-sig").splitlines()
    )
    header, body = lines[0], lines[1:]
    out = [header]
    for i in range(rows):
        cells = body[i % len(body)].split(";")
        cells[0] = f"BENCH-{i}"
        out.append(";".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def zip_bomb(path: Path) -> Path:
    honest = path.with_name("honest.xlsx")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nom"])
    book.save(honest)
    with zipfile.ZipFile(honest) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != "xl/sharedStrings.xml":
                new.writestr(item, old.read(item.filename))
        with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            for _ in range(1024):
                part.write(b"A" * (1024 * 1024))
    return path


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/crosslink-bench-harden"))
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--searches", type=int, default=10, help="Per user, idle.")
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--bombs", type=int, default=2)
    args = parser.parse_args()
    data = args.data_dir
    build(data, args.scale)
    names = last_names(data)
    server, url = serve(data)
    try:
        clients = [login(url, "analyst") for _ in range(args.users)]
        done = threading.Event()
        done.set()
        idle, idle_errors = searches(clients, names, done, args.searches)
        print(f"idle: {len(idle)} searches by {args.users} users, p95 {p95(idle) * 1000:.0f} ms, "
              f"{idle_errors} errors")  # fmt: skip
        investigator = login(url, "investigator")
        upload = police_file(data / "world", data / "bench_police.csv", args.rows)
        running = threading.Event()
        result: dict[str, object] = {}

        def long_import() -> None:
            started = time.perf_counter()
            with upload.open("rb") as handle:
                answer = investigator.post(
                    "/api/v1/imports",
                    files={"file": (upload.name, handle, "text/csv")},
                    data={
                        "mapping": "demo-be-police",
                        "source_id": "demo-be-police",
                        "dry_run": "true",
                    },  # fmt: skip
                )
            result["status"], result["seconds"] = answer.status_code, time.perf_counter() - started
            running.set()

        worker = threading.Thread(target=long_import)
        worker.start()
        busy, busy_errors = searches(clients, names, running, 1)
        worker.join()
        print(f"during a {result['seconds']:.1f} s import of {args.rows} rows "
              f"(HTTP {result['status']}): {len(busy)} searches, p95 {p95(busy) * 1000:.0f} ms, "
              f"{busy_errors} errors")  # fmt: skip
        inspector = login(url, "inspector")
        bomb = zip_bomb(data / "bomb.xlsx")
        before = peak_mb(server.pid)
        answers = []
        for _ in range(args.bombs):
            with bomb.open("rb") as handle:
                answer = inspector.post(
                    "/api/v1/imports",
                    files={"file": (bomb.name, handle, "application/octet-stream")},
                    data={"mapping": "demo-be-inspection", "source_id": "demo-be-inspection"},
                )
            answers.append(answer.status_code)
        print(f"{args.bombs} zip bombs ({bomb.stat().st_size // 1024} KB, 1 GiB unpacked): "
              f"answers {answers}; service peak RSS {before:.0f} MB before, "
              f"{peak_mb(server.pid):.0f} MB after")  # fmt: skip
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
