"""Doors to personal data: consulting records, importing a batch — decided and logged."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from crosslink.access.audit import Event, append
from crosslink.access.filters import load_records
from crosslink.access.grants import provider_of
from crosslink.access.policy import Decision, SourceResource, Subject, authorize
from crosslink.clock import Clock
from crosslink.errors import AccessDenied, JustificationRequired

LOG_ACTION = {
    "view": "consultation",
    "export": "disclosure",
    "disclose_in_court": "disclosure",
}


@dataclass
class Consultation:
    """What a subject got: the allowed uids (with H3 conditions to show) and the refusals."""

    allowed: list[str] = field(default_factory=list)
    conditions: dict[str, str] = field(default_factory=dict)
    denied: dict[str, str] = field(default_factory=dict)
    action: str = "view"
    personal: bool = False
    """Whether an allowed record names a person (then a justification is required)."""


def consult_records(
    conn: Connection,
    subject: Subject,
    uids: Iterable[str],
    *,
    justification: str | None,
    action: str = "view",
    recipients: Iterable[str] = (),
    clock: Clock | None = None,
) -> Consultation:
    """Decide on each record and log it: one entry for what was given, one for what was not.

    A justification is required when any allowed record names a person. The denial entry is
    written in the same transaction: a caller that rolls back on denial loses it, so callers
    that refuse should commit first (the web layer does).
    """
    result = decide_records(conn, subject, uids, justification=justification, action=action)
    log_consultation(
        conn, subject, result, justification=justification, recipients=recipients, clock=clock
    )
    return result


def decide_records(
    conn: Connection,
    subject: Subject,
    uids: Iterable[str],
    *,
    justification: str | None,
    action: str = "view",
) -> Consultation:
    """The first half of :func:`consult_records`: decide, write nothing.

    For callers that read more before they answer: they call :func:`log_consultation` last,
    in the same transaction, so the audit log's head (a lock every writer queues on) is held
    only from that append to the commit, not while the rest of the page is read. Nothing
    decided here may be shown unless that log entry commits.
    """
    wanted = list(dict.fromkeys(uids))
    found = load_records(conn, subject, wanted)
    result = Consultation(action=action)
    for uid in wanted:
        record = found.get(uid)
        decision = (
            authorize(subject, action, record) if record else Decision(False, f"no record {uid}")
        )
        if decision:
            result.allowed.append(uid)
            result.personal = result.personal or (
                record is not None and record.person_category is not None
            )
            if decision.conditions is not None:
                result.conditions[uid] = decision.conditions
        else:
            result.denied[uid] = decision.reason
    if result.allowed and result.personal and not (justification or "").strip():
        raise JustificationRequired(
            "consulting a person's data needs a justification (LED art. 25)"
        )
    return result


def log_consultation(
    conn: Connection,
    subject: Subject,
    result: Consultation,
    *,
    justification: str | None,
    recipients: Iterable[str] = (),
    clock: Clock | None = None,
) -> None:
    """The second half of :func:`consult_records`: the entries for what was given and refused."""
    action = result.action
    if result.allowed:
        event = Event(
            LOG_ACTION.get(action, "consultation"),
            {"records": result.allowed, "action": action},
            justification=justification,
            recipients=recipients,
            personal=result.personal,
        )
        append(conn, subject, event, clock=clock)
    if result.denied:
        target = {"records": sorted(result.denied), "action": action}
        append(conn, subject, Event("denied", target, justification=justification), clock=clock)


def authorize_import(conn: Connection, subject: Subject, source_id: str) -> Decision:
    """May ``subject`` import into ``source_id``? Raises :class:`AccessDenied` if not."""
    decision = authorize(subject, "import", SourceResource(source_id, provider_of(conn, source_id)))
    if not decision:
        raise AccessDenied(decision.reason)
    return decision


def log_collection(
    conn: Connection,
    actor: Subject | str,
    batch: Mapping[str, Any],
    *,
    clock: Clock | None = None,
) -> None:
    """The ``collection`` entry of an import: ids, counts and the file's hash, no personal data."""
    allowed = {
        "batch",
        "source",
        "file_sha256",
        "mapping",
        "rows_read",
        "rows_rejected",
        "records_added",
        "records_existing",
        "links_added",
    }
    target = {k: batch[k] for k in ("batch", "source") if k in batch}
    details = {k: v for k, v in batch.items() if k in allowed and k not in target}
    append(conn, actor, Event("collection", target, details=details), clock=clock)
