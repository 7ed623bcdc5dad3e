"""Seconds, records per second and peak memory of extraction, per entity type (SQLite).

Each entity type is extracted in a child process of its own, so the peak resident set size
is that type's alone (the parent only reports). The store is opened read-only in spirit:
extraction only reads, inside one transaction that is rolled back.
Usage: .venv/bin/python benchmarks/bench_extract.py [STORE.db] [--types Person,Address]
                                                    [--repeat N]

Without a store, a small demo world (scale 2000) is generated and loaded into a temporary
directory first.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crosslink.demo import WorldConfig, generate_world, load_world
from crosslink.resolve import ENTITY_TYPES
from crosslink.resolve.extract import extract
from crosslink.store import Store


def child(path: Path, entity_type: str) -> dict[str, float]:
    """Extract ``entity_type`` once in this process: seconds, CPU seconds, rows, peak MiB."""
    store = Store.from_url(f"sqlite:///{path}")
    with store.engine.connect() as conn:
        started, cpu = time.perf_counter(), time.process_time()
        table = extract(conn, entity_type)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        conn.rollback()
    store.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "cpu": cpu, "rows": table.num_rows, "peak_mib": peak}


def measure(path: Path, entity_type: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, str(path), "--child", entity_type],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def demo_store(directory: Path) -> Path:
    world = directory / "world"
    generate_world(WorldConfig(seed=7, scale=2000), world)
    path = directory / "demo.db"
    store = Store.from_url(f"sqlite:///{path}")
    store.migrate()
    with store.transaction() as conn:
        load_world(conn, world)
    store.dispose()
    return path


def report(path: Path, types: list[str], repeat: int) -> None:
    print(f"store: {path}")
    print(f"{'type':<14}{'rows':>9}{'seconds':>10}{'cpu s':>8}{'records/s':>11}{'peak MiB':>10}")
    for entity_type in types:
        for _ in range(repeat):
            r = measure(path, entity_type)
            rate = r["rows"] / r["seconds"] if r["seconds"] else 0.0
            print(
                f"{entity_type:<14}{int(r['rows']):>9}{r['seconds']:>10.1f}{r['cpu']:>8.1f}"
                f"{rate:>11.0f}{r['peak_mib']:>10.0f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", type=Path, help="a SQLite store (.db)")
    parser.add_argument("--types", default=",".join(ENTITY_TYPES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.store, args.child)))
        return
    types = [t for t in args.types.split(",") if t]
    if args.store is not None:
        report(args.store, types, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        report(demo_store(Path(tmp)), types, args.repeat)


if __name__ == "__main__":
    main()
