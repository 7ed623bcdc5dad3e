"""The police's and inspectorate's inbox of incoming municipal signals, with their status.

A municipal signal is a batch a municipal officer imported into a source of a municipality.
The roles that may answer signals (``give_feedback``) see every such batch with the status
of its latest feedback ("new" before any); answering goes through
:func:`crosslink.access.feedback.give_feedback`. Opening the inbox is logged, and so is a
refusal: the caller commits before it reports :class:`~crosslink.errors.AccessDenied`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from crosslink.access.audit import Event, append
from crosslink.access.policy import Subject, SystemResource, authorize
from crosslink.access.schema import agencies, signal_feedback, source_agencies
from crosslink.clock import Clock
from crosslink.store.schema import batches

NEW = "new"


@dataclass(frozen=True)
class IncomingSignal:
    batch_id: int
    source_id: str
    agency_id: str
    agency_name: str
    file_name: str
    sent_by: str
    received_at: dt.datetime
    rows: int
    status: str
    """The latest feedback's status, or ``new``."""
    answers: int


@dataclass(frozen=True)
class Inbox:
    signals: list[IncomingSignal]
    refused: str | None = None
    """Why the inbox was refused (logged); the caller commits, then raises."""


def incoming_signals(
    conn: Connection, subject: Subject, *, open_only: bool = False, clock: Clock | None = None
) -> Inbox:
    """Municipal signals, newest first, for a subject allowed to answer them."""
    decision = authorize(subject, "give_feedback", SystemResource("signals"))
    if not decision:
        append(conn, subject, Event("denied", {"signals": "inbox"}), clock=clock)
        return Inbox([], refused=decision.reason)
    latest = (
        select(
            signal_feedback.c.batch_id,
            func.max(signal_feedback.c.id).label("last_id"),
            func.count().label("answers"),
        )
        .group_by(signal_feedback.c.batch_id)
        .subquery()
    )
    rows = conn.execute(
        select(
            batches,
            agencies.c.id.label("agency_id"),
            agencies.c.name.label("agency_name"),
            signal_feedback.c.status,
            latest.c.answers,
        )
        .join(source_agencies, source_agencies.c.source_id == batches.c.source_id)
        .join(agencies, agencies.c.id == source_agencies.c.agency_id)
        .outerjoin(latest, latest.c.batch_id == batches.c.id)
        .outerjoin(signal_feedback, signal_feedback.c.id == latest.c.last_id)
        .where(agencies.c.kind == "municipality")
        .order_by(batches.c.finished_at.desc(), batches.c.id.desc())
    ).all()
    signals = [
        IncomingSignal(
            r.id,
            r.source_id,
            r.agency_id,
            r.agency_name,
            r.file_name,
            r.imported_by,
            r.finished_at,
            r.rows_read,
            r.status or NEW,
            int(r.answers or 0),
        )
        for r in rows
    ]
    if open_only:
        signals = [s for s in signals if not s.status.startswith("closed")]
    if signals:
        target = {"signals": [s.batch_id for s in signals]}
        append(conn, subject, Event("consultation", target), clock=clock)
    return Inbox(signals)
