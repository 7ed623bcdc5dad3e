"""Statistics: tables over a million counted persons, and the estimate on the Dutch lists.

    .venv/bin/python benchmarks/bench_stats.py               # 1M persons
    .venv/bin/python benchmarks/bench_stats.py --persons 200000

Tables: a population of counted persons with the demo world's breakdowns is generated
directly (a 1M-record world takes too long to generate, load and resolve here), then tables of
one, two and three breakdowns are built and suppressed, and one is rounded. What this leaves
out is reading the records from the store (``RecordInput``), which is measured on the demo
world in the same run. MSE: the six Dutch lists (../shared/data/mse), BIC and AIC.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _machine import reference_seconds

from crosslink.demo import WorldConfig, generate_world, load_world
from crosslink.stats.count import CountedPerson, Population, count_population
from crosslink.stats.disclosure import round_down, suppress
from crosslink.stats.mse import Criterion, estimate
from crosslink.stats.observe import RecordInput
from crosslink.stats.rules import load_rules
from crosslink.stats.tables import TableSpec, build_table
from crosslink.store import Store

VALUES = {
    "year": [str(y) for y in range(2015, 2026)] + ["unknown"],
    "status": ["presumed", "identified"],
    "sex": ["female", "male", "unknown"],
    "age_band": ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"],
    "citizenship": ["own country", "other EU", "non-EU", "unknown"],
    "form": ["sexual", "labour", "other", "organ_removal", "unknown"],
    "sector": ["agriculture", "construction", "hospitality", "sex_industry", "cleaning"],
    "region": ["BE", "NL"],
    "agency": ["police", "inspection", "immigration", "centres", "municipality"],
}
LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "mse" / "netherlands_lists.csv"


def population(size: int) -> Population:
    rng = random.Random(7)
    persons = tuple(
        CountedPerson(
            f"E{i:015x}",
            "victim",
            frozenset({"police"}),
            {d: rng.choice(v) for d, v in VALUES.items()},
        )
        for i in range(size)
    )
    return Population(persons, "bench", 1, ("synthetic",))


def timed(label: str, work: Callable[[], int]) -> None:
    started = time.perf_counter()
    result = work()
    print(f"  {label}: {time.perf_counter() - started:.2f} s ({result})")


def tables(size: int) -> None:
    rules = load_rules()
    made = time.perf_counter()
    people = population(size)
    print(f"tables over {size:,} counted persons (population built in "
          f"{time.perf_counter() - made:.1f} s)")  # fmt: skip

    def withheld(spec: TableSpec) -> int:
        cells = suppress(build_table(people, spec, rules), 10).cells
        return sum(v is None for v in cells.values())

    for dims in [("year",), ("year", "form"), ("form", "sex", "citizenship")]:
        chosen = TableSpec("victim", dims)
        timed(f"{' x '.join(dims)}: build + suppress", lambda: withheld(chosen))  # noqa: B023
    spec = TableSpec("victim", ("age_band", "sex"))
    timed(
        "age_band x sex: build + round",
        lambda: len(round_down(build_table(people, spec, rules), 10).cells),
    )


def store_read(scale: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        world = Path(folder) / "world"
        generate_world(WorldConfig(seed=7, scale=scale), world)
        store = Store.from_url(f"sqlite:///{folder}/bench.db")
        store.migrate()
        with store.transaction() as conn:
            load_world(conn, world)
            records = conn.exec_driver_sql("select count(*) from records").scalar()
            started = time.perf_counter()
            counted = count_population(conn, load_rules(), [RecordInput()])
            took = time.perf_counter() - started
        store.dispose()
    print(f"reading and counting the demo world (scale {scale}, {records:,} records): "
          f"{took:.2f} s, {len(counted.persons):,} persons counted")  # fmt: skip


def mse() -> None:
    with LISTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [k for k in rows[0] if k != "frequency"]
    histories = {tuple(int(r[n]) for n in names): int(r["frequency"]) for r in rows}
    criteria: tuple[Criterion, ...] = ("bic", "aic")
    for criterion in criteria:
        started = time.perf_counter()
        found = estimate(names, histories, criterion=criterion)
        print(
            f"MSE, Dutch six lists, {criterion}: observed {found.observed}, total "
            f"{found.total:.0f} ({found.low:.0f}-{found.high:.0f}), "
            f"{len(found.interactions)} interactions, {time.perf_counter() - started:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--scale", type=int, default=5000)
    args = parser.parse_args()
    print(f"reference loop: {reference_seconds():.2f} s")
    tables(args.persons)
    store_read(args.scale)
    mse()
    print(f"reference loop: {reference_seconds():.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
