"""Chunked, idempotent writes of packed rows into the store (inside the caller's transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from crosslink.ingest._drafts import Issue, RefKey
from crosslink.ingest._hashing import digest
from crosslink.ingest._packed import IssueRow, LinkRow, Packed, issue_row
from crosslink.store.dialect import MAX_IN_PARAMS, bulk_insert
from crosslink.store.schema import links, record_values, records, rejections

# Column orders of the tuples this writer builds (bulk_insert names them in its INSERT).
RECORD_COLUMNS = (
    "uid",
    "source_id",
    "batch_id",
    "schema",
    "alias",
    "entity_key",
    "source_key",
    "content_hash",
    "file_name",
    "row_number",
    "handling_code",
    "handling_conditions",
    "source_grade",
    "info_grade",
    "person_category",
    "created_at",
)
VALUE_COLUMNS = ("record_uid", "prop", "idx", "original", "cleaned", "fingerprint")
LINK_COLUMNS = (
    "uid",
    "source_id",
    "batch_id",
    "link_type",
    "source_uid",
    "target_uid",
    "file_name",
    "row_number",
    "handling_code",
    "handling_conditions",
    "source_grade",
    "info_grade",
    "start_date",
    "end_date",
    "created_at",
)
ISSUE_COLUMNS = ("batch_id", "row_number", "column", "value", "reason", "severity", "raw")
_PENDING_LIMIT = 200_000
_KEPT_LATE = 50


@dataclass
class WriteCounts:
    records_added: int = 0
    records_existing: int = 0
    links_added: int = 0
    links_unresolved: int = 0


@dataclass
class ChunkWriter:
    """Buffers packed chunks and writes them ``chunk_size`` rows at a time.

    Uids already in the store (from an earlier batch, or an earlier chunk of this one) are
    skipped, so re-importing a file adds nothing. Links that name an entity by key wait until
    :meth:`finish`, because the entity may come later in the file.
    """

    conn: Connection
    batch_id: int
    source_id: str
    file_name: str
    chunk_size: int
    counts: WriteCounts = field(default_factory=WriteCounts)
    late_issues: list[Issue] = field(default_factory=list)
    _chunks: list[Packed] = field(default_factory=list)
    _rows: int = 0
    _pending: list[LinkRow] = field(default_factory=list)
    _now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def add(self, chunk: Packed) -> None:
        self._chunks.append(chunk)
        self._rows += chunk.rows
        if self._rows >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        chunks, self._chunks, self._rows = self._chunks, [], 0
        self._write_records(chunks)
        ready: list[LinkRow] = []
        for chunk in chunks:
            ready.extend(chunk.links)
            for link in chunk.pending:
                if len(self._pending) >= _PENDING_LIMIT:
                    self._resolve_pending()
                self._pending.append(link)
        self._insert_links(ready)
        self._write_issues([i for chunk in chunks for i in chunk.issues])

    def finish(self) -> None:
        self.flush()
        self._resolve_pending()

    # -- records ---------------------------------------------------------------------------
    def _write_records(self, chunks: list[Packed]) -> None:
        first: dict[str, tuple[Packed, int]] = {}  # a uid's first (chunk, position)
        for chunk in chunks:
            for i, rec in enumerate(chunk.records):
                first.setdefault(rec[0], (chunk, i))
        existing = _existing(self.conn, records.c.uid, list(first))
        self.counts.records_existing += sum(
            1 for chunk in chunks for rec in chunk.records if rec[0] in existing
        )
        new = [spot for uid, spot in first.items() if uid not in existing]
        self.counts.records_added += len(new)
        if not new:
            return
        source, batch, file, now = self.source_id, self.batch_id, self.file_name, self._now
        rows = [
            (rec[0], source, batch, *rec[1:6], file, *rec[6:], now)
            for rec in (chunk.records[i] for chunk, i in new)
        ]
        bulk_insert(self.conn, records, RECORD_COLUMNS, rows)
        values = [v for chunk, i in new for v in chunk.values[i]]
        bulk_insert(self.conn, record_values, VALUE_COLUMNS, values)

    # -- links -----------------------------------------------------------------------------
    def _resolve_pending(self) -> None:
        pending, self._pending = self._pending, []
        keys = {end for link in pending for end in link[2:4] if isinstance(end, RefKey)}
        found = self._lookup(keys)
        ready: list[LinkRow] = []
        for link in pending:
            sources = _ends(link[2], found)
            targets = _ends(link[3], found)
            if not sources or not targets:
                self.counts.links_unresolved += 1
                ref = link[2] if not sources else link[3]
                assert isinstance(ref, RefKey)
                issue = Issue(
                    link[4],
                    None,
                    None,
                    f"{link[1]}: no {' or '.join(ref.schemas)} with that key "
                    "in this source; link not made",
                    "warning",
                )
                self._write_issues([issue_row(issue)])
                if len(self.late_issues) < _KEPT_LATE:
                    self.late_issues.append(issue)
                continue
            ready.extend(
                (_derived_uid(link[0], s, t), link[1], s, t, *link[4:])
                for s in sources
                for t in targets
            )
        self._insert_links(ready)

    def _lookup(self, keys: Iterable[RefKey]) -> dict[RefKey, list[str]]:
        by_key: dict[str, list[RefKey]] = {}
        for key in keys:
            by_key.setdefault(key.entity_key, []).append(key)
        found: dict[RefKey, list[str]] = {}
        entity_keys = list(by_key)
        for start in range(0, len(entity_keys), MAX_IN_PARAMS):
            chunk = entity_keys[start : start + MAX_IN_PARAMS]
            query = select(records.c.uid, records.c.schema, records.c.entity_key).where(
                records.c.source_id == self.source_id, records.c.entity_key.in_(chunk)
            )
            for uid, schema, entity_key in self.conn.execute(query).all():
                for ref in by_key[entity_key]:
                    if schema in ref.schemas:
                        found.setdefault(ref, []).append(uid)
        return found

    def _insert_links(self, ready: Sequence[LinkRow]) -> None:
        """Links whose ends are record uids by now; the first of a uid is kept."""
        rows: dict[str, LinkRow] = {}
        for link in ready:
            rows.setdefault(link[0], link)
        existing = _existing(self.conn, links.c.uid, list(rows))
        source, batch, file, now = self.source_id, self.batch_id, self.file_name, self._now
        new = [
            (uid, source, batch, link_type, s, t, file, *rest, now)
            for uid, (_, link_type, s, t, *rest) in rows.items()
            if uid not in existing
        ]
        if new:
            bulk_insert(self.conn, links, LINK_COLUMNS, new)
        self.counts.links_added += len(new)

    def _write_issues(self, issues: list[IssueRow]) -> None:
        if issues:
            batch = self.batch_id
            bulk_insert(self.conn, rejections, ISSUE_COLUMNS, [(batch, *i) for i in issues])


def _ends(end: str | RefKey, found: dict[RefKey, list[str]]) -> list[str]:
    return [end] if isinstance(end, str) else found.get(end, [])


def _derived_uid(link_uid: str, source_uid: str, target_uid: str) -> str:
    return digest([link_uid, source_uid, target_uid])


def _existing(conn: Connection, column: Any, uids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(uids), MAX_IN_PARAMS):
        chunk = uids[start : start + MAX_IN_PARAMS]
        found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found
