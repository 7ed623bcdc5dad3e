"""Blocking that scales: name blocks guarded by dates, broad blocks only while affordable,
and addresses that join only door to door."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pyarrow as pa

from crosslink.resolve.backend import DuckDBBackend
from crosslink.resolve.evaluate import raw_record, resolve_table
from crosslink.resolve.extract import RawRecord, to_table
from crosslink.resolve.predict import affordable, block_pairs, build_linker
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions

PRIORS = TrainOptions(min_records=10**9)  # score with the written-down model, no training


def _person(uid: str, given: str, family: str, born: str | None, *postcodes: str) -> RawRecord:
    return raw_record(
        uid,
        {
            "first_name": [given],
            "last_name": [family],
            "birth_date": [born],
            "address": [f"Rue Haute 1, {p} Bruxelles" for p in postcodes],
        },
    )


def test_block_pairs_counts_the_pairs_of_each_block() -> None:
    people = [
        _person("a", "Jan", "Peeters", "1980-03-14", "1000"),
        _person("b", "Jan", "Peeters", "1980-07-01", "1000", "1050"),
        _person("c", "Jan", "Peters", "1980-01-01", "1050"),
        _person("d", "Marie", "Peeters", "1980-02-02", "1000", "1050"),
        _person("e", "Ana", "Pop", None),
    ]
    table = to_table("Person", people)
    rows = table.to_pylist()
    for columns in (("family_skel", "birth_year"), ("postcodes", "family_skel")):
        keys: Counter[tuple[object, ...]] = Counter()
        for row in rows:
            firsts = [v if isinstance(v, list) else [v] for v in (row[c] for c in columns)]
            combos: list[tuple[object, ...]] = [()]
            for values in firsts:
                combos = [(*k, v) for k in combos for v in values or [None]]
            keys.update(k for k in combos if None not in k)
        expected = sum(n * (n - 1) // 2 for n in keys.values())
        assert block_pairs(table, columns) == expected
        assert expected > 0


def test_broad_blocks_are_left_out_when_they_would_make_too_many_pairs() -> None:
    people = [_person(str(i), f"Given{i}", "Peeters", "1980-03-14") for i in range(30)]
    table = to_table("Person", people)
    spec = model_for("Person")
    assert affordable(table, spec) == spec.broad_blocks  # 435 pairs each at most
    tight = dataclasses.replace(spec, broad_limit=100)
    left = affordable(table, tight)
    assert ("family_skel", "birth_year") not in left  # 30 records of one block: 435 pairs
    assert all(block_pairs(table, b) <= 100 for b in left)


def _compared(people: list[RawRecord], *, strict: bool) -> set[tuple[str, str]]:
    backend = DuckDBBackend()
    try:
        table = to_table("Person", people)
        linker, _ = build_linker(
            backend,
            table,
            model_for("Person"),
            stored_model=None,
            options=PRIORS,
            labels=None,
            strict=strict,
        )
        frame = linker.inference.predict(warning_mode="never")
        got: pa.Table = backend.to_arrow(frame)
        lefts, rights = got["unique_id_l"].to_pylist(), got["unique_id_r"].to_pylist()
        return {(min(a, b), max(a, b)) for a, b in zip(lefts, rights, strict=True)}
    finally:
        backend.close()


def test_strict_name_blocks_skip_namesakes_whose_dates_differ() -> None:
    people = [
        _person("a", "Mohamed", "El Amrani", "1980-03-14"),
        _person("b", "Mohamed", "El Amrani", "1975-11-02"),  # another man
        _person("c", "Mohamed", "El Amrani", "1980-14-03"),  # day and month swapped
        _person("d", "Mohamed", "El Amrani", None),  # a name only
    ]
    strict = _compared(people, strict=True)
    assert ("a", "b") not in strict
    assert {("a", "c"), ("a", "d"), ("b", "d")} <= strict
    # Without the strict-dates rule (the default), the namesakes are compared too.
    assert ("a", "b") in _compared(people, strict=False)


def _address(uid: str, full: str) -> RawRecord:
    return raw_record(uid, {"full": [full], "city": ["Bruxelles"], "country": ["BE"]})


def test_an_address_joins_only_door_to_door() -> None:
    records = [
        _address("a", "Rue Haute 12, 1000 Bruxelles"),
        _address("b", "rue haute 12, 1000 BRUXELLES"),
        _address("c", "Rue Haute, 1000 Bruxelles"),  # which door?
        _address("d", "Rue Haute 14, 1000 Bruxelles"),
        # Other streets, so that one street is not the whole data (term frequencies).
        *(_address(f"x{i}", f"Straat{i} {i}, 1000 Bruxelles") for i in range(400)),
    ]
    backend = DuckDBBackend()
    try:
        clusters = resolve_table(backend, "Address", records, train=PRIORS)
    finally:
        backend.close()
    assert clusters["a"] == clusters["b"]
    assert len({clusters["a"], clusters["c"], clusters["d"]}) == 3
