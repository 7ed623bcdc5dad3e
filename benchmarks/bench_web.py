"""Web service under load: entity profile and search latency (p50 / p95) and errors.

A load generator on loopback: ``crosslink serve`` runs in its own process on the demo world
(generated, loaded and resolved once into --data-dir, or an existing store by --database-url)
and N concurrent users (httpx, asyncio), each logged in as the analyst, alternate a search for
a known last name and the profile of a known entity, with a justification, for --seconds.

Usage: .venv/bin/python benchmarks/bench_web.py [--scale 5000] [--users 20] [--seconds 30]
                                                [--data-dir data/bench-web] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from crosslink.access import load_subject, visible_records
from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.api.demo import ensure_demo_accounts
from crosslink.demo import WorldConfig, generate_world, load_world
from crosslink.resolve import ResolveOptions, resolve
from crosslink.resolve.schema import entities, entity_members
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.schema import record_values, records

WHY = "benchmark: load test of the workbench"


def prepare(settings: Settings, scale: int) -> Store:
    store = Store.open(settings)
    store.migrate()
    with store.transaction() as conn:
        count = conn.execute(select(func.count()).select_from(records)).scalar_one()
    if count == 0:
        world = settings.data_dir / "world"
        started = time.perf_counter()
        generate_world(WorldConfig(seed=7, scale=scale), world)
        with store.transaction() as conn:
            load_world(conn, world)
        with store.transaction() as conn:
            resolve(conn, ResolveOptions(started_by="bench"))
        print(f"world of scale {scale} prepared in {time.perf_counter() - started:.0f} s")
    with store.transaction() as conn:
        ensure_demo_accounts(conn, demo=True)
    return store


def samples(store: Store, n: int = 200) -> tuple[list[str], list[str], int]:
    """Last names and entity ids the analyst may see, and the number of records."""
    with store.transaction() as conn:
        analyst = load_subject(conn, "analyst")
        seen = visible_records(analyst)
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
        total = conn.execute(select(func.count()).select_from(records)).scalar_one()
    return names, ids, int(total)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CROSSLINK_DEMO="true", CROSSLINK_COOKIE_SECURE="false")
    args = [str(Path(sys.executable).parent / "crosslink"), "--data-dir", str(settings.data_dir)]
    if settings.database_url:
        args += ["--database-url", settings.database_url]
    args += ["serve", "--port", str(port), "--no-demo-accounts"]
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)


async def wait_up(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/login")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


async def user(
    base: str, names: list[str], ids: list[str], until: float, out: dict[str, list[float]]
) -> None:
    rng = random.Random()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        login = await client.post(
            "/api/v1/session", json={"username": "analyst", "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        while time.monotonic() < until:
            kind = rng.choice(("search", "profile"))
            if kind == "search":
                url, params = "/api/v1/search", {"q": rng.choice(names), "kind": "name"}
            else:
                url, params = f"/api/v1/entities/{rng.choice(ids)}", {}
            started = time.perf_counter()
            try:
                response = await client.get(url, params={**params, "justification": WHY})
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            out[kind if ok else f"{kind}-error"].append(elapsed)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 0.0


async def load(base: str, names: list[str], ids: list[str], users: int, seconds: float) -> None:
    out: dict[str, list[float]] = {k: [] for k in ("search", "profile")}
    out.update({"search-error": [], "profile-error": []})
    until = time.monotonic() + seconds
    await asyncio.gather(*(user(base, names, ids, until, out) for _ in range(users)))
    for kind in ("profile", "search"):
        values = out[kind]
        errors = len(out[f"{kind}-error"])
        print(
            f"{kind:8} n={len(values):6} p50={pct(values, 50):7.1f} ms "
            f"p95={pct(values, 95):7.1f} ms max={max(values, default=0):7.1f} ms "
            f"errors={errors} rate={len(values) / seconds:6.1f}/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--data-dir", type=Path, default=Path("data/bench-web"))
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir, database_url=args.database_url, demo=True)
    store = prepare(settings, args.scale)
    names, ids, total = samples(store)
    store.dispose()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{total} records ({backend}); {args.users} users for {args.seconds:.0f} s")
    port = free_port()
    server = start_server(settings, port)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_up(base))
        asyncio.run(load(base, names, ids, args.users, args.seconds))
    finally:
        server.terminate()
        server.wait(15)


if __name__ == "__main__":
    main()
