"""Chunked, idempotent writes of mapped rows into the store (inside the caller's transaction)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from crosslink.ingest._drafts import Issue, LinkDraft, RecordDraft, RefKey, RowResult
from crosslink.ingest._hashing import digest
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
    """Buffers mapped rows and writes them ``chunk_size`` rows at a time.

    Uids already in the store (from an earlier batch, or an earlier chunk of this one) are
    skipped, so re-importing a file adds nothing. Links that name an entity by key wait until
    :meth:`finish`, because the entity may come later in the file.
    """

    conn: Connection
    batch_id: int
    source_id: str
    file_name: str
    chunk_size: int
    keep_raw: bool = True
    counts: WriteCounts = field(default_factory=WriteCounts)
    late_issues: list[Issue] = field(default_factory=list)
    _rows: list[RowResult] = field(default_factory=list)
    _raw: dict[int, dict[str, Any]] = field(default_factory=dict)
    _pending: list[tuple[RowResult, LinkDraft]] = field(default_factory=list)
    _now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def add(self, result: RowResult, raw: dict[str, Any]) -> None:
        self._rows.append(result)
        if result.issues and self.keep_raw:
            self._raw[result.number] = raw
        if len(self._rows) >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        rows, self._rows = self._rows, []
        issues = [(i, self._raw.get(r.number)) for r in rows for i in r.issues]
        self._raw.clear()
        accepted = [r for r in rows if not r.rejected]
        self._write_records(accepted)
        self._write_links(accepted)
        self._write_issues(issues)

    def finish(self) -> None:
        self.flush()
        self._resolve_pending()

    # -- records ---------------------------------------------------------------------------
    def _write_records(self, rows: list[RowResult]) -> None:
        drafts: dict[str, tuple[RowResult, RecordDraft]] = {}
        for row in rows:
            for rec in row.records:
                drafts.setdefault(rec.uid, (row, rec))
        existing = _existing(self.conn, records.c.uid, list(drafts))
        self.counts.records_existing += sum(
            1 for row in rows for rec in row.records if rec.uid in existing
        )
        new = [(row, rec) for uid, (row, rec) in drafts.items() if uid not in existing]
        self.counts.records_added += len(new)
        if not new:
            return
        bulk_insert(
            self.conn, records, RECORD_COLUMNS, [self._record_row(row, rec) for row, rec in new]
        )
        values = [
            (rec.uid, v.prop, v.idx, v.original, v.cleaned, v.fingerprint)
            for _, rec in new
            for v in rec.values
        ]
        bulk_insert(self.conn, record_values, VALUE_COLUMNS, values)

    def _record_row(self, row: RowResult, rec: RecordDraft) -> tuple[Any, ...]:
        prov = row.provenance
        assert prov is not None  # accepted rows always carry provenance
        return (
            rec.uid,
            self.source_id,
            self.batch_id,
            rec.schema,
            rec.alias,
            rec.entity_key,
            rec.source_key,
            rec.content_hash,
            self.file_name,
            row.number,
            prov.handling_code,
            prov.handling_conditions,
            prov.source_grade,
            prov.info_grade,
            rec.person_category,
            self._now,
        )

    # -- links -----------------------------------------------------------------------------
    def _write_links(self, rows: list[RowResult]) -> None:
        ready: list[tuple[RowResult, LinkDraft, str, str]] = []
        for row in rows:
            for link in row.links:
                if isinstance(link.source, RefKey) or isinstance(link.target, RefKey):
                    if len(self._pending) >= _PENDING_LIMIT:
                        self._resolve_pending()
                    self._pending.append((row, link))
                else:
                    ready.append((row, link, link.source, link.target))
        self._insert_links(ready)

    def _resolve_pending(self) -> None:
        pending, self._pending = self._pending, []
        ready: list[tuple[RowResult, LinkDraft, str, str]] = []
        keys = {
            end
            for _, link in pending
            for end in (link.source, link.target)
            if isinstance(end, RefKey)
        }
        found = self._lookup(keys)
        for row, link in pending:
            sources = _ends(link.source, found)
            targets = _ends(link.target, found)
            if not sources or not targets:
                self.counts.links_unresolved += 1
                ref = link.source if not sources else link.target
                assert isinstance(ref, RefKey)
                issue = Issue(
                    row.number,
                    None,
                    None,
                    f"{link.link_type}: no {' or '.join(ref.schemas)} with that key "
                    "in this source; link not made",
                    "warning",
                )
                self._write_issues([(issue, None)])
                if len(self.late_issues) < _KEPT_LATE:
                    self.late_issues.append(issue)
                continue
            ready.extend((row, link, s, t) for s in sources for t in targets)
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

    def _insert_links(self, ready: Sequence[tuple[RowResult, LinkDraft, str, str]]) -> None:
        rows: dict[str, tuple[Any, ...]] = {}
        for row, link, source_uid, target_uid in ready:
            uid = (
                link.uid
                if isinstance(link.source, str) and isinstance(link.target, str)
                else _derived_uid(link.uid, source_uid, target_uid)
            )
            prov = row.provenance
            assert prov is not None
            rows.setdefault(
                uid,
                (
                    uid,
                    self.source_id,
                    self.batch_id,
                    link.link_type,
                    source_uid,
                    target_uid,
                    self.file_name,
                    row.number,
                    prov.handling_code,
                    prov.handling_conditions,
                    prov.source_grade,
                    prov.info_grade,
                    link.start_date,
                    link.end_date,
                    self._now,
                ),
            )
        existing = _existing(self.conn, links.c.uid, list(rows))
        new = [r for uid, r in rows.items() if uid not in existing]
        if new:
            bulk_insert(self.conn, links, LINK_COLUMNS, new)
        self.counts.links_added += len(new)

    def _write_issues(self, issues: list[tuple[Issue, dict[str, Any] | None]]) -> None:
        if not issues:
            return
        self.conn.execute(
            rejections.insert(),
            [
                {
                    "batch_id": self.batch_id,
                    "row_number": i.row,
                    "column": i.column,
                    "value": i.value,
                    "reason": i.reason,
                    "severity": i.severity,
                    "raw": json.dumps(raw, ensure_ascii=False)
                    if raw and i.severity == "error"
                    else None,
                }
                for i, raw in issues
            ],
        )


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
