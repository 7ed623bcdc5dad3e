"""Secondary indexes set aside while a large batch is written, built again at its end.

A record uid is a content hash, so each insert lands at a random page of every index on the
table; for a batch as large as the table already is, building an index once from the sorted
rows costs a fraction of that (100k police rows into SQLite: 14.8 CPU-seconds of writes with
the indexes, 9.0 + 2.0 to build them afterwards). Everything happens in the caller's
transaction: a batch that fails, or a process killed midway, rolls back to the store as it
was, indexes included (SQLite rolls back schema changes with the rest).

Kept throughout: primary keys (the writer looks uids up to skip known records) and the
``(source_id, schema, entity_key)`` index, which resolves links that name an entity by key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Index, inspect, select

from crosslink.store.dialect import is_sqlite
from crosslink.store.schema import links, record_values, records

log = logging.getLogger(__name__)

BYTES_PER_RECORD = 64
"""A cautious guess of file bytes per record written, to judge a batch's size before reading
it (the benchmark's police file: 83 bytes a row, 1.6 records a row)."""

_KEPT = {(records.name, ("source_id", "schema", "entity_key"))}


def _deferrable() -> list[Index]:
    found: list[Index] = []
    for table in (records, record_values, links):
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if (table.name, tuple(c.name for c in index.columns)) not in _KEPT:
                found.append(index)
    return found


def large_batch(conn: Connection, file_size: int) -> bool:
    """Whether to set the indexes aside for a file of ``file_size`` bytes: on SQLite, when it
    likely adds at least as many records as the store holds. Not on PostgreSQL: there it
    saved nothing measurable (100k rows: 88 s with the indexes, 91 s without), and dropping
    an index locks readers out of the table until the batch commits."""
    if not is_sqlite(conn.engine):
        return False
    expected = file_size // BYTES_PER_RECORD
    # Whether the store holds more records than that, without counting them all: the scan
    # stops after ``expected`` rows, so a small file into a large store costs little.
    beyond = conn.execute(select(records.c.uid).limit(1).offset(expected)).first()
    return beyond is None


@contextmanager
def deferred_indexes(conn: Connection, defer: bool) -> Iterator[list[str]]:
    """With ``defer``, drop the deferrable indexes that exist and create them again when the
    block ends normally; yields the names set aside. When the block raises, nothing is
    rebuilt: the caller's transaction must roll back, which restores them."""
    if not defer:
        yield []
        return
    inspector = inspect(conn)
    present = {
        table: {i["name"] for i in inspector.get_indexes(table)}
        for table in (records.name, record_values.name, links.name)
    }
    dropped = [i for i in _deferrable() if i.name in present[i.table.name]]  # type: ignore[union-attr]
    for index in dropped:
        index.drop(conn)
    names = [str(i.name) for i in dropped]
    log.info("indexes set aside for a large batch: %s", ", ".join(names))
    yield names
    for index in dropped:
        index.create(conn)
