"""The audit log (LED art. 25): append-only, hash-chained, anchored by a head row.

Each entry's ``hash`` is SHA-256 over the canonical JSON of its fields, ``prev_hash``
included, so changing, removing, inserting or reordering an entry breaks the chain from there
on. The head row (``audit_head``: last seq and hash) is updated in the same transaction as
every append: it is the lock that keeps two writers from forking the chain, and the anchor
that makes a truncated tail visible. An administrator who can rewrite the whole table *and*
the head can only be caught by a checkpoint kept outside the database
(:func:`checkpoint`, printed by ``crosslink audit verify`` and written into every export).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from crosslink.access.policy import Subject
from crosslink.access.schema import audit_head, audit_log
from crosslink.clock import Clock, SystemClock, as_utc
from crosslink.errors import AuditError, JustificationRequired

ACTIONS = (
    "collection",
    "alteration",
    "consultation",
    "disclosure",
    "transfer",
    "combination",
    "erasure",
    "login",
    "logout",
    "denied",
    "administration",
)
JUSTIFIED = frozenset({"consultation", "disclosure", "transfer"})
"""Actions that need a justification when they touch a person's data (LED art. 25(2))."""
GENESIS = "0" * 64
HEAD_ID = 1


def canonical(value: Any) -> str:
    """The one JSON spelling hashed and exported: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def stamp(at: dt.datetime) -> str:
    return as_utc(at).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    actor: str
    agency: str | None
    action: str
    target: str
    """Canonical JSON: ``{"records": [...]}``, ``{"batch": 3, ...}``, ``{"query": ...}``."""
    justification: str | None
    recipients: str | None
    details: str | None
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        """The hashed fields, with the time as text: what an export line carries."""
        return {
            "seq": self.seq,
            "at": stamp(self.at),
            "actor": self.actor,
            "agency": self.agency,
            "action": self.action,
            "target": self.target,
            "justification": self.justification,
            "recipients": self.recipients,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }

    def computed_hash(self) -> str:
        return entry_hash(self.body())

    def as_dict(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}


def entry_hash(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(dict(body)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Event:
    """What to log. ``personal`` marks an event touching a person's data."""

    action: str
    target: Mapping[str, Any]
    justification: str | None = None
    recipients: Iterable[str] = ()
    details: Mapping[str, Any] | None = None
    personal: bool = False


def append(
    conn: Connection, actor: Subject | str, event: Event, *, clock: Clock | None = None
) -> AuditEntry:
    """Write one entry in the caller's transaction (it is rolled back with it)."""
    if event.action not in ACTIONS:
        raise AuditError(f"unknown audit action {event.action!r}; use one of {', '.join(ACTIONS)}")
    justification = (event.justification or "").strip() or None
    if event.action in JUSTIFIED and event.personal and justification is None:
        raise JustificationRequired(
            f"{event.action} of a person's data needs a justification (LED art. 25)"
        )
    name, agency = (
        (actor.username, actor.agency_id) if isinstance(actor, Subject) else (actor, None)
    )
    name = name[:200]  # a claimed user name at a failed login can be anything
    # The UPDATE takes the head's row lock (PostgreSQL) or the write lock (SQLite) first, so a
    # concurrent writer waits and then reads the head this one leaves behind: no fork.
    head = conn.execute(
        update(audit_head)
        .where(audit_head.c.id == HEAD_ID)
        .values(seq=audit_head.c.seq + 1)
        .returning(audit_head.c.seq, audit_head.c.hash)
    ).first()
    if head is None:
        raise AuditError("the audit log has no head row: was the store migrated?")
    recipients = sorted(set(event.recipients))
    partial = AuditEntry(
        seq=int(head.seq),
        at=as_utc((clock or SystemClock()).now()),
        actor=name,
        agency=agency,
        action=event.action,
        target=canonical(dict(event.target)),
        justification=justification,
        recipients=canonical(recipients) if recipients else None,
        details=canonical(dict(event.details)) if event.details else None,
        prev_hash=head.hash,
        hash="",
    )
    entry = AuditEntry(**{**partial.__dict__, "hash": partial.computed_hash()})
    conn.execute(audit_log.insert().values(**entry.__dict__))
    conn.execute(update(audit_head).where(audit_head.c.id == HEAD_ID).values(hash=entry.hash))
    return entry


@dataclass(frozen=True)
class Checkpoint:
    """The head at one moment: keep it outside the database to catch a rewritten log."""

    seq: int
    hash: str


def checkpoint(conn: Connection) -> Checkpoint:
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash)).first()
    if row is None:
        raise AuditError("the audit log has no head row")
    return Checkpoint(int(row.seq), row.hash)


@dataclass
class VerifyResult:
    entries: int = 0
    first_broken: int | None = None
    problem: str | None = None
    head: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None and self.problem is None

    def fail(self, seq: int | None, problem: str) -> None:
        if self.problem is None:
            self.first_broken, self.problem = seq, problem


def rows(conn: Connection) -> Generator[AuditEntry, None, None]:
    """Every entry in order, streamed (a server-side cursor on PostgreSQL, closed after)."""
    result = conn.execute(
        select(audit_log).order_by(audit_log.c.seq).execution_options(yield_per=2000)
    )
    try:
        for r in result.mappings():
            yield AuditEntry(**r)
    finally:
        result.close()


def verify(conn: Connection, anchor: Checkpoint | None = None) -> VerifyResult:
    """Walk the chain; name the first entry that is missing, altered, inserted or moved."""
    head_row = conn.execute(select(audit_head.c.seq, audit_head.c.hash)).first()
    head = Checkpoint(int(head_row.seq), head_row.hash) if head_row else None
    entries = rows(conn)
    try:
        return check_chain((e.as_dict() for e in entries), head, anchor)
    finally:
        entries.close()


def check_chain(
    entries: Iterable[Mapping[str, Any]], head: Checkpoint | None, anchor: Checkpoint | None = None
) -> VerifyResult:
    """Verify entries given as dicts (from the table or from an export)."""
    result = VerifyResult(head=head)
    expected, prev = 1, GENESIS
    anchored = anchor is None or anchor.seq == 0
    for entry in entries:
        seq = int(entry["seq"])
        result.entries += 1
        if seq != expected:
            missing = seq > expected
            result.fail(
                expected if missing else seq,
                f"entry {expected} is missing (found {seq} next)"
                if missing
                else f"entry {seq} appears out of order or twice (expected {expected})",
            )
            break
        if entry["prev_hash"] != prev:
            result.fail(seq, f"entry {seq} does not follow entry {seq - 1} (chain broken)")
            break
        body = {k: v for k, v in entry.items() if k != "hash"}
        if entry_hash(body) != entry["hash"]:
            result.fail(seq, f"entry {seq} was altered (its hash does not match its content)")
            break
        if anchor is not None and seq == anchor.seq:
            anchored = entry["hash"] == anchor.hash
            if not anchored:
                result.fail(seq, f"entry {seq} differs from the external checkpoint")
                break
        prev, expected = entry["hash"], seq + 1
    if result.problem is None:
        _check_tail(result, head, expected - 1, prev, anchored, anchor)
    return result


def _check_tail(
    result: VerifyResult,
    head: Checkpoint | None,
    last: int,
    last_hash: str,
    anchored: bool,
    anchor: Checkpoint | None,
) -> None:
    if head is None:
        result.fail(last + 1, "the head row is missing")
    elif head.seq > last:
        result.fail(last + 1, f"entries {last + 1}..{head.seq} are missing (log truncated)")
    elif head.seq < last:
        result.fail(head.seq + 1, f"entries after {head.seq} were added behind the head")
    elif head.hash != last_hash:
        result.fail(last, f"entry {last} does not match the head's hash")
    elif not anchored and anchor is not None:
        result.fail(last + 1, f"the log ends before the external checkpoint at {anchor.seq}")
