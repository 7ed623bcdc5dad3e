"""Reading referrals: one case with its timeline, the desk's list, and the clocks that are due.

Lists are filtered in the query by the policy (:func:`~crosslink.access.filters.visible_records`
on the victim's record): a referral the user may not see never leaves the store. Every read is
audited; one case page is a consultation of a person's data and needs a justification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Select, select

from crosslink.access.audit import Event, append
from crosslink.access.consult import consult_records
from crosslink.access.filters import record_filter
from crosslink.access.policy import Subject
from crosslink.access.schema import users
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, InvalidValue, NotFound
from crosslink.referral.procedure import load_procedure
from crosslink.referral.schema import referral_clocks, referral_documents, referral_steps, referrals
from crosslink.store.schema import records

Scope = Literal["mine", "agency", "role"]
"""Whose clocks: the referrals I hold, my agency's, or every visible one my roles must act on."""
SCOPES: tuple[Scope, ...] = ("mine", "agency", "role")


def parse_scope(text: str) -> Scope:
    for scope in SCOPES:
        if scope == text:
            return scope
    raise InvalidValue(f"scope {text!r}: use one of {', '.join(SCOPES)}")


@dataclass(frozen=True)
class ClockState:
    referral_id: int
    jurisdiction: str
    clock_id: str
    label: str
    owner_role: str
    kind: str
    started_on: dt.date
    due_on: dt.date
    status: str
    """``overdue``, ``due`` (within the window), ``running``; a minimum clock: ``waiting``
    until it runs out, then ``over``."""
    on_expiry: str


@dataclass(frozen=True)
class Summary:
    id: int
    jurisdiction: str
    state: str
    state_label: str
    destination: str
    caseworker: str
    agency_id: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class Step:
    transition: str
    from_state: str | None
    to_state: str
    actor: str
    agency_id: str
    at: dt.datetime
    reason: str | None
    version: str
    documents: dict[str, str]


@dataclass(frozen=True)
class NextStep:
    transition: str
    label: str
    role: str
    requires: tuple[str, ...]
    yours: bool


@dataclass(frozen=True)
class ReferralView:
    summary: Summary
    record_uid: str
    minor: bool
    guardian: str | None
    exploitation: str | None
    sector: str | None
    means_of_control: str | None
    outcome: str | None
    steps: list[Step]
    clocks: list[ClockState]
    next_steps: list[NextStep]
    conditions: str | None


def _summaries(conn: Connection, query: Select[tuple[object, ...]]) -> list[Summary]:
    found = []
    for r in conn.execute(query).mappings():
        procedure = load_procedure(r["jurisdiction"])
        spec = procedure.states.get(r["state"])
        found.append(
            Summary(
                id=r["id"],
                jurisdiction=r["jurisdiction"],
                state=r["state"],
                state_label=spec.label if spec else r["state"],
                destination=r["destination"],
                caseworker=r["username"],
                agency_id=r["agency_id"],
                opened_at=r["opened_at"],
                closed_at=r["closed_at"],
            )
        )
    return found


def _base(actor: Subject) -> Select[tuple[object, ...]]:
    return _visible(
        select(referrals, users.c.username).join(users, users.c.id == referrals.c.caseworker_id),
        actor,
    )


def _visible(query: Select[tuple[object, ...]], actor: Subject) -> Select[tuple[object, ...]]:
    """Only referrals whose victim's record the actor may view: the policy's own WHERE clause
    on the joined record, evaluated row by row (no list of every visible record is built)."""
    return query.join(records, records.c.uid == referrals.c.record_uid).where(
        record_filter(actor, "view")
    )


def list_referrals(
    conn: Connection,
    actor: Subject,
    *,
    scope: Scope | Literal["all"] = "all",
    open_only: bool = False,
    clock: Clock | None = None,
) -> list[Summary]:
    """The referrals the actor may see (no names: ids, states, dates); the listing is audited."""
    query = _scoped(_base(actor), actor, scope).order_by(referrals.c.id)
    if open_only:
        query = query.where(referrals.c.closed_at.is_(None))
    found = _summaries(conn, query)
    append(conn, actor, Event("consultation", {"referrals": [s.id for s in found]}), clock=clock)
    return found


def _scoped(
    query: Select[tuple[object, ...]], actor: Subject, scope: str
) -> Select[tuple[object, ...]]:
    if scope == "mine":
        return query.where(referrals.c.caseworker_id == (actor.user_id or -1))
    if scope == "agency":
        return query.where(referrals.c.agency_id == actor.agency_id)
    return query


def clock_states(
    procedure_of: str, rows: Sequence[dict[str, object]], now: dt.datetime, within_days: int
) -> list[ClockState]:
    """Status of running clocks of one jurisdiction at ``now`` (the procedure's own day)."""
    procedure = load_procedure(procedure_of)
    today = procedure.work_calendar().local_date(now)
    specs = {c.id: c for s in procedure.states.values() for c in s.clocks}
    found = []
    for r in rows:
        due = r["due_on"]
        assert isinstance(due, dt.date)
        spec = specs.get(str(r["clock_id"]))
        if r["kind"] == "minimum":
            status = "waiting" if today < due else "over"
        elif today > due:
            status = "overdue"
        else:
            status = "due" if (due - today).days <= within_days else "running"
        found.append(
            ClockState(
                referral_id=int(str(r["referral_id"])),
                jurisdiction=procedure.jurisdiction,
                clock_id=str(r["clock_id"]),
                label=spec.label if spec else str(r["clock_id"]),
                owner_role=str(r["owner_role"]),
                kind=str(r["kind"]),
                started_on=r["started_on"],  # type: ignore[arg-type]
                due_on=due,
                status=status,
                on_expiry=spec.on_expiry.note if spec else "",
            )
        )
    return found


def due_clocks(
    conn: Connection,
    actor: Subject,
    *,
    scope: Scope = "mine",
    within_days: int = 7,
    clock: Clock | None = None,
) -> list[ClockState]:
    """Running deadlines due within ``within_days`` or overdue, on referrals the actor may see,
    for the scope asked; soonest first. Audited (referral ids only)."""
    now = (clock or SystemClock()).now()
    horizon = now.date() + dt.timedelta(days=within_days + 1)  # time zones differ by < 1 day
    query = _visible(
        select(referral_clocks, referrals.c.jurisdiction)
        .join(referrals, referrals.c.id == referral_clocks.c.referral_id)
        .where(
            referral_clocks.c.stopped_at.is_(None),
            referral_clocks.c.kind == "deadline",
            referral_clocks.c.due_on <= horizon,
        )
        .order_by(referral_clocks.c.due_on, referral_clocks.c.referral_id),
        actor,
    )
    if scope == "role":
        query = query.where(referral_clocks.c.owner_role.in_(sorted(actor.roles)))
    else:
        query = _scoped(query, actor, scope)
    by_jurisdiction: dict[str, list[dict[str, object]]] = {}
    for r in conn.execute(query).mappings():
        by_jurisdiction.setdefault(r["jurisdiction"], []).append(dict(r))
    found = [
        c
        for j, rows in sorted(by_jurisdiction.items())
        for c in clock_states(j, rows, now, within_days)
        if c.status in ("due", "overdue")
    ]
    found.sort(key=lambda c: (c.due_on, c.referral_id))
    append(
        conn,
        actor,
        Event("consultation", {"referrals": sorted({c.referral_id for c in found})}),
        clock=clock,
    )
    return found


def show_referral(
    conn: Connection,
    actor: Subject,
    referral_id: int,
    *,
    justification: str | None,
    clock: Clock | None = None,
) -> ReferralView:
    """One referral with its timeline, its clocks and the steps the actor may make next.

    The victim's record is consulted through the policy (a person's data: a justification is
    required); a refusal is logged and raised, so the caller commits before reporting it.
    """
    now = (clock or SystemClock()).now()
    query = select(referrals, users.c.username).join(users, users.c.id == referrals.c.caseworker_id)
    row = conn.execute(query.where(referrals.c.id == referral_id)).mappings().first()
    if row is None:
        raise NotFound(f"no referral {referral_id}")
    seen = consult_records(
        conn, actor, [row["record_uid"]], justification=justification, clock=clock
    )
    if not seen.allowed:
        raise AccessDenied(
            f"referral {referral_id}: {seen.denied.get(row['record_uid'], 'refused')}"
        )
    procedure = load_procedure(row["jurisdiction"])
    summary = _summaries(conn, query.where(referrals.c.id == referral_id))[0]
    running = conn.execute(
        select(referral_clocks).where(
            referral_clocks.c.referral_id == referral_id, referral_clocks.c.stopped_at.is_(None)
        )
    ).mappings()
    next_steps = [
        NextStep(t.id, t.label, t.role, t.requires, t.role in actor.roles)
        for t in procedure.leaving(row["state"])
    ]
    return ReferralView(
        summary=summary,
        record_uid=row["record_uid"],
        minor=row["minor"],
        guardian=row["guardian"],
        exploitation=row["exploitation"],
        sector=row["sector"],
        means_of_control=row["means_of_control"],
        outcome=row["outcome"],
        steps=_steps(conn, referral_id),
        clocks=clock_states(row["jurisdiction"], [dict(r) for r in running], now, 7),
        next_steps=next_steps,
        conditions=seen.conditions.get(row["record_uid"]),
    )


def _steps(conn: Connection, referral_id: int) -> list[Step]:
    documents: dict[int, dict[str, str]] = {}
    for d in conn.execute(
        select(referral_documents).where(referral_documents.c.referral_id == referral_id)
    ).mappings():
        documents.setdefault(d["step_id"], {})[d["kind"]] = d["reference"]
    rows = conn.execute(
        select(referral_steps)
        .where(referral_steps.c.referral_id == referral_id)
        .order_by(referral_steps.c.id)
    ).mappings()
    return [
        Step(
            transition=r["transition"],
            from_state=r["from_state"],
            to_state=r["to_state"],
            actor=r["actor"],
            agency_id=r["agency_id"],
            at=r["at"],
            reason=r["reason"],
            version=r["procedure_version"],
            documents=documents.get(r["id"], {}),
        )
        for r in rows
    ]
