"""Flat exports of records for spreadsheets, with formula injection neutralised."""

from __future__ import annotations

import csv
from typing import TextIO

from sqlalchemy import Connection, select

from crosslink.store.schema import record_values, records

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str | None) -> str:
    """Text a spreadsheet will show, never evaluate: a leading ' disarms formula starters.

    Follows OWASP's advice for CSV injection; a plain negative number stays a number.
    """
    if not text:
        return ""
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


EXPORT_COLUMNS = [
    "record_uid",
    "source_id",
    "schema",
    "file_name",
    "row_number",
    "handling_code",
    "source_grade",
    "info_grade",
    "person_category",
    "prop",
    "original",
    "cleaned",
]


def export_values_csv(conn: Connection, out: TextIO, source_id: str | None = None) -> int:
    """Write one line per property value with its record's provenance; returns lines written."""
    query = (
        select(
            records.c.uid,
            records.c.source_id,
            records.c.schema,
            records.c.file_name,
            records.c.row_number,
            records.c.handling_code,
            records.c.source_grade,
            records.c.info_grade,
            records.c.person_category,
            record_values.c.prop,
            record_values.c.original,
            record_values.c.cleaned,
        )
        .join(record_values, record_values.c.record_uid == records.c.uid)
        .order_by(
            records.c.source_id,
            records.c.file_name,
            records.c.row_number,
            records.c.uid,
            record_values.c.prop,
            record_values.c.idx,
        )
    )
    if source_id is not None:
        query = query.where(records.c.source_id == source_id)
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in conn.execute(query):
        writer.writerow([safe_cell(None if v is None else str(v)) for v in row])
        count += 1
    return count
