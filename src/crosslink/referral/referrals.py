"""Referral cases: open one for a presumed victim's record, move it through its procedure.

Every step passes the one policy (:class:`~crosslink.access.policy.StepResource`: the role the
procedure names, and a view of the victim's record) and lands in the audit log; a refusal is
logged too, and the caller commits before it reports it (see ``docs/referral.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Connection, RowMapping, select, update

from crosslink.access.audit import Event, append
from crosslink.access.directory import load_subject
from crosslink.access.filters import load_records
from crosslink.access.policy import RecordResource, StepResource, Subject, authorize
from crosslink.clock import Clock, SystemClock, as_utc
from crosslink.errors import AccessDenied, InvalidValue, NotFound
from crosslink.model import load_model
from crosslink.referral.procedure import Procedure, TransitionSpec, load_procedure
from crosslink.referral.schema import (
    referral_clocks,
    referral_documents,
    referral_steps,
    referrals,
)

OPEN = "open"
"""The name of the first step in every referral's history."""


@dataclass(frozen=True)
class NewReferral:
    """A presumed victim's record (``person_category: victim``) to refer, and the facts a
    rapporteur needs later, in the model's categories."""

    record_uid: str
    jurisdiction: str
    destination: str | None = None
    minor: bool = False
    guardian: str | None = None
    exploitation: str | None = None
    sector: str | None = None
    means_of_control: tuple[str, ...] = ()


@dataclass(frozen=True)
class Move:
    """One step: the transition, its documents (kind -> reference), and why."""

    transition: str
    documents: Mapping[str, str] = field(default_factory=dict)
    reason: str | None = None
    destination: str | None = None
    """For a transfer: the new destination (centre)."""
    caseworker: str | None = None
    """For a transfer: the user who takes the case over (their agency then holds it)."""
    outcome: str | None = None
    """For a step into a final state: the outcome."""


def _record(conn: Connection, actor: Subject, uid: str) -> RecordResource:
    record = load_records(conn, actor, [uid]).get(uid)
    if record is None:
        raise NotFound(f"no record {uid!r}")
    return record


def _check(
    conn: Connection, actor: Subject, step: StepResource, target: dict[str, object], clock: Clock
) -> None:
    """Ask the policy; a refusal is written to the audit log, then raised."""
    decision = authorize(actor, "move", step)
    if not decision:
        append(
            conn, actor, Event("denied", target, details={"reason": decision.reason}), clock=clock
        )
        raise AccessDenied(decision.reason)


def _categories(new: NewReferral) -> dict[str, str | None]:
    model = load_model()
    means = [model.category_code("means_of_control", m) for m in new.means_of_control]
    return {
        "exploitation": new.exploitation
        and model.category_code("exploitation_forms", new.exploitation),
        "sector": new.sector and model.category_code("labour_sectors", new.sector),
        "means_of_control": ",".join(means) or None,
    }


def open_referral(
    conn: Connection, actor: Subject, new: NewReferral, *, clock: Clock | None = None
) -> int:
    """Open a referral under the jurisdiction's current procedure; returns its id."""
    clock = clock or SystemClock()
    procedure = load_procedure(new.jurisdiction.upper())
    record = _record(conn, actor, new.record_uid)
    if record.person_category != "victim":
        raise InvalidValue(f"record {record.uid} does not name a victim; only victims are referred")
    if new.minor and not (new.guardian or "").strip():
        raise InvalidValue("a minor is referred with a guardian: name the guardian")
    role = next((r for r in procedure.opened_by if r in actor.roles), procedure.opened_by[0])
    target: dict[str, object] = {"referral": None, "records": [record.uid]}
    _check(conn, actor, StepResource(OPEN, role, record), target, clock)
    if new.destination is None and len(procedure.destinations) > 1:
        known = ", ".join(d.id for d in procedure.destinations)
        raise InvalidValue(f"say where the referral goes: --destination one of {known}")
    destination = procedure.destination(new.destination or procedure.destinations[0].id)
    now = clock.now()
    inserted = conn.execute(
        referrals.insert().values(
            jurisdiction=procedure.jurisdiction,
            procedure_version=procedure.version,
            state=procedure.start,
            record_uid=record.uid,
            agency_id=actor.agency_id,
            caseworker_id=actor.user_id,
            destination=destination.id,
            minor=new.minor,
            guardian=(new.guardian or "").strip() or None,
            identified_by=actor.agency_id,
            opened_at=now,
            **_categories(new),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    referral_id = int(key[0])
    _step(conn, actor, referral_id, procedure, (OPEN, None, procedure.start), None, now)
    _start_clocks(conn, referral_id, procedure, procedure.start, now)
    append(
        conn,
        actor,
        Event(
            "collection",
            {"referral": referral_id, "records": [record.uid]},
            recipients=[destination.id],
            details={"jurisdiction": procedure.jurisdiction, "version": procedure.version},
        ),
        clock=clock,
    )
    return referral_id


def _step(
    conn: Connection,
    actor: Subject,
    referral_id: int,
    procedure: Procedure,
    move: tuple[str, str | None, str],
    reason: str | None,
    now: dt.datetime,
) -> int:
    transition, from_state, to_state = move
    inserted = conn.execute(
        referral_steps.insert().values(
            referral_id=referral_id,
            transition=transition,
            from_state=from_state,
            to_state=to_state,
            procedure_version=procedure.version,
            actor=actor.username,
            agency_id=actor.agency_id,
            reason=reason,
            at=now,
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def _start_clocks(
    conn: Connection, referral_id: int, procedure: Procedure, state: str, now: dt.datetime
) -> None:
    calendar = procedure.work_calendar()
    today = calendar.local_date(now)
    rows = [
        {
            "referral_id": referral_id,
            "clock_id": c.id,
            "state": state,
            "owner_role": c.owner,
            "kind": c.kind,
            "started_on": today,
            "due_on": c.length.due(calendar, today),
        }
        for c in procedure.states[state].clocks
    ]
    if rows:
        conn.execute(referral_clocks.insert(), rows)


def _load(conn: Connection, referral_id: int) -> RowMapping:
    row = conn.execute(select(referrals).where(referrals.c.id == referral_id)).mappings().first()
    if row is None:
        raise NotFound(f"no referral {referral_id}")
    return row


def move(
    conn: Connection, actor: Subject, referral_id: int, step: Move, *, clock: Clock | None = None
) -> str:
    """Make one transition; returns the new state."""
    clock = clock or SystemClock()
    row = _load(conn, referral_id)
    procedure = load_procedure(str(row["jurisdiction"]))
    state = str(row["state"])
    transition = _allowed_transition(procedure, state, step.transition)
    record = _record(conn, actor, str(row["record_uid"]))
    target: dict[str, object] = {"referral": referral_id, "records": [record.uid]}
    _check(conn, actor, StepResource(transition.id, transition.role, record), target, clock)
    _check_documents(procedure, transition, step.documents)
    now = clock.now()
    _check_held(conn, procedure, referral_id, transition, now)
    new_state = procedure.target(transition, state)
    changes = _changes(conn, procedure, transition, new_state, step, record.uid, now)
    step_id = _step(
        conn, actor, referral_id, procedure, (transition.id, state, new_state), step.reason, now
    )
    if step.documents:
        conn.execute(
            referral_documents.insert(),
            [
                {"referral_id": referral_id, "step_id": step_id, "kind": k, "reference": v}
                for k, v in step.documents.items()
            ],
        )
    conn.execute(update(referrals).where(referrals.c.id == referral_id).values(**changes))
    if not transition.transfer:
        conn.execute(
            update(referral_clocks)
            .where(
                referral_clocks.c.referral_id == referral_id, referral_clocks.c.stopped_at.is_(None)
            )
            .values(stopped_at=now)
        )
        _start_clocks(conn, referral_id, procedure, new_state, now)
    details = {
        "transition": transition.id,
        "from": state,
        "to": new_state,
        "version": procedure.version,
    }
    append(conn, actor, Event("alteration", target, details=details), clock=clock)
    return new_state


def _allowed_transition(procedure: Procedure, state: str, transition_id: str) -> TransitionSpec:
    if state not in procedure.states:
        raise InvalidValue(
            f"state {state!r} is not in procedure {procedure.jurisdiction} {procedure.version}"
        )
    leaving = procedure.leaving(state)
    for t in leaving:
        if t.id == transition_id:
            return t
    allowed = ", ".join(t.id for t in leaving) or "none (the referral is closed)"
    raise InvalidValue(f"{transition_id!r} cannot be made from {state!r}; allowed: {allowed}")


def _check_documents(
    procedure: Procedure, transition: TransitionSpec, given: Mapping[str, str]
) -> None:
    unknown = sorted(set(given) - set(procedure.documents))
    if unknown:
        raise InvalidValue(
            f"unknown document kinds {unknown}; known: {sorted(procedure.documents)}"
        )
    missing = [d for d in transition.requires if not str(given.get(d, "")).strip()]
    if missing:
        raise InvalidValue(f"{transition.id} needs a reference for: {', '.join(missing)}")


def _check_held(
    conn: Connection,
    procedure: Procedure,
    referral_id: int,
    transition: TransitionSpec,
    now: dt.datetime,
) -> None:
    """A running minimum clock that holds this transition refuses it until it runs out."""
    today = procedure.work_calendar().local_date(now)
    running = conn.execute(
        select(referral_clocks.c.clock_id, referral_clocks.c.due_on).where(
            referral_clocks.c.referral_id == referral_id,
            referral_clocks.c.stopped_at.is_(None),
            referral_clocks.c.kind == "minimum",
        )
    ).all()
    specs = {c.id: c for s in procedure.states.values() for c in s.clocks}
    for clock_id, due_on in running:
        spec = specs.get(clock_id)
        if spec is not None and transition.id in spec.holds and today < due_on:
            raise InvalidValue(
                f"{transition.id} waits for {spec.label.lower()}: {due_on.isoformat()}"
            )


def _changes(
    conn: Connection,
    procedure: Procedure,
    transition: TransitionSpec,
    new_state: str,
    step: Move,
    record_uid: str,
    now: dt.datetime,
) -> dict[str, object]:
    changes: dict[str, object] = {"state": new_state, "procedure_version": procedure.version}
    if transition.transfer:
        if step.destination is None and step.caseworker is None:
            raise InvalidValue("a transfer names a new destination, a new caseworker, or both")
        if step.destination is not None:
            changes["destination"] = procedure.destination(step.destination).id
        if step.caseworker is not None:
            taker = load_subject(conn, step.caseworker)
            seen = authorize(taker, "view", _record(conn, taker, record_uid))
            if not seen:
                raise AccessDenied(f"{taker.username} cannot take the referral over: {seen.reason}")
            changes.update(caseworker_id=taker.user_id, agency_id=taker.agency_id)
    if procedure.states[new_state].final:
        if not (step.outcome or "").strip():
            raise InvalidValue(f"{transition.id} closes the referral: record its outcome")
        changes.update(outcome=step.outcome, closed_at=as_utc(now))
    return changes
