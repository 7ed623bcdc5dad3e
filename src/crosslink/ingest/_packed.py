"""Mapped rows packed as the writer inserts them: plain tuples, not objects.

A worker process hands its chunk back pickled; a list of dataclasses (rows, records, values,
links, issues) pickled to ~850 bytes a row and took the importing process ~90 µs a row to
unpickle, more than its whole share of the work. Flat tuples of strings pickle to a fraction
of that and go to ``executemany``/``COPY`` as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crosslink.ingest._drafts import Issue, RefKey, RowResult
from crosslink.ingest.readers import RawRow

# (row, column, value, reason, severity, raw row as JSON for a rejected row, else None)
IssueRow = tuple[int, str | None, str | None, str, str, str | None]
# (uid, schema, alias, entity_key, source_key, content_hash, row_number,
#  handling_code, handling_conditions, source_grade, info_grade, person_category)
RecordRow = tuple[str, str, str, str, str | None, str, int, str, str | None, str, str, str | None]
# (record_uid, prop, idx, original, cleaned, fingerprint)
ValueRow = tuple[str, str, int, str, str | None, str | None]
# (uid, link_type, source, target, row_number, handling_code, handling_conditions,
#  source_grade, info_grade, start_date, end_date); ends are record uids, or keys (pending)
LinkRow = tuple[
    str, str, str | RefKey, str | RefKey, int, str, str | None, str, str, str | None, str | None
]


@dataclass
class Packed:
    """One chunk of mapped rows, in file order."""

    rows: int = 0
    rejected: int = 0
    warnings: int = 0
    issues: list[IssueRow] = field(default_factory=list)
    records: list[RecordRow] = field(default_factory=list)
    values: list[list[ValueRow]] = field(default_factory=list)
    """The values of ``records[i]`` at ``values[i]``."""
    links: list[LinkRow] = field(default_factory=list)
    """Links whose ends are both record uids of this row."""
    pending: list[LinkRow] = field(default_factory=list)
    """Links naming an end by key: the writer finds the records once the file is read."""


def pack(mapped: Iterable[tuple[RawRow, RowResult]]) -> Packed:
    """Rows with their mapping results as one :class:`Packed` chunk; a rejected row keeps
    only its issues (and its raw values, for the rejections table)."""
    out = Packed()
    for row, result in mapped:
        out.rows += 1
        rejected = result.rejected
        out.rejected += rejected
        if result.issues:
            _pack_issues(out, row, result)
        if rejected:
            continue
        prov = result.provenance
        assert prov is not None  # accepted rows always carry provenance
        grades = (prov.handling_code, prov.handling_conditions, prov.source_grade, prov.info_grade)
        number = result.number
        for rec in result.records:
            out.records.append(
                (
                    rec.uid,
                    rec.schema,
                    rec.alias,
                    rec.entity_key,
                    rec.source_key,
                    rec.content_hash,
                    number,
                    *grades,
                    rec.person_category,
                )
            )
            out.values.append(
                [(rec.uid, v.prop, v.idx, v.original, v.cleaned, v.fingerprint) for v in rec.values]
            )
        for link in result.links:
            packed: LinkRow = (
                link.uid,
                link.link_type,
                link.source,
                link.target,
                number,
                *grades,
                link.start_date,
                link.end_date,
            )
            ready = isinstance(link.source, str) and isinstance(link.target, str)
            (out.links if ready else out.pending).append(packed)
    return out


def _pack_issues(out: Packed, row: RawRow, result: RowResult) -> None:
    raw: str | None = None
    if result.rejected and row.values:
        raw = json.dumps(dict(row.values), ensure_ascii=False)
    for i in result.issues:
        out.warnings += i.severity == "warning"
        kept = raw if i.severity == "error" else None
        out.issues.append((i.row, i.column, i.value, i.reason, i.severity, kept))


def issue_of(row: IssueRow) -> Issue:
    return Issue(row[0], row[1], row[2], row[3], row[4])


def issue_row(issue: Issue, raw: Any = None) -> IssueRow:
    return (issue.row, issue.column, issue.value, issue.reason, issue.severity, raw)
