"""Import one partner file: read, map, validate, write; one batch, all or nothing."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select, update

from crosslink.access.consult import authorize_import, log_collection
from crosslink.access.policy import Subject
from crosslink.errors import BatchRejected, MappingError
from crosslink.ingest._drafts import Issue, SourceDefaults
from crosslink.ingest._hashing import file_sha256
from crosslink.ingest._indexes import deferred_indexes, large_batch
from crosslink.ingest._packed import issue_of
from crosslink.ingest._parallel import map_chunks
from crosslink.ingest._writer import ChunkWriter
from crosslink.ingest.limits import InputLimits
from crosslink.ingest.mapping import Mapping
from crosslink.ingest.readers import FileReader, RawRow, ReadOptions
from crosslink.store.schema import batches
from crosslink.store.sources import Source, get_source

log = logging.getLogger(__name__)

Progress = Callable[[int, int, int], None]
"""Called with (bytes read, file size, rows read) as the import advances."""

_KEPT_ISSUES = 50
_PARALLEL_FROM_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    mapping: Mapping
    source_id: str
    imported_by: str = "cli"
    strict: bool = False
    chunk_size: int = 2000
    workers: int = 1
    subject: Subject | None = None
    """Who imports: authorized for ``import`` on the source. None: a trusted local operator."""
    defer_indexes: bool | None = None
    """Set secondary indexes aside while writing and build them again at the end; None: when
    the batch is large for the store (SQLite only, see :mod:`crosslink.ingest._indexes`)."""
    limits: InputLimits = field(default_factory=InputLimits)

    @property
    def actor(self) -> str:
        return self.subject.username if self.subject else self.imported_by


@dataclass
class ImportSummary:
    file: str
    batch_id: int | None = None
    duplicate_of: int | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    records_added: int = 0
    records_existing: int = 0
    links_added: int = 0
    warnings: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    seconds: float = 0.0
    _columns_checked: bool = field(default=False, repr=False)

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


def import_file(
    conn: Connection, request: ImportRequest, progress: Progress | None = None
) -> ImportSummary:
    """Import ``request.path`` into the store through ``conn``; the caller commits.

    A file already imported from the same source with the same mapping is recognised by its
    SHA-256 and adds nothing. With ``strict``, any rejected row raises :class:`BatchRejected`
    (the caller's transaction then rolls back and nothing is written).
    """
    started = time.perf_counter()
    summary = ImportSummary(file=request.path.name)
    source = get_source(conn, request.source_id)
    if request.subject is not None:
        authorize_import(conn, request.subject, source.id)
    sha, size = file_sha256(str(request.path))
    previous = conn.execute(
        select(batches.c.id).where(
            batches.c.source_id == source.id,
            batches.c.file_sha256 == sha,
            batches.c.mapping_sha256 == request.mapping.sha256,
        )
    ).scalar()
    if previous is not None:
        summary.duplicate_of = previous
        summary.seconds = time.perf_counter() - started
        log.info("%s was imported already as batch %s; nothing to do", summary.file, previous)
        return summary
    summary.batch_id = _start_batch(conn, request, source.id, sha, size)
    writer = ChunkWriter(conn, summary.batch_id, source.id, request.path.name, request.chunk_size)
    defer = request.defer_indexes
    with deferred_indexes(conn, large_batch(conn, size) if defer is None else defer):
        _stream(request, _defaults(source), writer, summary, progress)
    if request.strict and summary.rows_rejected:
        raise BatchRejected(
            f"{summary.file}: {summary.rows_rejected} of {summary.rows_read} rows rejected; "
            "nothing imported (strict)",
            rejected=summary.rows_rejected,
        )
    summary.seconds = time.perf_counter() - started
    _finish_batch(conn, summary)
    _log_collection(conn, request, summary, sha)
    if progress:
        progress(size, size, summary.rows_read)
    return summary


def auto_workers(path: Path, setting: int = 0) -> int:
    """Worker processes for mapping ``path``: the setting, or, when it is 0, every core for
    files large enough to repay starting the processes (a few MB)."""
    if setting > 0:
        return setting
    if path.stat().st_size < _PARALLEL_FROM_BYTES:
        return 1
    return max(1, os.cpu_count() or 1)


def _defaults(source: Source) -> SourceDefaults:
    return SourceDefaults(
        source_id=source.id,
        region=source.default_region,
        handling_code=source.handling_code,
        handling_conditions=source.handling_conditions,
        grading_system=source.grading_system,
        source_grade=source.source_grade,
        info_grade=source.info_grade,
    )


def _stream(
    request: ImportRequest,
    defaults: SourceDefaults,
    writer: ChunkWriter,
    summary: ImportSummary,
    progress: Progress | None,
) -> None:
    """Read, map and buffer every row; then let the writer finish (pending links)."""
    mapping = request.mapping
    options = ReadOptions(
        format=mapping.format,
        encoding=mapping.encoding,
        delimiter=mapping.delimiter,
        sheet=mapping.sheet,
        root=mapping.root,
        limits=request.limits,
    )
    reader = FileReader(request.path, options)
    size = request.path.stat().st_size
    chunks = map_chunks(
        _checked(reader, mapping, summary),
        mapping,
        defaults,
        request.workers,
        boundary=request.chunk_size,
    )
    for chunk in chunks:
        summary.rows_read += chunk.rows
        summary.rows_rejected += chunk.rejected
        summary.warnings += chunk.warnings
        room = _KEPT_ISSUES - len(summary.issues)
        if room > 0:
            summary.issues.extend(issue_of(i) for i in chunk.issues[:room])
        writer.add(chunk)
        if progress:
            progress(reader.bytes_read, size, summary.rows_read)
    if reader.header is not None and not summary._columns_checked:
        summary.unknown_columns = _check_columns(reader, mapping)
    writer.finish()
    counts = writer.counts
    summary.records_added = counts.records_added
    summary.records_existing = counts.records_existing
    summary.links_added = counts.links_added
    summary.warnings += counts.links_unresolved
    summary.issues.extend(writer.late_issues[: max(0, _KEPT_ISSUES - len(summary.issues))])


def _start_batch(
    conn: Connection, request: ImportRequest, source_id: str, sha: str, size: int
) -> int:
    now = dt.datetime.now(dt.UTC)
    inserted = conn.execute(
        batches.insert().values(
            source_id=source_id,
            file_name=request.path.name,
            file_sha256=sha,
            file_size=size,
            mapping=request.mapping.name,
            mapping_sha256=request.mapping.sha256,
            imported_by=request.actor,
            started_at=now,
            finished_at=now,
            rows_read=0,
            rows_rejected=0,
            records_added=0,
            records_existing=0,
            links_added=0,
            warnings=0,
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def _finish_batch(conn: Connection, summary: ImportSummary) -> None:
    conn.execute(
        update(batches)
        .where(batches.c.id == summary.batch_id)
        .values(
            finished_at=dt.datetime.now(dt.UTC),
            rows_read=summary.rows_read,
            rows_rejected=summary.rows_rejected,
            records_added=summary.records_added,
            records_existing=summary.records_existing,
            links_added=summary.links_added,
            warnings=summary.warnings,
        )
    )


def _log_collection(
    conn: Connection, request: ImportRequest, summary: ImportSummary, sha: str
) -> None:
    """The audit log's ``collection`` entry: ids, counts and the file's hash, no row data."""
    counts = {
        "batch": summary.batch_id,
        "source": request.source_id,
        "file_sha256": sha,
        "mapping": request.mapping.name,
        "rows_read": summary.rows_read,
        "rows_rejected": summary.rows_rejected,
        "records_added": summary.records_added,
        "records_existing": summary.records_existing,
        "links_added": summary.links_added,
    }
    log_collection(conn, request.subject or request.actor, counts)


def _checked(reader: FileReader, mapping: Mapping, summary: ImportSummary) -> Iterator[RawRow]:
    """The reader's rows, its header checked against the mapping before the first row."""
    for row in reader.rows():
        if not summary._columns_checked:
            summary.unknown_columns = _check_columns(reader, mapping)
            summary._columns_checked = True
        yield row


def _check_columns(reader: FileReader, mapping: Mapping) -> list[str]:
    """Refuse a file that lacks a column the mapping reads; list the columns nobody maps."""
    if reader.header is None:
        return []
    header = set(reader.header)
    missing = sorted(mapping.columns - header)
    if missing:
        raise MappingError(
            f"{reader.path.name}: column(s) {', '.join(repr(m) for m in missing)} missing from "
            f"the header, which mapping {mapping.name} reads"
        )
    unknown = [
        h for h in reader.header if h not in mapping.columns and h not in mapping.ignore_columns
    ]
    if unknown:
        log.warning(
            "%s: columns not in mapping %s: %s", reader.path.name, mapping.name, ", ".join(unknown)
        )
    return unknown
