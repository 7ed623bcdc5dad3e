"""Import throughput: rows per second and peak memory into SQLite and PostgreSQL, beside the
time DuckDB's read_csv needs merely to read the same file (the floor).

    .venv/bin/python benchmarks/bench_import.py [--rows 100000 1000000]
        [--backends sqlite postgresql]
    .venv/bin/python benchmarks/bench_import.py --profile 20000   # cProfile, one process, SQLite

Each import runs in a fresh subprocess so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAPPING = """
name: bench-police
description: Police reports, one row per person named (Dutch headers)
format: csv
entities:
  person:
    type: Person
    key: [persoon_id]
    category: {column: rol}
    properties:
      last_name: {column: achternaam, required: true}
      first_name: {column: voornaam}
      birth_date: {column: geboortedatum}
      nationality: {column: nationaliteit}
      phone: {column: telefoon}
  phone:
    type: Phone
    properties:
      number: {column: telefoon, required: true}
  account:
    type: BankAccount
    properties:
      iban: {column: iban, required: true}
links:
  - {type: uses, source: person, target: phone}
  - {type: uses, source: person, target: account}
"""

HEADER = "persoon_id;achternaam;voornaam;geboortedatum;nationaliteit;rol;telefoon;iban\n"
SURNAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Popescu",
    "Ionescu",
    "Dimitrov",
    "Nagy",
    "El Amrani",
    "Benali",
    "Hoxha",
    "Nguyen",
    "Yilmaz",
    "De Jong",
    "Müller",
    "Kovačević",
    "Иванов",
]
GIVEN = [
    "Jan",
    "Marie",
    "Ion",
    "Elena",
    "Georgi",
    "Laszlo",
    "Mohamed",
    "Fatima",
    "Arben",
    "Hoa",
    "Mehmet",
    "Anna",
    "Jürgen",
    "Séverine",
    "Мария",
    "Youssef",
]
NATIONALITIES = [
    "Belg",
    "Roemeens",
    "Bulgaars",
    "Hongaars",
    "Marokkaans",
    "Albanees",
    "Vietnamees",
    "Turks",
    "Nederlands",
    "Duits",
    "Frans",
    "Oekraïens",
]
ROLES = ["verdachte", "slachtoffer", "getuige"]
IBANS = [
    "BE71 0961 2345 6769",
    "NL91ABNA0417164300",
    "DE89 3704 0044 0532 0130 00",
    "FR14 2004 1010 0505 0001 3M02 606",
    "GB29 NWBK 6016 1331 9268 19",
    "",
]


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(42)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2005)
            born = rng.choice([f"{day:02d}/{month:02d}/{year}", f"{year}", f"{year}-{month:02d}"])
            phone = rng.choice(
                [
                    f"0470 {rng.randint(0, 999999):06d}",
                    f"+32 48{rng.randint(0, 9)} {rng.randint(0, 999999):06d}",
                    f"+31 6 {rng.randint(10000000, 99999999)}",
                    "",
                ]
            )
            out.write(
                f"P{i};{rng.choice(SURNAMES)};{rng.choice(GIVEN)};{born};"
                f"{rng.choice(NATIONALITIES)};{rng.choice(ROLES)};{phone};"
                f"{rng.choice(IBANS)}\n"
            )


def duckdb_floor(path: Path) -> float:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        "SELECT count(*) FROM read_csv(?, delim=';', header=true, all_varchar=true)", [str(path)]
    ).fetchall()
    con.close()
    return time.perf_counter() - started


def child(url: str, path: str, mapping_path: str, workers_setting: str = "0") -> None:
    """Run one import (in a subprocess) and print its figures as JSON."""
    from crosslink.ingest import ImportRequest, auto_workers, import_file, load_mapping
    from crosslink.store import Store
    from crosslink.store.sources import Source, add_source

    store = Store.from_url(url)
    store.migrate()
    with store.transaction() as conn:
        add_source(conn, Source(id="bench", agency="Bench", dataset="Bench", jurisdiction="BE"))
    request = ImportRequest(
        path=Path(path),
        mapping=load_mapping(mapping_path),
        source_id="bench",
        chunk_size=5000,
        workers=auto_workers(Path(path), int(workers_setting)),
    )
    started = time.perf_counter()
    with store.transaction() as conn:
        summary = import_file(conn, request)
    seconds = time.perf_counter() - started
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    peak = own.ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": summary.rows_read,
                "rejected": summary.rows_rejected,
                "records": summary.records_added,
                "links": summary.links_added,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_mib": peak,
                "workers_peak_mib": workers.ru_maxrss / 1024,
            }
        )
    )


def profile(rows: int) -> None:
    """Import a ``rows``-row file into SQLite in this process (no workers) under cProfile and
    print the functions that took the most time, with and without what they call."""
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path, mapping = work / "police.csv", work / "bench-police.yaml"
        write_file(path, rows)
        mapping.write_text(MAPPING, encoding="utf-8")
        profiler = cProfile.Profile()
        profiler.enable()
        child(f"sqlite:///{work}/profile.db", str(path), str(mapping), "1")
        profiler.disable()
        for order in ("cumulative", "tottime"):
            pstats.Stats(profiler).sort_stats(order).print_stats(25)


def run_child(url: str, path: Path, mapping: Path, workers: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, str(path), str(mapping), str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--child", nargs=4)
    parser.add_argument("--workers", type=int, default=0, help="0: automatic")
    parser.add_argument("--profile", type=int, metavar="ROWS", help="profile one import")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.profile:
        profile(args.profile)
        return
    from crosslink.store.pgserver import TemporaryPostgres

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mapping = work / "bench-police.yaml"
        mapping.write_text(MAPPING, encoding="utf-8")
        pg = TemporaryPostgres().start() if "postgresql" in args.backends else None
        try:
            print(
                f"{'rows':>9} {'MB':>6} {'backend':<10} {'seconds':>8} {'rows/s':>9} "
                f"{'cpu s':>7} {'peak MiB':>9} {'worker MiB':>10} {'duckdb read_csv s':>18}"
            )
            for rows in args.rows:
                path = work / f"police-{rows}.csv"
                write_file(path, rows)
                floor = duckdb_floor(path)
                size = path.stat().st_size / 1e6
                for backend in args.backends:
                    if backend == "sqlite":
                        url = f"sqlite:///{work}/bench-{rows}.db"
                    else:
                        assert pg is not None
                        _create_db(pg.url(), f"bench_{rows}")
                        url = pg.url(f"bench_{rows}")
                    r = run_child(url, path, mapping, args.workers)
                    print(
                        f"{rows:>9} {size:>6.0f} {backend:<10} {r['seconds']:>8.1f} "
                        f"{r['rows'] / r['seconds']:>9,.0f} {r['cpu_seconds']:>7.1f} "
                        f"{r['peak_mib']:>9.0f} {r['workers_peak_mib']:>10.0f} "
                        f"{floor:>18.2f}",
                        flush=True,
                    )
        finally:
            if pg is not None:
                pg.stop()


def _create_db(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()


if __name__ == "__main__":
    main()
