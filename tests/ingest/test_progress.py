"""The progress an import reports: bytes, rows, rows a second and the time left."""

from __future__ import annotations

import time
from pathlib import Path

from crosslink.ingest import ImportClock, ImportRequest, Mapping, import_file
from crosslink.store import Store
from crosslink.store.sources import Source
from tests.ingest.helpers import write_csv
from tests.ingest.test_parallel import _lines


def test_the_line_judges_the_time_left_by_the_bytes_read() -> None:
    clock = ImportClock(started=time.monotonic() - 10.0)
    line = clock.line(250, 1000, 5000)
    assert line.fraction == 0.25
    assert 490 <= line.rows_per_second <= 500  # 5000 rows in a little over 10 s
    assert line.seconds_left is not None and 29.9 <= line.seconds_left <= 30.5
    text = str(line)
    assert text.startswith(" 25%  5,000 rows  ")
    assert text.endswith("0:30 left")
    assert ImportClock().line(0, 1000, 0).seconds_left is None
    assert str(ImportClock().line(0, 1000, 0)).endswith("? left")


def test_an_import_reports_rows_as_it_goes_and_all_of_them_at_the_end(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "many.csv", _lines(1200))
    calls: list[tuple[int, int, int]] = []
    request = ImportRequest(path=path, mapping=police_mapping, source_id="be-police")
    with store.transaction() as conn:
        summary = import_file(conn, request, lambda *args: calls.append(args))
    rows = [c[2] for c in calls]
    assert rows == sorted(rows) and rows[0] < 1200
    size = path.stat().st_size
    assert calls[-1] == (size, size, summary.rows_read) == (size, size, 1200)
