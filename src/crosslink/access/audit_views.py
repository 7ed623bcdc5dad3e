"""Reading the audit log: search for administrators, exports for a supervisory authority."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy import Connection, select

from crosslink.access.audit import (
    AuditEntry,
    Checkpoint,
    Event,
    VerifyResult,
    append,
    canonical,
    check_chain,
    checkpoint,
    rows,
    stamp,
)
from crosslink.access.policy import Subject, SystemResource, authorize
from crosslink.access.schema import audit_log
from crosslink.clock import Clock
from crosslink.errors import AccessDenied, AuditError
from crosslink.store.export import safe_cell


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    target: str | None = None
    """Text the target contains: a record uid, ``"batch":3``, a source id …"""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 200

    def describe(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "since": stamp(self.since) if self.since else None,
            "until": stamp(self.until) if self.until else None,
            "limit": self.limit,
        }


def _require(subject: Subject, action: str) -> None:
    decision = authorize(subject, action, SystemResource("audit_log"))
    if not decision:
        raise AccessDenied(decision.reason)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(
    conn: Connection, subject: Subject, query: AuditQuery, *, clock: Clock | None = None
) -> list[AuditEntry]:
    """Entries matching ``query``, newest first; the search itself is logged."""
    _require(subject, "audit_read")
    q = select(audit_log).order_by(audit_log.c.seq.desc()).limit(max(1, min(query.limit, 10_000)))
    if query.actor:
        q = q.where(audit_log.c.actor == query.actor)
    if query.action:
        q = q.where(audit_log.c.action == query.action)
    if query.target:
        # targets are stored as JSON: look for the term as it is spelled inside a JSON string
        term = json.dumps(query.target, ensure_ascii=False)[1:-1]
        q = q.where(audit_log.c.target.like(f"%{_escape_like(term)}%", escape="\\"))
    if query.since:
        q = q.where(audit_log.c.at >= query.since)
    if query.until:
        q = q.where(audit_log.c.at < query.until)
    found = [AuditEntry(**r) for r in conn.execute(q).mappings()]
    append(
        conn,
        subject,
        Event("consultation", {"audit_query": query.describe()}, details={"found": len(found)}),
        clock=clock,
    )
    return found


def export_jsonl(
    conn: Connection,
    subject: Subject,
    out: TextIO,
    *,
    recipient: str,
    justification: str,
    clock: Clock | None = None,
) -> Checkpoint:
    """Every entry as one canonical JSON line with its hashes, then the head as a last line.

    The file verifies on its own (:func:`verify_export`); the export is logged as a
    disclosure to ``recipient`` *after* the lines are written, so it is not in the file.
    """
    _require(subject, "audit_read")
    head = checkpoint(conn)
    entries = rows(conn)
    try:
        for entry in entries:
            if entry.seq > head.seq:
                break
            out.write(canonical(entry.as_dict()) + "\n")
    finally:
        entries.close()
    out.write(canonical({"checkpoint": {"seq": head.seq, "hash": head.hash}}) + "\n")
    append(
        conn,
        subject,
        Event(
            "disclosure",
            {"audit_log": {"through_seq": head.seq}},
            justification=justification,
            recipients=[recipient],
            personal=True,
        ),
        clock=clock,
    )
    return head


def verify_export(lines: Iterable[str]) -> VerifyResult:
    """Check an exported file: the chain, and that it ends at its own checkpoint."""
    entries: list[dict[str, Any]] = []
    head: Checkpoint | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AuditError(f"line {number} is not JSON: {exc.msg}") from exc
        if "checkpoint" in item:
            head = Checkpoint(int(item["checkpoint"]["seq"]), str(item["checkpoint"]["hash"]))
        else:
            entries.append(item)
    return check_chain(entries, head)


CSV_COLUMNS = ["seq", "at", "actor", "agency", "action", "target", "justification", "recipients"]


def export_csv(conn: Connection, subject: Subject, out: TextIO, query: AuditQuery) -> int:
    """A spreadsheet view of a search: formulas in any text are disarmed with ``safe_cell``."""
    found = search(conn, subject, query)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in found:
        body = entry.body()
        writer.writerow([safe_cell(None if body[c] is None else str(body[c])) for c in CSV_COLUMNS])
    return len(found)
