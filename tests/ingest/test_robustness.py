"""Large files stream; a killed import leaves the store exactly as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import text

from crosslink.ingest import Mapping, parse_mapping
from crosslink.store import Store
from crosslink.store.sources import Source
from tests.ingest.helpers import HEADER, POLICE_MAPPING, run_import, snapshot

NOTES_MAPPING = """
name: test-notes
format: csv
entities:
  person:
    type: Person
    key: [persoon_id]
    properties:
      last_name: {column: achternaam, required: true}
      notes: {column: notities}
"""


def test_a_50_mb_file_streams_in_flat_memory(
    store: Store, police_source: Source, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    note = "vaststelling " * 330  # ~4.3 kB of free text per row, as in long police notes
    with path.open("w", encoding="utf-8") as out:
        out.write("persoon_id;achternaam;notities\n")
        row = 0
        while out.tell() < 50 * 1024 * 1024:
            row += 1
            out.write(f"P{row};Naam{row % 977};{note}{row}\n")
    mapping = parse_mapping(NOTES_MAPPING, "notes.yaml")
    tracemalloc.start()
    try:
        summary = run_import(store, path, mapping, chunk_size=500)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.rows_read == row
    assert summary.records_added == row
    # Holding the file would take 50 MB; streaming holds a chunk of 500 rows.
    assert peak < 25 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"


def _big_police_file(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(rows):
            out.write(
                f"P{i};Naam{i};Voornaam{i % 500};{1 + i % 28:02d}/0{1 + i % 9}/19{50 + i % 50}"
                f";Belg;verdachte;+3247{i % 10_000_000:07d};;\n"
            )
    return path


def _write_in_progress(store: Store, db_path: Path | None) -> bool:
    if db_path is not None:
        wal = db_path.with_name(db_path.name + "-wal")
        return wal.exists() and wal.stat().st_size > 4 * 1024 * 1024
    with store.engine.connect() as conn:
        held = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid "
                "WHERE c.relname = 'record_values' AND l.mode = 'RowExclusiveLock' "
                "AND l.pid <> pg_backend_pid() "
                # Every test database is a copy of one template: the same relation oids.
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        ).scalar()
    return bool(held)


def test_an_import_killed_halfway_leaves_the_store_as_before(
    store: Store, police_source: Source, police_mapping: Mapping, tmp_path: Path
) -> None:
    small = tmp_path / "first.csv"
    _big_police_file(small, 50)
    run_import(store, small, police_mapping)
    before = snapshot(store)
    mapping_path = tmp_path / "police.yaml"

    mapping_path.write_text(POLICE_MAPPING, encoding="utf-8")
    big = _big_police_file(tmp_path / "big.csv", 400_000)
    url = store.engine.url.render_as_string(hide_password=False)
    db_path = Path(store.engine.url.database or "") if url.startswith("sqlite") else None
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crosslink",
            "--database-url",
            url,
            "import",
            str(big),
            "--mapping",
            str(mapping_path),
            "--source",
            "be-police",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "CI": ""},
    )
    try:
        deadline = time.monotonic() + 120
        while not _write_in_progress(store, db_path):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else "import ended early"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert workers, "a file this large is mapped by worker processes"
    finally:
        # Killed here even when an assertion failed: a 400k-row import left running (with
        # its workers) would hold the store and the machine's cores for the tests after.
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    store.dispose()
    assert snapshot(store) == before
    # The workers notice their importer is gone and end too: nothing is left running.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, "worker processes outlived the killed import"
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
