"""Every partner file imports with its bundled mapping; only the spoiled rows are rejected."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from crosslink.store.schema import batches, records, rejections
from tests.demo.conftest import Loaded


def test_every_file_imports_and_only_spoiled_rows_are_rejected(loaded: Loaded) -> None:
    spoiled = loaded.world.truth("spoiled")
    assert spoiled, "the world should contain some deliberately spoiled rows"
    expected = Counter(s["file"] for s in spoiled)
    for result in loaded.files:
        summary = result.summary
        assert summary.batch_id is not None
        assert summary.rows_read > 0
        assert summary.rows_rejected == expected[result.file], result.file
        assert summary.unknown_columns == []
    with loaded.store.transaction() as conn:
        rows = conn.execute(
            select(batches.c.file_name, rejections.c.row_number, rejections.c.reason)
            .join(batches, batches.c.id == rejections.c.batch_id)
            .where(rejections.c.severity == "error")
        ).all()
    found = {(f, r) for f, r, _ in rows}
    assert found == {(s["file"], int(s["row"])) for s in spoiled}
    assert all(reason for _, _, reason in rows)


def test_ground_truth_names_only_records_that_exist(loaded: Loaded) -> None:
    truth = loaded.world.truth("records")
    assert len(truth) > 1000
    with loaded.store.transaction() as conn:
        stored = set(
            conn.execute(
                select(records.c.file_name, records.c.row_number, records.c.alias, records.c.schema)
            ).all()
        )
    missing = [
        t for t in truth if (t["file"], int(t["row"]), t["alias"], t["entity_type"]) not in stored
    ]
    assert missing == []
    stored_ads = {(f, r) for f, r, a, _ in stored if a == "ad"}
    ads = loaded.world.truth("ads")
    assert ads and all((a["file"], int(a["row"])) in stored_ads for a in ads)


def test_every_stored_person_has_a_truth(loaded: Loaded) -> None:
    truth = {(t["file"], int(t["row"]), t["alias"]) for t in loaded.world.truth("records")}
    with loaded.store.transaction() as conn:
        people = conn.execute(
            select(records.c.file_name, records.c.row_number, records.c.alias).where(
                records.c.schema == "Person"
            )
        ).all()
    assert people
    assert all((f, r, a) in truth for f, r, a in people)


def test_loading_again_adds_nothing(loaded: Loaded) -> None:
    from crosslink.demo import load_world

    with loaded.store.transaction() as conn:
        before = conn.execute(select(func.count()).select_from(records)).scalar_one()
        again = load_world(conn, loaded.world.out)
        after = conn.execute(select(func.count()).select_from(records)).scalar_one()
    assert before == after
    assert all(f.summary.duplicate_of is not None for f in again)
