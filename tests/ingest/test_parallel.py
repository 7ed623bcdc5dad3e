"""Mapping on several processes gives exactly what mapping in-process gives, in file order."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete

from crosslink.ingest import ImportRequest, Mapping, import_file
from crosslink.ingest._drafts import SourceDefaults
from crosslink.ingest._parallel import map_chunks
from crosslink.ingest.readers import FileReader, ReadOptions
from crosslink.store import Store
from crosslink.store.schema import batches, links, record_values, records, rejections
from crosslink.store.sources import Source
from tests.ingest.helpers import GOOD_ROWS, HEADER, snapshot, write_csv

DEFAULTS = SourceDefaults("be-police", "BE", "H1", None, "europol", "B", "2")


def _lines(n: int) -> list[str]:
    lines = [HEADER]
    for i in range(n):
        row = GOOD_ROWS[i % len(GOOD_ROWS)].replace("P", f"X{i}-", 1)
        lines.append(row if i % 7 else f"X{i};;bad;;;verdachte;12;;")
    return lines


def test_workers_map_like_one_process(police_mapping: Mapping, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "many.csv", _lines(1700))
    rows = list(FileReader(path, ReadOptions("csv")).rows())
    alone = list(map_chunks(rows, police_mapping, DEFAULTS, workers=1))
    shared = list(map_chunks(rows, police_mapping, DEFAULTS, workers=2))
    assert [c.rows for c in shared] == [500, 500, 500, 200]
    assert shared == alone
    assert sum(c.rejected for c in alone) == len(range(0, 1700, 7))
    issue_rows = [i[0] for c in alone for i in c.issues]
    assert issue_rows == sorted(issue_rows)  # file order


def test_an_import_with_workers_stores_what_one_process_stores(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "many.csv", _lines(1200))
    request = ImportRequest(path=path, mapping=police_mapping, source_id="be-police", workers=2)
    with store.transaction() as conn:
        summary = import_file(conn, request)
    assert (summary.rows_read, summary.rows_rejected) == (1200, len(range(0, 1200, 7)))
    parallel = snapshot(store)
    with store.transaction() as conn:
        for emptied in (links, rejections, record_values, records, batches):
            conn.execute(delete(emptied))
    request = ImportRequest(path=path, mapping=police_mapping, source_id="be-police", workers=1)
    with store.transaction() as conn:
        import_file(conn, request)
    alone = snapshot(store)
    assert parallel["record_values"] == alone["record_values"]
    for table in ("records", "links"):
        assert _content(parallel[table]) == _content(alone[table]), table


def _content(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Records or links without what differs between two batches: batch id (column 2), times."""
    return [
        tuple(v for i, v in enumerate(row) if i != 2 and not hasattr(v, "isoformat"))
        for row in rows
    ]
