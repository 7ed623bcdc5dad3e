"""Training on a sample of the records when there are many."""

from __future__ import annotations

import pyarrow as pa

from crosslink.resolve.backend import DuckDBBackend
from crosslink.resolve.evaluate import resolve_table, scores
from crosslink.resolve.extract import to_table
from crosslink.resolve.predict import build_linker
from crosslink.resolve.rules import rule_set
from crosslink.resolve.settings import model_for
from crosslink.resolve.train import TrainOptions, training_sample
from tests.resolve.test_labelled import fake_records


def test_a_big_table_is_sampled_and_labelled_records_are_kept() -> None:
    raws, _ = fake_records()
    table = to_table("Person", raws)
    options = TrainOptions(sample_records=300)
    assert training_sample(table, TrainOptions(sample_records=1000), None) is table
    uids = table["unique_id"].to_pylist()
    labels = pa.table({"unique_id_l": uids[:40:2], "unique_id_r": uids[1:40:2]})
    sample = training_sample(table, options, labels)
    kept = set(sample["unique_id"].to_pylist())
    assert set(uids[:40]) <= kept
    assert 250 < sample.num_rows < 400  # about 300, and the 40 labelled
    assert training_sample(table, options, labels).equals(sample)  # seeded


def test_a_model_trained_on_a_sample_scores_every_record() -> None:
    raws, truth = fake_records()
    table = to_table("Person", raws)
    options = TrainOptions(sample_records=500)
    backend = DuckDBBackend()
    spec = model_for("Person")
    linker, how = build_linker(
        backend, table, spec, stored_model=None, options=options, labels=None, strict=False
    )
    assert how.endswith(f" of {table.num_rows}")
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    assert predictions.as_pyarrow_table().num_rows  # type: ignore[no-untyped-call]
    got = scores(resolve_table(DuckDBBackend(), "Person", raws, train=options), truth)
    assert got.pair_precision >= 0.99
    assert got.pair_recall >= 0.4  # 0.50 trained on all of fake_1000


def test_names_and_a_town_alone_train_what_they_can_and_resolve() -> None:
    """No date of birth anywhere: the blocks on dates find nothing, and the run keeps the
    written-down values of what it cannot estimate instead of dying (it used to raise
    Splink's EMTrainingException)."""
    from crosslink.resolve.evaluate import raw_record

    given = ["anna", "jan", "piet", "marie", "ahmed", "ioana", "lukas", "sara", "tom", "eva"]
    family = ["peeters", "jansen", "dubois", "popescu", "yilmaz", "nagy", "smit", "bakker"]
    towns = ["gent", "liege", "breda", "tilburg", "namur", "leuven"]
    raws, truth = [], {}
    for i in range(1200):
        person = i // 2  # two records of each person, the second with a typo
        first = given[person % len(given)]
        last = family[(person // len(given)) % len(family)] + str(person // 80)
        if i % 2:
            last = last[:1] + last[2:]
        town = towns[person % len(towns)]
        uid = f"r{i:05d}"
        raws.append(
            raw_record(uid, {"first_name": [first], "last_name": [last], "locality": [town]})
        )
        truth[uid] = str(person)
    clusters = resolve_table(
        DuckDBBackend(), "Person", raws, rules=rule_set(remove=["names-need-support"])
    )
    assert set(clusters) == set(truth)
    got = scores(clusters, truth)
    assert got.pair_precision > 0.9
