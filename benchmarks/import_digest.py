"""A digest of what importing the demo world stores: records, values, links, rejections and
batch counts, without what differs from run to run (ids, times). Two importers that store
the same thing print the same digests.

    .venv/bin/python benchmarks/import_digest.py WORLD_DIR [--scale 2000] [--workers 1]

Generates the world into WORLD_DIR when it holds none (seed 3), imports it into a fresh
SQLite store in a temporary directory, and prints one digest a table and one for all.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
from pathlib import Path
from typing import Any

QUERIES = {
    "records": "SELECT uid, source_id, schema, alias, entity_key, source_key, content_hash, "
    "file_name, row_number, handling_code, handling_conditions, source_grade, info_grade, "
    "person_category FROM records",
    "record_values": "SELECT record_uid, prop, idx, original, cleaned, fingerprint "
    "FROM record_values",
    "links": "SELECT uid, source_id, link_type, source_uid, target_uid, file_name, row_number, "
    "handling_code, handling_conditions, source_grade, info_grade, start_date, end_date "
    "FROM links",
    "rejections": "SELECT b.file_name, r.row_number, r.column, r.value, r.reason, r.severity, "
    "r.raw FROM rejections r JOIN batches b ON b.id = r.batch_id",
    "batches": "SELECT file_name, rows_read, rows_rejected, records_added, records_existing, "
    "links_added, warnings FROM batches",
}


def digests(url: str) -> dict[str, tuple[int, str]]:
    """Rows and a SHA-256 of the sorted rows, per table."""
    from sqlalchemy import text

    from crosslink.store import Store

    store = Store.from_url(url)
    out: dict[str, tuple[int, str]] = {}
    with store.engine.connect() as conn:
        for name, query in QUERIES.items():
            rows: list[Any] = sorted(repr(tuple(r)) for r in conn.execute(text(query)))
            out[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    store.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("world", type=Path)
    parser.add_argument("--scale", type=int, default=2000)
    args = parser.parse_args()
    from crosslink.demo import WorldConfig, generate_world, load_world
    from crosslink.store import Store

    if not (args.world / "manifest.json").exists():
        generate_world(WorldConfig(seed=3, scale=args.scale), args.world)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/digest.db"
        store = Store.from_url(url)
        store.migrate()
        with store.transaction() as conn:
            load_world(conn, args.world)
        store.dispose()
        found = digests(url)
    whole = hashlib.sha256()
    for name, (count, digest) in found.items():
        print(f"{name:<14} {count:>9,} rows  {digest[:16]}")
        whole.update(digest.encode())
    print(f"{'all':<14} {'':>14}  {whole.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
