"""Web service under load: entity profile and search latency (p50/p95/p99/max), errors, CPU.

A load generator on loopback: ``crosslink serve`` runs in its own process(es) on a demo world
and N concurrent users (httpx, asyncio), each logged in as the analyst, alternate a search for
a known last name and the profile of a known person entity, with a justification.

The world is built once into --data-dir and reused: ``world/`` (``crosslink demo generate``),
then ``crosslink demo load`` and ``crosslink resolve`` into SQLite (``crosslink.db``), into
--database-url, or with --postgres into a PostgreSQL cluster kept in ``<data-dir>/pg`` (started
when needed, left running with --keep-server so the next run starts at once). Every build step
logs to ``<data-dir>/build.log``; a resolve that runs longer than --resolve-minutes or grows
past --resolve-gib is stopped (the load then runs on the records, with entities only if some
were resolved before).

Users send their next request as soon as the last one answered (--think 0: a stress test, 20
requests always in flight), or after a pause drawn around --think seconds (analysts reading).
The CPU seconds of the service, of PostgreSQL and of this load generator are printed too: on
a small machine the three share the same cores. --server-url (and --server-pid) load a server
started by hand instead.

Usage:
  .venv/bin/python benchmarks/bench_web.py --scale 5000 --users 20 --requests 4000
  .venv/bin/python benchmarks/bench_web.py --postgres --scale 1000000 \
      --data-dir /tmp/crosslink-bench-1m --workers 2 --requests 4000 --keep-server
  .venv/bin/python benchmarks/bench_web.py --postgres --data-dir D --build-only --keep-server
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select, text

from crosslink.access import load_subject, visible_records
from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.api.demo import ensure_demo_accounts
from crosslink.resolve.schema import entities, entity_members
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.pgserver import find_bindir
from crosslink.store.schema import record_values, records

WHY = "benchmark: load test of the workbench"
BIN = Path(sys.executable).parent
TICKS = os.sysconf("SC_CLK_TCK")
# A server for a million records: the default 128 MB of shared buffers would read the indexes
# from the page cache on every query. Durability is off, as in the tests' throwaway servers.
PG_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=200 -c shared_buffers=2GB "
    "-c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB"
)


class BenchPostgres:
    """A PostgreSQL cluster in ``<data-dir>/pg`` that outlives the benchmark (unlike the tests')."""

    def __init__(self, root: Path, port: int) -> None:
        found = find_bindir()
        if found is None:
            raise SystemExit("no PostgreSQL server binaries (apt-get install postgresql)")
        self.bindir, self.root, self.port = found, root, port
        self.datadir = root / "pg"
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.run_as, str(self.bindir / tool), *args], check=True)

    def start(self) -> None:
        if not (self.datadir / "PG_VERSION").exists():
            self.datadir.mkdir(parents=True, exist_ok=True)
            if self.run_as:
                subprocess.run(["chown", "-R", "postgres:postgres", str(self.datadir)], check=True)
            self._run("initdb", "-D", str(self.datadir), "-U", "crosslink", "-A", "trust")
        if (self.datadir / "postmaster.pid").exists():
            return
        options = f"-p {self.port} -k {self.datadir} {PG_OPTIONS}"
        log = str(self.datadir / "server.log")
        self._run("pg_ctl", "-D", str(self.datadir), "-o", options, "-w", "-l", log, "start")
        done = subprocess.run(
            [str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", "crosslink", "crosslink"],
            capture_output=True,
            check=False,
        )
        if done.returncode and b"already exists" not in done.stderr:
            raise SystemExit(done.stderr.decode())

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def url(self) -> str:
        return f"postgresql+psycopg://crosslink@127.0.0.1:{self.port}/crosslink"

    def postmaster(self) -> int:
        return int((self.datadir / "postmaster.pid").read_text().split()[0])


def cli_args(settings: Settings) -> list[str]:
    args = [str(BIN / "crosslink"), "--data-dir", str(settings.data_dir)]
    return args + (["--database-url", settings.database_url] if settings.database_url else [])


def tree(pid: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time of a process tree: the living processes, and the reaped ones via the root."""
    total = 0.0
    for index, member in enumerate(tree(pid)):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if index == 0:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime of reaped children
    return total / TICKS


def rss_gib(pid: int) -> float:
    pages = 0
    for member in tree(pid):
        try:
            pages += int(Path(f"/proc/{member}/statm").read_text().split()[1])
        except OSError:
            continue
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**30


def step(settings: Settings, log: Path, args: list[str], limit_s: float, limit_gib: float) -> bool:
    """Run one CLI build step, logging to ``log``; stop it past the time or memory limit."""
    started, peak = time.monotonic(), 0.0
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(args)}\n")
        out.flush()
        proc = subprocess.Popen(cli_args(settings) + args, stdout=out, stderr=out)
        while proc.poll() is None:
            time.sleep(2)
            peak = max(peak, rss_gib(proc.pid))
            elapsed = time.monotonic() - started
            if elapsed > limit_s or peak > limit_gib:
                proc.kill()
                proc.wait()
                note = f"stopped after {elapsed:.0f} s, peak RSS {peak:.1f} GiB"
                out.write(f"{note}\n")
                print(f"{args[0]} {args[1] if len(args) > 1 else ''}: {note}")
                return False
        note = (
            f"exit {proc.returncode} after {time.monotonic() - started:.0f} s, peak {peak:.1f} GiB"
        )
        out.write(note + "\n")
    print(f"{' '.join(args[:2])}: {note}")
    return proc.returncode == 0


def count(store: Store, table: str) -> int:
    with store.transaction() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608


def prepare(settings: Settings, args: argparse.Namespace) -> Store:
    """Build what is missing: world, load, resolve, demo accounts."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log, world = settings.data_dir / "build.log", settings.data_dir / "world"
    if not (world / "manifest.json").exists():
        gen = ["demo", "generate", "--seed", "7", "--scale", str(args.scale), "--out", str(world)]
        if not step(settings, log, gen, 4 * 3600, 20):
            raise SystemExit(f"generating the world failed, see {log}")
    store = Store.open(settings)
    store.migrate()
    if count(store, "records") == 0 and not step(
        settings, log, ["demo", "load", str(world)], 4 * 3600, 20
    ):
        raise SystemExit(f"loading the world failed, see {log}")
    marker = settings.data_dir / "analyzed"
    if count(store, "entities") == 0 and not args.no_resolve:
        step(settings, log, ["resolve"], args.resolve_minutes * 60, args.resolve_gib)
        marker.unlink(missing_ok=True)
    if settings.database_url and not marker.exists():
        # After a bulk build the planner has no statistics (autovacuum catches up later, in
        # production it has long since): measure the server as it would run.
        started = time.monotonic()
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
        marker.touch()
        print(f"VACUUM (ANALYZE) in {time.monotonic() - started:.0f} s")
    with store.transaction() as conn:
        ensure_demo_accounts(conn, demo=True)
    return store


def samples(store: Store, n: int = 500) -> tuple[list[str], list[str], int]:
    """Last names and person entity ids the analyst may see, and the number of records."""
    with store.transaction() as conn:
        seen = visible_records(load_subject(conn, "analyst"))
        names = list(
            conn.execute(
                select(record_values.c.original)
                .where(record_values.c.prop == "last_name", record_values.c.record_uid.in_(seen))
                .distinct()
                .limit(n)
            ).scalars()
        )
        ids = list(
            conn.execute(
                select(entities.c.id)
                .join(entity_members, entity_members.c.entity_id == entities.c.id)
                .where(entities.c.entity_type == "Person", entity_members.c.record_uid.in_(seen))
                .distinct()
                .limit(n)
            ).scalars()
        )
        if not ids:
            # Not resolved (the resolve was stopped): profiles of person records, which the
            # same endpoint shows as one-record entities with their links.
            ids = list(
                conn.execute(
                    select(records.c.uid)
                    .where(records.c.schema == "Person", records.c.uid.in_(seen))
                    .order_by(records.c.uid)
                    .limit(n)
                ).scalars()
            )
            print(f"no entities: profiles of {len(ids)} person records instead")
        total = conn.execute(select(func.count()).select_from(records)).scalar_one()
    return names, ids, int(total)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CROSSLINK_DEMO="true", CROSSLINK_COOKIE_SECURE="false")
    args = cli_args(settings) + ["serve", "--port", str(port), "--no-demo-accounts"]
    if workers != 1:
        args += ["--workers", str(workers)]
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)


async def wait_up(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(600):
            try:
                if (await client.get("/login")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


class Load:
    """Shared state of the users: the work left and what was measured."""

    def __init__(
        self, names: list[str], ids: list[str], requests: int, seconds: float, think: float
    ) -> None:
        self.names, self.ids, self.left, self.think = names, ids, requests, think
        self.until = time.monotonic() + seconds
        self.out: dict[str, list[float]] = {"search": [], "profile": []}
        self.errors: dict[str, list[str]] = {"search": [], "profile": []}

    def more(self) -> bool:
        self.left -= 1
        return self.left >= 0 and time.monotonic() < self.until


async def user(base: str, load: Load) -> None:
    rng = random.Random()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        login = await client.post(
            "/api/v1/session", json={"username": "analyst", "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        while load.more():
            kind = rng.choice(("search", "profile"))
            if kind == "search" or not load.ids:
                kind, url = "search", "/api/v1/search"
                params = {"q": rng.choice(load.names), "kind": "name"}
            else:
                url, params = f"/api/v1/entities/{rng.choice(load.ids)}", {}
            started = time.perf_counter()
            try:
                response = await client.get(url, params={**params, "justification": WHY})
                error = "" if response.status_code == 200 else str(response.status_code)
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            if error:
                load.errors[kind].append(error)
            else:
                load.out[kind].append((time.perf_counter() - started) * 1000)
            if load.think:
                await asyncio.sleep(rng.expovariate(1 / load.think))


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 0.0


async def run_load(base: str, load: Load, users: int) -> float:
    started = time.perf_counter()
    await asyncio.gather(*(user(base, load) for _ in range(users)))
    return time.perf_counter() - started


def report(load: Load, wall: float) -> None:
    for kind in ("profile", "search"):
        values, errors = load.out[kind], load.errors[kind]
        print(
            f"{kind:8} n={len(values):6} p50={pct(values, 50):7.1f} p95={pct(values, 95):7.1f} "
            f"p99={pct(values, 99):7.1f} max={max(values, default=0):7.1f} ms "
            f"errors={len(errors)} {sorted(set(map(str, errors)))[:3]} "
            f"rate={len(values) / wall:6.1f}/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=int, default=5000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000, help="in all, over the users")
    parser.add_argument("--seconds", type=float, default=600, help="stop earlier after this")
    parser.add_argument("--workers", type=int, default=1, help="crosslink serve --workers")
    parser.add_argument(
        "--think", type=float, default=0, help="mean pause of a user between requests (s)"
    )
    parser.add_argument("--data-dir", type=Path, default=Path("data/bench-web"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--postgres", action="store_true", help="a cluster in <data-dir>/pg")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--keep-server", action="store_true", help="leave PostgreSQL running")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--server-url", default="", help="load a running server instead")
    parser.add_argument("--server-pid", default="0", help="its process id, for its CPU time")
    parser.add_argument("--no-resolve", action="store_true")
    parser.add_argument("--resolve-minutes", type=float, default=25)
    parser.add_argument("--resolve-gib", type=float, default=12)
    args = parser.parse_args()
    pg = BenchPostgres(args.data_dir, args.pg_port) if args.postgres else None
    if pg:
        pg.start()
    url = pg.url() if pg else args.database_url
    settings = Settings(data_dir=args.data_dir, database_url=url, demo=True)
    try:
        store = prepare(settings, args)
        if not args.build_only:
            bench(settings, store, args, pg)
    finally:
        if pg and not args.keep_server:
            pg.stop()


def bench(
    settings: Settings, store: Store, args: argparse.Namespace, pg: BenchPostgres | None
) -> None:
    names, ids, total = samples(store)
    store.dispose()
    backend = "PostgreSQL" if settings.database_url else "SQLite"
    print(
        f"{total} records, {len(ids)} profiles to ask for ({backend}); {args.users} users, "
        f"{args.requests} requests, think time {args.think:g} s, {args.workers} worker(s)"
    )
    port = free_port()
    server = None if args.server_url else start_server(settings, port, args.workers)
    pid = server.pid if server else int(args.server_pid)
    try:
        base = args.server_url or f"http://127.0.0.1:{port}"
        asyncio.run(wait_up(base))
        before = (cpu_seconds(pid), cpu_seconds(pg.postmaster()) if pg else 0.0)
        own = resource.getrusage(resource.RUSAGE_SELF)
        load = Load(names, ids, args.requests, args.seconds, args.think)
        wall = asyncio.run(run_load(base, load, args.users))
        after = (cpu_seconds(pid), cpu_seconds(pg.postmaster()) if pg else 0.0)
        mine = resource.getrusage(resource.RUSAGE_SELF)
        report(load, wall)
        print(
            f"wall {wall:.1f} s; CPU: service {after[0] - before[0]:.1f} s, PostgreSQL "
            f"{after[1] - before[1]:.1f} s, load generator "
            f"{mine.ru_utime + mine.ru_stime - own.ru_utime - own.ru_stime:.1f} s "
            f"(2 cores: {2 * wall:.0f} CPU-s available)"
        )
    finally:
        if server:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
