"""Entity resolution on real, labelled data sets that the demo generator did not write, beside
plain Splink: each set is imported through a plain mapping (``benchmarks/mappings/``) and
resolved with the defaults, exactly as a user's first try would; plain Splink gets a
straightforward model of the same columns with its documented comparisons and training.

    .venv/bin/python benchmarks/bench_real.py                    # every set, both systems
    .venv/bin/python benchmarks/bench_real.py --sets febrl3 fake_1000 --systems crosslink

The sets are those of ``../shared/data/er/`` (its README): FEBRL 1-3, Splink's fake_1000 and
historical figures 50k. Records an import rejects count as unresolved singletons (a lost
record loses its pairs). Each case runs in its own process; ``MiB`` is its peak resident
memory (``ru_maxrss`` of the process and its children). ``sec`` is the resolve alone for
Crosslink (the import is ``import s``) and train + predict + cluster for plain Splink.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _rules import add_argument, chosen, export

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "er"
MAPPINGS = Path(__file__).resolve().parent / "mappings"
THRESHOLD = 0.9


@dataclass(frozen=True)
class DataSet:
    name: str
    file: str
    mapping: str
    region: str
    key: str
    plain: str
    truth_file: str | None = None
    """``rec_id,entity_id`` file; without it, the file's ``cluster`` column."""


SETS = {
    s.name: s
    for s in (
        DataSet("febrl1", "febrl1.csv", "febrl.yaml", "AU", "rec_id", "febrl", "febrl1_truth.csv"),
        DataSet("febrl2", "febrl2.csv", "febrl.yaml", "AU", "rec_id", "febrl", "febrl2_truth.csv"),
        DataSet("febrl3", "febrl3.csv", "febrl.yaml", "AU", "rec_id", "febrl", "febrl3_truth.csv"),
        DataSet("fake_1000", "fake_1000.csv", "fake.yaml", "GB", "unique_id", "fake"),
        DataSet(
            "historical",
            "historical_figures_with_errors_50k.parquet",
            "historical.yaml",
            "GB",
            "unique_id",
            "historical",
        ),
    )
}


def read_rows(data: DataSet) -> list[dict[str, Any]]:
    path = DATA / data.file
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return [dict(r.items()) for r in pq.read_table(path).to_pylist()]
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or None) for k, v in r.items()} for r in csv.DictReader(handle)]


def read_truth(data: DataSet, rows: list[dict[str, Any]]) -> dict[str, str]:
    if data.truth_file is None:
        return {str(r[data.key]): str(r["cluster"]) for r in rows}
    with (DATA / data.truth_file).open(encoding="utf-8", newline="") as handle:
        return {r["rec_id"]: r["entity_id"] for r in csv.DictReader(handle)}


def as_csv(data: DataSet, rows: list[dict[str, Any]], work: Path) -> Path:
    """The set as a CSV file (the parquet one is written out: partners send CSV)."""
    path = DATA / data.file
    if path.suffix == ".csv":
        return path
    out = work / f"{data.name}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


# --- Crosslink: import through the mapping, resolve with the defaults -------------------------


Outcome = tuple[dict[str, str], dict[str, Any]]
"""Record key -> cluster, and figures of the run."""
Prepared = tuple[list[dict[str, Any]], list[Any], list[Any]]
"""Rows for plain Splink, its comparisons and its blocking rules."""


def crosslink(data: DataSet, rows: list[dict[str, Any]], work: Path) -> Outcome:
    from sqlalchemy import select

    from crosslink.ingest import ImportRequest, import_file, load_mapping
    from crosslink.resolve import ResolveOptions, resolve
    from crosslink.resolve.schema import entity_members
    from crosslink.store import Store
    from crosslink.store.schema import records
    from crosslink.store.sources import Source, add_source

    store = Store.from_url(f"sqlite:///{work}/bench.db")
    store.migrate()
    path = as_csv(data, rows, work)
    started = time.perf_counter()
    with store.transaction() as conn:
        add_source(
            conn,
            Source(
                id="bench", agency="bench", dataset=data.name,
                jurisdiction=data.region, default_region=data.region,
            ),
        )  # fmt: skip
        summary = import_file(
            conn,
            ImportRequest(
                path=path, mapping=load_mapping(str(MAPPINGS / data.mapping)), source_id="bench"
            ),
        )
    imported = time.perf_counter() - started
    started = time.perf_counter()
    with store.transaction() as conn:
        options = ResolveOptions(memory_limit="2GB", spill_dir=work / "spill", rules=chosen())
        resolve(conn, options)
    seconds = time.perf_counter() - started
    with store.transaction() as conn:
        members = {
            r.record_uid: r.entity_id
            for r in conn.execute(
                select(entity_members.c.record_uid, entity_members.c.entity_id).where(
                    entity_members.c.entity_type == "Person"
                )
            )
        }
        where = {
            str(uid): int(row)
            for uid, row in conn.execute(
                select(records.c.uid, records.c.row_number).where(records.c.schema == "Person")
            ).all()
        }
    store.dispose()
    # row_number is the line of the file (the header is line 1).
    predicted = {str(rows[where[uid] - 2][data.key]): entity for uid, entity in members.items()}
    extra = {"seconds": seconds, "import_s": imported, "rejected": summary.rows_rejected}
    return predicted, extra


# --- plain Splink: the same columns, Splink's documented comparisons --------------------------


def _plain_febrl(rows: list[dict[str, Any]]) -> Prepared:
    import splink.comparison_library as cl
    from splink import block_on

    table = [
        {
            "unique_id": r["rec_id"],
            "first_name": r["given_name"],
            "surname": r["surname"],
            "dob": r["date_of_birth"],
            "street_number": r["street_number"],
            "address_1": r["address_1"],
            "suburb": r["suburb"],
            "postcode": r["postcode"],
            "state": r["state"],
            "soc_sec_id": r["soc_sec_id"],
        }
        for r in rows
    ]
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d"),
        cl.ExactMatch("street_number"),
        cl.LevenshteinAtThresholds("address_1", 2),
        cl.LevenshteinAtThresholds("suburb", 2),
        cl.LevenshteinAtThresholds("postcode", 1),
        cl.ExactMatch("state"),
        cl.LevenshteinAtThresholds("soc_sec_id", 2),
    ]
    blocking = [
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode", "surname"),
        block_on("soc_sec_id"),
    ]
    return table, comparisons, blocking


def _plain_fake(rows: list[dict[str, Any]]) -> Prepared:
    import splink.comparison_library as cl
    from splink import block_on

    keep = ("first_name", "surname", "dob", "city", "email")
    table = [{"unique_id": r["unique_id"], **{k: r[k] for k in keep}} for r in rows]
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        cl.EmailComparison("email"),
    ]
    blocking = [
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("email"),
    ]
    return table, comparisons, blocking


def _plain_historical(rows: list[dict[str, Any]]) -> Prepared:
    import splink.comparison_library as cl
    from splink import block_on

    keep = ("first_name", "surname", "dob", "birth_place", "postcode_fake", "occupation")
    table = [{"unique_id": r["unique_id"], **{k: r[k] for k in keep}} for r in rows]
    comparisons = [
        cl.NameComparison("first_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
        cl.PostcodeComparison("postcode_fake"),
        cl.ExactMatch("occupation").configure(term_frequency_adjustments=True),
    ]
    blocking = [
        block_on("first_name", "surname"),
        block_on("surname", "dob"),
        block_on("first_name", "dob"),
        block_on("postcode_fake", "first_name"),
    ]
    return table, comparisons, blocking


PLAIN: dict[str, Callable[[list[dict[str, Any]]], Prepared]] = {
    "febrl": _plain_febrl,
    "fake": _plain_fake,
    "historical": _plain_historical,
}


def plain(data: DataSet, rows: list[dict[str, Any]], work: Path) -> Outcome:
    """Splink as its tutorials use it: u by random sampling, the prior from exact names and
    date of birth (recall 0.7), EM on two blocks, clusters at the threshold."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    prepared, comparisons, blocking = PLAIN[data.plain](rows)
    started = time.perf_counter()
    table = pa.Table.from_pylist(prepared)
    api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only", comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
    )  # fmt: skip
    linker = Linker(api.register(table), settings, log_level=None)
    try:
        linker.training.estimate_probability_two_random_records_match(
            [block_on("first_name", "surname", "dob")], recall=0.7
        )
    except Exception as exc:
        logging.warning("plain prior kept: %s", exc)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:
            logging.warning("plain EM skipped: %s", exc)
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    nodes = pa.table({"unique_id": table["unique_id"]})
    clusters = cluster_pairwise_predictions_at_threshold(
        nodes, predictions, api, "unique_id", threshold_match_probability=THRESHOLD
    ).as_pyarrow_table()  # type: ignore[no-untyped-call]
    ids, keys = clusters["unique_id"].to_pylist(), clusters["cluster_id"].to_pylist()
    seconds = time.perf_counter() - started
    return {str(u): str(k) for u, k in zip(ids, keys, strict=True)}, {"seconds": seconds}


SYSTEMS = {"crosslink": crosslink, "plain": plain}


def run_case(name: str, system: str) -> dict[str, Any]:
    from crosslink.resolve.evaluate import scores

    data = SETS[name]
    rows = read_rows(data)
    truth = read_truth(data, rows)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        predicted, extra = SYSTEMS[system](data, rows, Path(tmp))
        seconds = extra.pop("seconds", time.perf_counter() - started)
    # A record the system lost (rejected at import) stands alone.
    full = {uid: predicted.get(uid, f"lost:{uid}") for uid in truth}
    got = scores(full, truth)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "data": name,
        "system": system,
        "pair_p": got.pair_precision,
        "pair_r": got.pair_recall,
        "pair_f1": got.pair_f1,
        "cluster_p": got.cluster_precision,
        "cluster_r": got.cluster_recall,
        "cluster_f1": got.cluster_f1,
        "records": len(truth),
        "lost": len(truth) - len(predicted.keys() & truth.keys()),
        "seconds": seconds,
        "peak_mib": max(own, children) / 1024,
    }


def _print(results: list[dict[str, Any]]) -> None:
    head = (
        f"{'data':<12}{'system':<11}{'pair P':>8}{'pair R':>8}{'pair F1':>8}"
        f"{'clu P':>8}{'clu R':>8}{'clu F1':>8}{'records':>9}{'lost':>6}{'sec':>7}{'MiB':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        print(
            f"{r['data']:<12}{r['system']:<11}{r['pair_p']:>8.4f}{r['pair_r']:>8.4f}"
            f"{r['pair_f1']:>8.4f}{r['cluster_p']:>8.4f}{r['cluster_r']:>8.4f}"
            f"{r['cluster_f1']:>8.4f}{r['records']:>9}{r['lost']:>6}{r['seconds']:>7.1f}"
            f"{r['peak_mib']:>7.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--systems", nargs="*", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--child", nargs=2, metavar=("SET", "SYSTEM"))
    parser.add_argument("--log", action="store_true", help="log resolution's steps to stderr")
    add_argument(parser)
    args = parser.parse_args()
    export(args)
    logging.basicConfig(level=logging.ERROR, format="%(asctime)s %(name)s %(message)s")
    if args.log:
        logging.getLogger("crosslink.resolve").setLevel(logging.INFO)
    if args.child:
        print(json.dumps(run_case(*args.child)))
        return
    results = []
    for name in args.sets:
        for system in args.systems:
            done = subprocess.run(
                [sys.executable, __file__, "--child", name, system, *(["--log"] * args.log)],
                check=True, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"done: {name} {system}", file=sys.stderr)
    _print(results)


if __name__ == "__main__":
    main()
