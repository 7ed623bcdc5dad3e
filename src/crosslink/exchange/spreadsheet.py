"""A flat CSV of record values with their provenance, for a spreadsheet.

Only records the subject may ``export`` leave the store (the policy is part of the query), the
disclosure is written to the audit log with its justification and recipients, and every cell
is disarmed against formula injection.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import Connection, select

from crosslink.access.audit import Event, append
from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.errors import JustificationRequired
from crosslink.store.export import safe_cell
from crosslink.store.schema import record_values, records

EXPORT_COLUMNS = [
    "record_uid",
    "source_id",
    "schema",
    "file_name",
    "row_number",
    "handling_code",
    "handling_conditions",
    "source_grade",
    "info_grade",
    "person_category",
    "prop",
    "original",
    "cleaned",
]


@dataclass(frozen=True)
class ExportRequest:
    subject: Subject
    justification: str
    recipients: tuple[str, ...] = field(default_factory=tuple)
    source_id: str | None = None


def export_values_csv(conn: Connection, out: TextIO, request: ExportRequest) -> int:
    """Write one line per value of every record the subject may export; returns the lines.

    H3 conditions travel with each line (``handling_conditions``), so the recipient sees them.
    """
    if not request.justification.strip():
        raise JustificationRequired("an export of personal data needs a justification")
    query = (
        select(
            records.c.uid,
            records.c.source_id,
            records.c.schema,
            records.c.file_name,
            records.c.row_number,
            records.c.handling_code,
            records.c.handling_conditions,
            records.c.source_grade,
            records.c.info_grade,
            records.c.person_category,
            record_values.c.prop,
            record_values.c.original,
            record_values.c.cleaned,
        )
        .join(record_values, record_values.c.record_uid == records.c.uid)
        .where(records.c.uid.in_(visible_records(request.subject, "export")))
        .order_by(
            records.c.source_id,
            records.c.file_name,
            records.c.row_number,
            records.c.uid,
            record_values.c.prop,
            record_values.c.idx,
        )
    )
    if request.source_id is not None:
        query = query.where(records.c.source_id == request.source_id)
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    lines = 0
    exported: dict[str, None] = {}
    personal = False
    for row in conn.execute(query):
        writer.writerow([safe_cell(None if v is None else str(v)) for v in row])
        exported[row.uid] = None
        personal = personal or row.person_category is not None
        lines += 1
    if exported:
        event = Event(
            "disclosure",
            {"records": list(exported), "action": "export"},
            justification=request.justification,
            recipients=request.recipients,
            personal=personal,
        )
        append(conn, request.subject, event)
    return lines
