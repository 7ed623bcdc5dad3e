"""Large batches: indexes set aside and built again (SQLite), the same rows either way, and
the store as before when such a batch fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, inspect

from crosslink.errors import BatchRejected
from crosslink.ingest import ImportRequest, Mapping, import_file
from crosslink.ingest._indexes import BYTES_PER_RECORD, deferred_indexes, large_batch
from crosslink.store import Store
from crosslink.store.schema import batches, links, record_values, records, rejections
from crosslink.store.sources import Source
from tests.ingest.helpers import GOOD_ROWS, HEADER, run_import, snapshot, write_csv
from tests.ingest.test_parallel import _content, _lines


def _indexes(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        found = inspect(conn)
        return {
            str(i["name"])
            for table in ("records", "record_values", "links")
            for i in found.get_indexes(table)
        }


def test_a_batch_larger_than_the_store_sets_indexes_aside_on_sqlite_only(store: Store) -> None:
    with store.transaction() as conn:
        large = large_batch(conn, 10 * BYTES_PER_RECORD)
    assert large == (store.engine.dialect.name == "sqlite")
    before = _indexes(store)
    with store.transaction() as conn, deferred_indexes(conn, True) as names:
        assert names and set(names) < before
        assert not set(names) & {str(i["name"]) for i in inspect(conn).get_indexes("links")}
    assert _indexes(store) == before


def test_a_deferred_batch_stores_what_an_indexed_one_stores(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "many.csv", _lines(900))
    found = {}
    for defer in (True, False):
        request = ImportRequest(
            path=path,
            mapping=police_mapping,
            source_id="be-police",
            chunk_size=200,
            defer_indexes=defer,
        )
        with store.transaction() as conn:
            summary = import_file(conn, request)
        assert summary.records_added > 0
        found[defer] = snapshot(store)
        with store.transaction() as conn:
            for emptied in (links, rejections, record_values, records, batches):
                conn.execute(delete(emptied))
    deferred, indexed = found[True], found[False]
    assert deferred["(indexes)"] == indexed["(indexes)"]
    assert deferred["record_values"] == indexed["record_values"]
    assert sorted(map(repr, (r[2:] for r in deferred["rejections"]))) == sorted(
        map(repr, (r[2:] for r in indexed["rejections"]))
    )
    for table in ("records", "links"):
        assert _content(deferred[table]) == _content(indexed[table]), table


def test_a_failed_large_batch_leaves_store_and_indexes_as_before(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    before = snapshot(store)
    rows = [HEADER, *GOOD_ROWS * 50, "P9;;x;;;verdachte;;;"]
    with pytest.raises(BatchRejected):
        run_import(store, write_csv(tmp_path / "s.csv", rows), police_mapping, strict=True)
    assert snapshot(store) == before


def test_large_means_at_least_as_many_records_as_the_store_holds(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    run_import(store, write_csv(tmp_path / "few.csv", [HEADER, *GOOD_ROWS]), police_mapping)
    with store.transaction() as conn:
        held = len(conn.execute(records.select()).all())
        verdicts = [large_batch(conn, n * BYTES_PER_RECORD) for n in (0, held - 1, held)]
    assert held > 1
    sqlite = store.engine.dialect.name == "sqlite"
    assert verdicts == ([False, False, True] if sqlite else [False, False, False])
