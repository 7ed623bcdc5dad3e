"""A labelled data set (fake_1000.csv, its ``cluster`` column) and backend parity."""

from __future__ import annotations

from collections import defaultdict

import pyarrow.csv as pacsv
import pytest

from crosslink.errors import ServiceUnavailable
from crosslink.resolve._pairs import EdgeArrays
from crosslink.resolve.backend import Backend, DuckDBBackend, SparkBackend, SparkOptions
from crosslink.resolve.cluster import cluster
from crosslink.resolve.evaluate import raw_record, resolve_table, scores
from crosslink.resolve.extract import RawRecord, to_table
from crosslink.resolve.namesakes import identities
from crosslink.resolve.predict import ConflictRule, build_linker, conflicts_among, score
from crosslink.resolve.rules import rule_set
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions
from tests.conftest import _service_missing, shared_file


def fake_records(city_of_birth: bool = False) -> tuple[list[RawRecord], dict[str, str]]:
    """fake_1000's records; with ``city_of_birth``, its city is a place of birth instead."""
    rows = pacsv.read_csv(shared_file("er", "fake_1000.csv")).to_pylist()
    raws = [
        raw_record(
            str(r["unique_id"]),
            {
                "first_name": [r["first_name"]],
                "last_name": [r["surname"]],
                "birth_date": [str(r["dob"]) if r["dob"] else None],
                "email": [r["email"]],
                ("birth_place" if city_of_birth else "address"): [r["city"]],
            },
        )
        for r in rows
    ]
    return raws, {str(r["unique_id"]): str(r["cluster"]) for r in rows}


def test_fake_1000_against_its_labels() -> None:
    raws, truth = fake_records()
    # Splink's fake_1000 corrupts dates of birth at random: 47 % of its true pairs differ in
    # two or three parts of the date, so dates are evidence, not proof (strict-dates is
    # opt-in).
    got = scores(resolve_table(DuckDBBackend(), "Person", raws), truth)
    assert got.pair_precision >= 0.98  # measured 0.988
    assert got.pair_recall >= 0.78  # measured 0.817 (0.50 under the names-alone guard)


def test_strict_dates_keep_fake_1000_people_with_other_dates_apart() -> None:
    raws, truth = fake_records()
    clusters = resolve_table(DuckDBBackend(), "Person", raws, rules=rule_set(add=["strict-dates"]))
    dates = {r.uid: r.first("birth_date") for r in raws}
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, key in clusters.items():
        groups[key].append(uid)
    # No entity holds two full dates of birth in the same year with another month and day
    # (day and month swapped is a typo, not another person).
    for members in groups.values():
        full = {d for d in (dates[u] for u in members) if d and len(d) == 10}
        for a in full:
            for b in full:
                swapped = a[5:7] == b[8:] and a[8:] == b[5:7]
                other = a[:4] == b[:4] and a[5:7] != b[5:7] and a[8:] != b[8:]
                assert swapped or not other, (a, b)
    assert scores(clusters, truth).pair_precision >= 0.99


def _partition(clusters: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for uid, key in clusters.items():
        groups[key].add(uid)
    return {frozenset(g) for g in groups.values()}


def _spark() -> Backend:
    try:
        return SparkBackend(SparkOptions(master="local[1]", shuffle_partitions=1))
    except (ServiceUnavailable, ImportError) as exc:
        _service_missing(f"Spark unavailable: {exc}")
        raise


def _scored_keys(backend: Backend, raws: list[RawRecord], train: TrainOptions) -> list[str]:
    """The pairs ``backend`` scores, in the order it gives them, with their evidence."""
    table = to_table("Person", raws)
    linker, how = build_linker(
        backend, table, model_for("Person"), stored_model=None, options=train, labels=None
    )
    uids = table["unique_id"].to_pylist()
    scored = score(backend, linker, 0.01, how, nodes=table["unique_id"])
    # The edges as the engine's arrays are the edges as Python made them, position by position.
    assert scored.arrays is not None
    assert scored.arrays.nodes == sorted(uids)
    made = EdgeArrays.of(scored.edges, scored.arrays.nodes)
    for name in ("left", "right", "probability", "bits", "supported"):
        assert getattr(scored.arrays, name).equals(getattr(made, name)), name
    texts = scored.detail.to_pylist()
    return [f"{e.left} {e.right} {text}" for e, text in zip(scored.edges, texts, strict=True)]


@pytest.mark.spark
def test_duckdb_and_spark_give_the_same_clusters_and_pairs_in_key_order() -> None:
    raws, _ = fake_records()
    sample = raws[:150]
    priors = TrainOptions(min_records=10**9)  # same parameters on both: no training
    duck = resolve_table(DuckDBBackend(), "Person", sample, train=priors)
    ducked = _scored_keys(DuckDBBackend(), sample, priors)
    spark = _spark()
    try:
        sparked = resolve_table(spark, "Person", sample, train=priors)
        sparked_keys = _scored_keys(spark, sample, priors)
    finally:
        spark.close()
    assert _partition(duck) == _partition(sparked)
    assert len(_partition(duck)) < len(sample)  # something was joined
    # Stored in the order the engine sorted them (the tables' keys), each with its evidence.
    assert ducked == sparked_keys
    assert len(ducked) > 50
    assert [k.split()[:2] for k in ducked] == sorted(k.split()[:2] for k in ducked)


def test_a_shared_place_of_birth_corroborates_names() -> None:
    raws, _ = fake_records(city_of_birth=True)
    people = [("b1", "Kraków"), ("b2", "KRAKOW"), ("b3", "Gdańsk")]
    raws += [
        raw_record(
            uid,
            {"first_name": ["Wojciech"], "last_name": ["Kowalczyk"], "birth_place": [place]},
        )
        for uid, place in people
    ]
    # The names-alone guard (opt-in) and what corroborates names under it.
    guard = rule_set(add=["names-need-support"])
    clusters = resolve_table(DuckDBBackend(), "Person", raws, rules=guard)
    assert clusters["b1"] == clusters["b2"]  # one place, written two ways
    # Names alone: another place of birth leaves the third to an analyst.
    assert clusters["b3"] not in (clusters["b1"], clusters["b2"])


def test_a_year_alone_is_not_a_birthday() -> None:
    # A reception centre notes the year a client gives ("1996"); so does a police report.
    # The same year is what a partial date is worth, not the same day.
    def person(uid: str, given: str, born: str) -> RawRecord:
        values = {"first_name": [given], "last_name": ["Sharif"], "birth_date": [born]}
        return raw_record(uid, {**values, "nationality": ["MA"]})

    raws = [
        person("year", "Mostafa", "1996"),
        person("year again", "Mustafa", "1996"),
        person("day", "Mostafa", "1996-03-04"),
        person("day again", "Mustafa", "1996-03-04"),
    ]
    # Others, so that Sharif is not the name every record bears (term frequencies).
    raws += [
        raw_record(f"o{i}", {"first_name": ["Ana"], "last_name": [f"Other{chr(97 + i)}"]})
        for i in range(26)
    ]
    clusters = resolve_table(DuckDBBackend(), "Person", raws)
    assert clusters["day"] == clusters["day again"]
    assert clusters["year"] != clusters["year again"]


def test_the_edges_as_arrays_make_the_clusters_the_list_makes() -> None:
    raws, _ = fake_records()
    # A register entry, and a counterparty with the same rare name and nothing else.
    name = {"first_name": ["Wojciech"], "last_name": ["Kowalczyk"]}
    raws += [
        raw_record("reg", {**name, "birth_date": ["1981-04-02"], "nationality": ["PL"]}),
        raw_record("str", name),
    ]
    table = to_table("Person", raws)
    spec = model_for("Person")
    backend = DuckDBBackend()
    linker, how = build_linker(
        backend, table, spec, stored_model=None, options=TrainOptions(), labels=None
    )
    rule = ConflictRule.of(spec, 0.01, 11.0)
    nodes = table["unique_id"].to_pylist()
    scored = score(backend, linker, 0.3, how, rule, nodes=table["unique_id"])
    made = [
        cluster(
            backend,
            nodes,
            scored.edges,
            0.9,
            conflicts=scored.conflicts,
            check=lambda pairs: conflicts_among(backend, linker, pairs, rule),
            identities=identities(table, spec),
            arrays=arrays,
        )
        for arrays in (None, scored.arrays)
    ]
    assert scored.arrays is not None
    assert made[0].members == made[1].members
    assert made[0].sole == made[1].sole
    assert len(set(made[0].members.values())) < len(nodes)  # something was joined
    assert made[0].members["str"] == made[0].members["reg"]  # its sole namesake


def test_two_national_register_numbers_are_two_people() -> None:
    # Namesakes born the same day: the register gave each a number of their own, for life.
    raws, _ = fake_records()
    person = {
        "first_name": ["Wojciech"],
        "last_name": ["Kowalczyk"],
        "birth_date": ["1981-04-02"],
        "nationality": ["BE"],
    }
    raws += [
        raw_record("nn-1", {**person, "national_id": ["81040212391"]}),
        raw_record("nn-2", {**person, "national_id": ["81040212589"]}),
        raw_record("nn-3", {**person, "national_id": ["81040212391"], "phone": ["+32470000001"]}),
    ]
    clusters = resolve_table(DuckDBBackend(), "Person", raws)
    assert clusters["nn-1"] == clusters["nn-3"] != clusters["nn-2"]
