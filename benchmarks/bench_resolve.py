"""Entity resolution: Crosslink's model beside plain Splink, on the demo world and on the
historical-figures set. Accuracy (pairwise and cluster precision / recall / F1), wall time,
records per second and peak memory, printed side by side in one run.

    .venv/bin/python benchmarks/bench_resolve.py                 # demo 10k and 100k, historical
    .venv/bin/python benchmarks/bench_resolve.py --sizes 10000   # quicker
    .venv/bin/python benchmarks/bench_resolve.py --sizes 1000000 --no-historical \
        --cache /tmp/crosslink-er       # build the 1M world once, then reuse it

Systems: ``crosslink`` (the default rules, ``crosslink rules``), ``lenient`` (without the
``names-need-support`` rule: names alone may join) and ``plain``; ``--rules`` switches rules
on or off for both Crosslink systems.

Each case runs in its own process so that peak memory is the case's own: the largest sum of
the resident memory of that process and of the processes it started (a helper deriving rows,
a worker computing the other entity types), sampled five times a second, or the process's
own max RSS when larger; pages they share are counted twice. Times
cover the whole resolve (extract, train, predict, cluster, ids, writes) for Crosslink, and
train + predict + cluster for plain Splink; loading the demo world into the store is not timed.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _machine import reference_seconds
from _rules import add_argument, chosen, export

from crosslink.resolve.rules import RuleSet

ROOT = Path(__file__).resolve().parents[1]
CACHE = os.environ.get("CROSSLINK_BENCH_CACHE")
"""Where ``--cache`` keeps built worlds (passed to the child processes)."""
HISTORICAL = ROOT.parent / "shared" / "data" / "er" / "historical_figures_with_errors_50k.parquet"
THRESHOLD = 0.9


def _peak_mib() -> float:
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, _TREE.peak)


class _TreeMemory:
    """The largest resident memory of this process and its descendants together, sampled;
    ``at_peak``: each process's share then (MiB by pid and command)."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0.0
        self.at_peak: dict[str, float] = {}
        self._every = every
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            shares = _tree_mib(os.getpid())
            total = sum(shares.values())
            if total > self.peak:
                self.peak, self.at_peak = total, shares
            time.sleep(self._every)


def _tree_mib(root: int) -> dict[str, float]:
    page = resource.getpagesize() / 2**20
    out: dict[str, float] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm") as statm:
                resident = int(statm.read().split()[1]) * page
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            out[f"{pid} {command[-60:]}"] = resident
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    pending += [int(c) for c in children.read().split()]
        except (OSError, ValueError):  # ended meanwhile
            continue
    return out


_TREE: _TreeMemory


def plain_splink(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Splink with a plain configuration: names, date of birth, postcode; no cleaning."""
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    table = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [(n, pa.string()) for n in ("unique_id", "first_name", "surname", "dob", "postcode")]
        ),
    )
    api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "surname"),
        ],
    )
    linker = Linker(api.register(table), settings, log_level=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as exc:
            logging.warning("plain EM skipped: %s", exc)
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    nodes = pa.table({"unique_id": table["unique_id"]})
    clusters = cluster_pairwise_predictions_at_threshold(
        nodes, predictions, api, "unique_id", threshold_match_probability=THRESHOLD
    ).as_pyarrow_table()  # type: ignore[no-untyped-call]
    ids, keys = clusters["unique_id"].to_pylist(), clusters["cluster_id"].to_pylist()
    return {str(uid): str(key) for uid, key in zip(ids, keys, strict=True)}


# --- the demo world ---------------------------------------------------------------------------


def _demo_store(scale: int, work: Path) -> tuple[Any, Path]:
    """The demo world of ``scale`` loaded into SQLite under ``work``; reused when a finished
    one is there (``--cache``): a resolve run rewrites only the derived tables."""
    from crosslink.demo import WorldConfig, generate_world, load_world
    from crosslink.store import Store

    out, done = work / f"world{scale}", work / f"demo{scale}.loaded"
    store = Store.from_url(f"sqlite:///{work}/demo{scale}.db")
    if not done.exists():
        generate_world(WorldConfig(seed=7, scale=scale), out)
    store.migrate()  # a reused store is brought up to the code's schema
    if not done.exists():
        with store.transaction() as conn:
            load_world(conn, out)
        done.touch()
    return store, out


def _demo_truth(conn: Any, out: Path) -> dict[str, str]:
    from sqlalchemy import select

    from crosslink.store.schema import records

    with (out / "truth" / "records.csv").open(encoding="utf-8", newline="") as handle:
        truth = {
            (r["file"], int(r["row"]), r["alias"]): r["true_id"]
            for r in csv.DictReader(handle)
            if r["entity_type"] == "Person"
        }
    rows = conn.execute(
        select(records.c.uid, records.c.file_name, records.c.row_number, records.c.alias).where(
            records.c.schema == "Person"
        )
    )
    return {u: truth[(f, n, a)] for u, f, n, a in rows if (f, n, a) in truth}


def _demo_plain_rows(conn: Any) -> list[dict[str, Any]]:
    """Original (uncleaned) values: first name, surname, date of birth, postcode."""
    from sqlalchemy import text

    props: dict[str, dict[str, str]] = {}
    own = text(
        "SELECT r.uid, v.prop, v.original FROM records r JOIN record_values v "
        "ON v.record_uid = r.uid WHERE r.schema = 'Person' "
        "AND v.prop IN ('first_name', 'last_name', 'name', 'birth_date')"
    )
    for uid, prop, original in conn.execute(own):
        props.setdefault(uid, {}).setdefault(prop, original)
    linked = text(
        "SELECT l.source_uid, v.original FROM links l JOIN records t ON t.uid = l.target_uid "
        "JOIN record_values v ON v.record_uid = t.uid "
        "WHERE t.schema = 'Address' AND v.prop = 'postcode'"
    )
    for uid, original in conn.execute(linked):
        if uid in props:
            props[uid].setdefault("postcode", original)
    rows = []
    for uid, p in props.items():
        first, last = p.get("first_name"), p.get("last_name")
        if not (first or last) and p.get("name"):
            first, _, last = p["name"].partition(" ")
        rows.append(
            {
                "unique_id": uid,
                "first_name": (first or "").lower() or None,
                "surname": (last or "").lower() or None,
                "dob": p.get("birth_date"),
                "postcode": p.get("postcode"),
            }
        )
    return rows


def case_demo(scale: int, which: str) -> dict[str, Any]:
    from crosslink.resolve import ResolveOptions, resolve
    from crosslink.resolve.schema import entity_members

    with tempfile.TemporaryDirectory() as tmp:
        store, out = _demo_store(scale, Path(CACHE or tmp))
        with store.transaction() as conn:
            truth = _demo_truth(conn, out)
            started = time.perf_counter()
            if which != "plain":
                options = ResolveOptions(
                    threshold=THRESHOLD,
                    retrain=True,
                    # As the CLI does (Settings.resolve_memory): DuckDB spills beyond it.
                    memory_limit="2GB",
                    spill_dir=Path(CACHE or tmp) / "resolve-spill",
                    rules=_rules_of(which),
                )
                summaries = resolve(conn, options)
                records = sum(s.records for s in summaries)
                rows = conn.execute(
                    entity_members.select().where(entity_members.c.entity_type == "Person")
                )
                predicted = {r.record_uid: r.entity_id for r in rows}
            else:
                plain = _demo_plain_rows(conn)
                records = len(plain)
                predicted = plain_splink(plain)
            seconds = time.perf_counter() - started
        store.dispose()
    return _result(f"demo {scale}", which, predicted, truth, records, seconds)


def _rules_of(which: str) -> RuleSet:
    """The defaults (``--rules`` changed), and for ``lenient`` without the names-alone
    guard."""
    return chosen(("names-need-support",) if which == "lenient" else ())


# --- historical figures -----------------------------------------------------------------------


def case_historical(which: str) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from crosslink.resolve.backend import DuckDBBackend
    from crosslink.resolve.evaluate import raw_record, resolve_table

    rows = pq.read_table(HISTORICAL).to_pylist()
    truth = {r["unique_id"]: r["cluster"] for r in rows}
    started = time.perf_counter()
    if which != "plain":
        raws = [
            raw_record(
                r["unique_id"],
                {
                    "first_name": [r["first_name"]],
                    "last_name": [r["surname"]],
                    "birth_date": [r["dob"]],
                    "address": [r["postcode_fake"]],
                    "birth_place": [r["birth_place"]],
                },
            )
            for r in rows
        ]
        predicted = resolve_table(
            DuckDBBackend(),
            "Person",
            raws,
            threshold=THRESHOLD,
            rules=_rules_of(which),
        )
    else:
        plain = [
            {
                "unique_id": r["unique_id"],
                "first_name": r["first_name"],
                "surname": r["surname"],
                "dob": r["dob"],
                "postcode": r["postcode_fake"],
            }
            for r in rows
        ]
        predicted = plain_splink(plain)
    seconds = time.perf_counter() - started
    return _result("historical 50k", which, predicted, truth, len(rows), seconds)


def _result(
    data: str,
    which: str,
    predicted: dict[str, str],
    truth: dict[str, str],
    records: int,
    seconds: float,
) -> dict[str, Any]:
    from crosslink.resolve.evaluate import scores

    got = scores(predicted, truth)
    return {
        "data": data,
        "system": which,
        "pair_p": got.pair_precision,
        "pair_r": got.pair_recall,
        "pair_f1": got.pair_f1,
        "cluster_p": got.cluster_precision,
        "cluster_r": got.cluster_recall,
        "cluster_f1": got.cluster_f1,
        "records": records,
        "seconds": seconds,
        "per_second": records / seconds if seconds else 0.0,
        "peak_mib": _peak_mib(),
    }


# --- driver -----------------------------------------------------------------------------------

CASES: dict[str, Callable[[str], dict[str, Any]]] = {"historical": case_historical}


def _run_child(case: str, which: str, phases: bool) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", case, which, *(["--phases"] if phases else [])],
        check=True,
        stdout=subprocess.PIPE,
        stderr=None if phases else subprocess.PIPE,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _print(results: list[dict[str, Any]]) -> None:
    head = (
        f"{'data':<16}{'system':<11}{'pair P':>8}{'pair R':>8}{'pair F1':>8}"
        f"{'clu P':>8}{'clu R':>8}{'clu F1':>8}{'records':>9}{'sec':>8}{'rec/s':>8}{'MiB':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        print(
            f"{r['data']:<16}{r['system']:<11}{r['pair_p']:>8.4f}{r['pair_r']:>8.4f}"
            f"{r['pair_f1']:>8.4f}{r['cluster_p']:>8.4f}{r['cluster_r']:>8.4f}"
            f"{r['cluster_f1']:>8.4f}{r['records']:>9}{r['seconds']:>8.1f}"
            f"{r['per_second']:>8.0f}{r['peak_mib']:>7.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--no-historical", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "SYSTEM"))
    parser.add_argument("--cache", type=Path, help="keep built demo worlds here and reuse them")
    parser.add_argument(
        "--systems", nargs="*", default=["crosslink", "lenient", "plain"], help="which to run"
    )
    parser.add_argument(
        "--phases", action="store_true", help="log the time of each phase of a run to stderr"
    )
    add_argument(parser)
    args = parser.parse_args()
    export(args)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
        os.environ["CROSSLINK_BENCH_CACHE"] = str(args.cache.resolve())
    logging.basicConfig(level=logging.ERROR, format="%(asctime)s %(name)s %(message)s")
    if args.phases:
        logging.getLogger("crosslink.resolve").setLevel(logging.INFO)
    if args.child:
        global _TREE
        _TREE = _TreeMemory()
        case, which = args.child
        demo = case.startswith("demo")
        result = case_demo(int(case[4:]), which) if demo else CASES[case](which)
        if args.phases:
            for process, mib in _TREE.at_peak.items():
                logging.getLogger("bench").error("at the peak: %.0f MiB %s", mib, process)
        print(json.dumps(result))
        return
    cases = [f"demo{n}" for n in args.sizes]
    if not args.no_historical and HISTORICAL.is_file():
        cases.append("historical")
    before = reference_seconds()
    results = []
    for case in cases:
        for which in args.systems:
            results.append(_run_child(case, which, args.phases))
            print(f"done: {case} {which}", file=sys.stderr)
    _print(results)
    # The same loop before and after: how fast the shared cores were (see _machine).
    print(f"machine: reference loop {before:.2f} s before, {reference_seconds():.2f} s after")


if __name__ == "__main__":
    main()
