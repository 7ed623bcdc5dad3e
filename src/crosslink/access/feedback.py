"""Feedback on municipal signals: what became of a signal, told to the officer who sent it.

A municipal officer submits signals (imports into their municipality's source) and sees only
those; the police and inspection roles allowed ``give_feedback`` answer them here, and the
officer reads the answers to their own signals, never anyone else's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from crosslink.access.audit import Event, append
from crosslink.access.policy import Subject, SystemResource, authorize
from crosslink.access.schema import signal_feedback
from crosslink.clock import Clock
from crosslink.errors import AccessDenied, InvalidValue, NotFound
from crosslink.store.schema import batches

STATUSES = ("received", "in_progress", "referred", "closed_no_action", "closed_action_taken")


@dataclass(frozen=True)
class Feedback:
    id: int
    batch_id: int
    file_name: str
    status: str
    text: str
    given_by: str
    agency_id: str
    given_at: dt.datetime


def give_feedback(
    conn: Connection,
    actor: Subject,
    batch_id: int,
    status: str,
    text: str,
    *,
    clock: Clock | None = None,
) -> int:
    """Answer a signal (a batch); returns the feedback's id."""
    decision = authorize(actor, "give_feedback", SystemResource("signals"))
    if not decision:
        raise AccessDenied(decision.reason)
    if status not in STATUSES:
        raise InvalidValue(f"status {status!r}: use one of {', '.join(STATUSES)}")
    if not text.strip():
        raise InvalidValue("feedback needs a text")
    if conn.execute(select(batches.c.id).where(batches.c.id == batch_id)).first() is None:
        raise NotFound(f"no signal (batch) {batch_id}")
    now = clock.now() if clock else dt.datetime.now(dt.UTC)
    inserted = conn.execute(
        signal_feedback.insert().values(
            batch_id=batch_id,
            status=status,
            text=text.strip(),
            given_by=actor.username,
            agency_id=actor.agency_id,
            given_at=now,
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    append(
        conn,
        actor,
        Event("administration", {"batch": batch_id, "feedback": int(key[0])}),
        clock=clock,
    )
    return int(key[0])


def feedback_on_my_signals(conn: Connection, actor: Subject) -> list[Feedback]:
    """The feedback on the signals the actor sent (batches they imported), newest first."""
    query = (
        select(signal_feedback, batches.c.file_name)
        .join(batches, batches.c.id == signal_feedback.c.batch_id)
        .where(batches.c.imported_by == actor.username)
        .order_by(signal_feedback.c.given_at.desc(), signal_feedback.c.id.desc())
    )
    found = [
        Feedback(
            r.id, r.batch_id, r.file_name, r.status, r.text, r.given_by, r.agency_id, r.given_at
        )
        for r in conn.execute(query)
    ]
    if found:
        append(conn, actor, Event("consultation", {"feedback": [f.id for f in found]}))
    return found
