"""Resolution's result, record by record: which entity each record of a type belongs to.

One row per record of the type that the subject may ``export`` (the policy is part of the
query) and that a resolve run placed in an active entity: the entity id, the record uid,
its source, the source's own key (``records.source_key``, as the partner's file gives it;
empty for records imported before it was kept), the file and row it came from, and the
record's confidence in its entity:

- the highest match probability of the stored pairs (``match_edges``) that join the record
  to another member of its entity that the subject may export too; an analyst's judgement
  *same* in force between the two counts as 1.0;
- 1.0 when no other member of its entity is one the subject may export (a singleton, as far
  as the subject may see: a hidden member is never hinted at);
- empty when the other members the subject may export are joined to it only through
  records the subject may not export.

The disclosure is written to the audit log with its justification and recipients; a refusal
(no role that may export, no justification) is written as ``denied`` before it is raised, so
the caller commits before it refuses. CSV cells are disarmed against formula injection;
Parquet is written with pyarrow.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, Select, Subquery, and_, func, literal, select, union_all

from crosslink.access.audit import Event, append
from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.access.roles import load_roles
from crosslink.errors import AccessDenied, InvalidValue, JustificationRequired
from crosslink.model import load_model
from crosslink.resolve.schema import entities, entity_members, judgements, match_edges
from crosslink.store.export import safe_cell
from crosslink.store.schema import records

ENTITY_COLUMNS = (
    "entity_id",
    "entity_type",
    "record_uid",
    "source_id",
    "source_key",
    "file",
    "row",
    "confidence",
)
FORMATS = ("csv", "parquet")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}

_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("entity_type", pa.string()),
        ("record_uid", pa.string()),
        ("source_id", pa.string()),
        ("source_key", pa.string()),
        ("file", pa.string()),
        ("row", pa.int64()),
        ("confidence", pa.float64()),
    ]
)


@dataclass(frozen=True)
class EntityExportRequest:
    """Who exports which type's result, why, for whom, in which format."""

    subject: Subject
    entity_type: str
    justification: str
    recipients: tuple[str, ...] = field(default_factory=tuple)
    source_id: str | None = None
    format: str = "csv"


def export_entities(conn: Connection, out: IO[bytes], request: EntityExportRequest) -> int:
    """Write the rows (CSV or Parquet) to ``out``, log the disclosure; returns the rows.

    Raises :class:`~crosslink.errors.InvalidValue` for an unknown type or format, and
    :class:`~crosslink.errors.AccessDenied` (or :class:`JustificationRequired`) after
    logging the refusal: commit before refusing, or the refusal's entry is lost.
    """
    table = read_entities(conn, request)
    write_entities(table, out, request.format)
    return int(table.num_rows)


def read_entities(conn: Connection, request: EntityExportRequest) -> pa.Table:
    """The rows as an Arrow table (columns :data:`ENTITY_COLUMNS`); the disclosure is logged."""
    _check(request)
    _refuse(conn, request)
    columns: dict[str, list[Any]] = {name: [] for name in ENTITY_COLUMNS}
    personal = False
    for row in conn.execute(_query(request)):
        columns["entity_id"].append(row.entity_id)
        columns["entity_type"].append(row.entity_type)
        columns["record_uid"].append(row.uid)
        columns["source_id"].append(row.source_id)
        columns["source_key"].append(row.source_key)
        columns["file"].append(row.file_name)
        columns["row"].append(row.row_number)
        columns["confidence"].append(_confidence_of(row.confidence, row.visible_members))
        personal = personal or row.person_category is not None
    table = pa.table(columns, schema=_SCHEMA)
    if table.num_rows:
        event = Event(
            "disclosure",
            {"records": columns["record_uid"], "action": "export"},
            justification=request.justification,
            recipients=request.recipients,
            details=_details(request, table.num_rows),
            personal=personal,
        )
        append(conn, request.subject, event)
    return table


def write_entities(table: pa.Table, out: IO[bytes], fmt: str) -> None:
    """The rows of :func:`read_entities` as ``csv`` or ``parquet``."""
    if fmt == "parquet":
        pq.write_table(table, out)
    else:
        write_csv(table, out)


def write_csv(table: pa.Table, out: IO[bytes]) -> None:
    """The table as UTF-8 CSV, each cell disarmed against formula injection."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(table.column_names)
        for row in zip(*(table.column(n).to_pylist() for n in table.column_names), strict=True):
            writer.writerow([safe_cell(None if v is None else str(v)) for v in row])
        text.flush()
    finally:
        text.detach()


def _check(request: EntityExportRequest) -> None:
    known = load_model().entities
    if request.entity_type not in known:
        raise InvalidValue(
            f"unknown entity type {request.entity_type!r}; use one of {', '.join(known)}"
        )
    if request.format not in FORMATS:
        raise InvalidValue(f"unknown format {request.format!r}; use one of {', '.join(FORMATS)}")


def _refuse(conn: Connection, request: EntityExportRequest) -> None:
    """Log and raise a refusal: no role of the subject may export, or no justification."""
    subject = request.subject
    book = load_roles()
    error: AccessDenied | None = None
    if not any("export" in book.role(name).actions for name in subject.roles):
        roles = ", ".join(sorted(subject.roles)) or "none"
        error = AccessDenied(f"user {subject.username} may not export (roles: {roles})")
    elif not request.justification.strip():
        error = JustificationRequired("an export of personal data needs a justification")
    if error is None:
        return
    target = {"entities": request.entity_type, "action": "export"}
    details = {**_details(request, 0), "reason": str(error)}
    event = Event("denied", target, justification=request.justification, details=details)
    append(conn, subject, event)
    raise error


def _details(request: EntityExportRequest, rows: int) -> dict[str, Any]:
    details: dict[str, Any] = {
        "entity_type": request.entity_type,
        "format": request.format,
        "rows": rows,
    }
    if request.source_id is not None:
        details["source_id"] = request.source_id
    return details


def _confidence_of(strongest: float | None, visible_members: int) -> float | None:
    if strongest is not None:
        return float(strongest)
    return 1.0 if visible_members <= 1 else None


def _query(request: EntityExportRequest) -> Select[Any]:
    visible = visible_records(request.subject, "export")
    strongest = _strongest(request.entity_type, visible)
    members = _visible_members(request.entity_type, visible)
    query = (
        select(
            entity_members.c.entity_id,
            entity_members.c.entity_type,
            records.c.uid,
            records.c.source_id,
            records.c.source_key,
            records.c.file_name,
            records.c.row_number,
            records.c.person_category,
            strongest.c.confidence,
            members.c.visible_members,
        )
        .join(records, records.c.uid == entity_members.c.record_uid)
        .join(entities, entities.c.id == entity_members.c.entity_id)
        .join(members, members.c.entity_id == entity_members.c.entity_id)
        .outerjoin(strongest, strongest.c.uid == records.c.uid)
        .where(
            entity_members.c.entity_type == request.entity_type,
            entities.c.status == "active",
            records.c.uid.in_(visible),
        )
        .order_by(
            entity_members.c.entity_id,
            records.c.source_id,
            records.c.file_name,
            records.c.row_number,
            records.c.uid,
        )
    )
    if request.source_id is not None:
        query = query.where(records.c.source_id == request.source_id)
    return query


def _visible_members(entity_type: str, visible: Select[Any]) -> Subquery:
    """How many members of each entity the subject may export (whatever the source)."""
    return (
        select(entity_members.c.entity_id, func.count().label("visible_members"))
        .where(
            entity_members.c.entity_type == entity_type,
            entity_members.c.record_uid.in_(visible),
        )
        .group_by(entity_members.c.entity_id)
        .subquery("visible_members")
    )


def _strongest(entity_type: str, visible: Select[Any]) -> Subquery:
    """Per record: the strongest stored pair (or judgement *same*, 1.0) inside its entity
    whose other end the subject may export."""
    pairs = [
        select(
            match_edges.c.left_uid.label("uid"),
            match_edges.c.right_uid.label("other"),
            match_edges.c.probability.label("probability"),
        ).where(match_edges.c.entity_type == entity_type),
        select(match_edges.c.right_uid, match_edges.c.left_uid, match_edges.c.probability).where(
            match_edges.c.entity_type == entity_type
        ),
    ]
    same = _judged_same(entity_type)
    pairs.append(select(same.c.left_uid, same.c.right_uid, literal(1.0)))
    pairs.append(select(same.c.right_uid, same.c.left_uid, literal(1.0)))
    ends = union_all(*pairs).subquery("ends")
    mine = entity_members.alias("mine")
    theirs = entity_members.alias("theirs")
    return (
        select(ends.c.uid, func.max(ends.c.probability).label("confidence"))
        .join(mine, mine.c.record_uid == ends.c.uid)
        .join(
            theirs,
            and_(theirs.c.record_uid == ends.c.other, theirs.c.entity_id == mine.c.entity_id),
        )
        .where(ends.c.other.in_(visible))
        .group_by(ends.c.uid)
        .subquery("strongest")
    )


def _judged_same(entity_type: str) -> Subquery:
    """Pairs whose judgement in force (the latest of the pair) is *same*."""
    newest = (
        select(func.max(judgements.c.id).label("id"))
        .where(judgements.c.entity_type == entity_type)
        .group_by(judgements.c.left_uid, judgements.c.right_uid)
        .subquery("newest")
    )
    return (
        select(judgements.c.left_uid, judgements.c.right_uid)
        .join(newest, newest.c.id == judgements.c.id)
        .where(judgements.c.verdict == "same")
        .subquery("same")
    )
