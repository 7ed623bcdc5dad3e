"""Requests between agencies and their legal clocks (``data/legal_bases.yaml``).

A request is registered when it arrives (``in``: this agency answers) or leaves (``out``: a
partner answers); its legal basis and urgency set the deadline. States: received, in
progress, answered (with the package that answered it, if any) or refused (with the reason);
*overdue* is not stored but read off the clock: an open request past its deadline. The
summary may name a person, so lists show references and clocks, and the summary is shown
only by :func:`show_request`, which logs the consultation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append
from crosslink.access.directory import get_agency
from crosslink.access.policy import Subject
from crosslink.access.roles import load_roles
from crosslink.clock import Clock, SystemClock, as_utc
from crosslink.errors import AccessDenied, Conflict, InvalidValue, ModelError, NotFound
from crosslink.exchange.schema import exchange_requests

_FILE = "data/legal_bases.yaml"
OPEN_STATES = ("received", "in_progress")
NEXT_STATES = {
    "received": ("in_progress", "answered", "refused"),
    "in_progress": ("answered", "refused"),
    "answered": (),
    "refused": (),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Urgency(_Strict):
    label: str
    hours: int | None = None
    days: int | None = None

    @model_validator(mode="after")
    def _one_clock(self) -> Urgency:
        if (self.hours is None) == (self.days is None):
            raise ValueError("give exactly one of 'hours' and 'days'")
        return self


class LegalBasis(_Strict):
    label: str
    urgencies: dict[str, Urgency]


class LegalBases(_Strict):
    version: int
    zones: dict[str, str]
    bases: dict[str, LegalBasis]


@cache
def load_legal_bases() -> LegalBases:
    """The bundled bases, their clocks and time zones checked."""
    text = resources.files("crosslink.exchange").joinpath(_FILE).read_text("utf-8")
    try:
        book = LegalBases.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise ModelError(f"exchange/{_FILE}: {exc}") from exc
    for country, zone in book.zones.items():
        try:
            ZoneInfo(zone)
        except ZoneInfoNotFoundError:
            raise ModelError(f"exchange/{_FILE}: zones.{country}: unknown zone {zone!r}") from None
    return book


def deadline(basis: str, urgency: str, received: dt.datetime, zone: str) -> dt.datetime:
    """When the answer is due: hours in elapsed time, days as calendar days in ``zone``."""
    book = load_legal_bases()
    if basis not in book.bases:
        raise InvalidValue(f"unknown legal basis {basis!r}; use one of {', '.join(book.bases)}")
    urgencies = book.bases[basis].urgencies
    if urgency not in urgencies:
        raise InvalidValue(
            f"{basis} knows no urgency {urgency!r}; use one of {', '.join(urgencies)}"
        )
    clock = urgencies[urgency]
    if clock.hours is not None:
        return as_utc(received) + dt.timedelta(hours=clock.hours)
    local = as_utc(received).astimezone(ZoneInfo(zone))
    wall = local.replace(tzinfo=None) + dt.timedelta(days=clock.days or 0)
    return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


@dataclass(frozen=True)
class NewRequest:
    direction: str
    partner: str
    reference: str
    legal_basis: str
    urgency: str
    summary: str
    received_at: dt.datetime | None = None
    """When it arrived (in) or left (out); now when not given."""


@dataclass(frozen=True)
class Request:
    id: int
    direction: str
    partner: str
    reference: str
    legal_basis: str
    urgency: str
    state: str
    reason: str | None
    package_id: str | None
    received_at: dt.datetime
    due_at: dt.datetime
    time_zone: str

    def overdue(self, now: dt.datetime) -> bool:
        return self.state in OPEN_STATES and as_utc(now) > self.due_at

    def status(self, now: dt.datetime) -> str:
        return "overdue" if self.overdue(now) else self.state


def _require(subject: Subject, action: str, what: str) -> None:
    """Requests are handled by the roles that may ``action`` (export: send; view: read)."""
    book = load_roles()
    if not any(action in book.role(name).actions for name in subject.roles):
        raise AccessDenied(f"user {subject.username} may not {what} (no role may {action})")


def register_request(
    conn: Connection, actor: Subject, new: NewRequest, *, clock: Clock | None = None
) -> Request:
    """Record a request and start its clock, in the answering agency's time zone."""
    _require(actor, "export", "register requests")
    if new.direction not in ("in", "out"):
        raise InvalidValue("a request comes in (we answer) or goes out (a partner answers)")
    if not new.reference.strip() or not new.summary.strip():
        raise InvalidValue("a request needs a reference and a summary")
    partner = get_agency(conn, new.partner)
    answering = partner if new.direction == "out" else get_agency(conn, actor.agency_id)
    zone = load_legal_bases().zones.get(answering.jurisdiction, "UTC")
    now = (clock or SystemClock()).now()
    received = as_utc(new.received_at or now)
    due = deadline(new.legal_basis, new.urgency, received, zone)
    taken = conn.execute(
        select(exchange_requests.c.id).where(
            exchange_requests.c.direction == new.direction,
            exchange_requests.c.partner == partner.id,
            exchange_requests.c.reference == new.reference,
        )
    ).first()
    if taken:
        raise Conflict(f"request {new.reference!r} of {partner.id} is registered already")
    values = {
        "direction": new.direction,
        "agency_id": actor.agency_id,
        "partner": partner.id,
        "reference": new.reference.strip(),
        "legal_basis": new.legal_basis,
        "urgency": new.urgency,
        "summary": new.summary.strip(),
        "state": "received",
        "received_at": received,
        "due_at": due,
        "time_zone": zone,
        "registered_by": actor.username,
        "updated_at": now,
    }
    inserted = conn.execute(exchange_requests.insert().values(**values))
    key = inserted.inserted_primary_key
    assert key is not None
    target = {"request": int(key[0]), "reference": values["reference"]}
    append(conn, actor, Event("collection", target, recipients=[partner.id]), clock=clock)
    return _request(conn, int(key[0]))


def set_state(
    conn: Connection,
    actor: Subject,
    request_id: int,
    state: str,
    *,
    reason: str | None = None,
    package_id: str | None = None,
    clock: Clock | None = None,
) -> Request:
    """Move a request on: received → in_progress → answered | refused (with a reason)."""
    _require(actor, "export", "handle requests")
    current = _request(conn, request_id, actor.agency_id)
    if state not in NEXT_STATES.get(current.state, ()):
        allowed = ", ".join(NEXT_STATES[current.state]) or "none: it is closed"
        raise InvalidValue(f"request {request_id} is {current.state}; next: {allowed}")
    if state == "refused" and not (reason or "").strip():
        raise InvalidValue("a refusal needs its reason (the ground for refusal relied on)")
    conn.execute(
        update(exchange_requests)
        .where(exchange_requests.c.id == request_id)
        .values(
            state=state,
            reason=reason,
            package_id=package_id,
            updated_at=(clock or SystemClock()).now(),
        )
    )
    target = {"request": request_id, "state": state, "package": package_id}
    append(conn, actor, Event("administration", target, details={"reason": reason}), clock=clock)
    return _request(conn, request_id)


def due_requests(
    conn: Connection,
    actor: Subject,
    *,
    within: dt.timedelta | None = None,
    clock: Clock | None = None,
) -> list[Request]:
    """The agency's open requests by deadline; ``within``: only those due by then (and all
    the overdue ones)."""
    _require(actor, "view", "read requests")
    query = (
        select(exchange_requests.c.id)
        .where(
            exchange_requests.c.agency_id == actor.agency_id,
            exchange_requests.c.state.in_(OPEN_STATES),
        )
        .order_by(exchange_requests.c.due_at, exchange_requests.c.id)
    )
    if within is not None:
        query = query.where(exchange_requests.c.due_at <= (clock or SystemClock()).now() + within)
    return [_request(conn, int(i)) for i in conn.execute(query).scalars()]


def show_request(
    conn: Connection, actor: Subject, request_id: int, justification: str
) -> tuple[Request, str]:
    """One request and its summary; the summary may name a person, so this is logged."""
    _require(actor, "view", "read requests")
    found = _request(conn, request_id, actor.agency_id)
    summary = conn.execute(
        select(exchange_requests.c.summary).where(exchange_requests.c.id == request_id)
    ).scalar_one()
    event = Event(
        "consultation", {"request": request_id}, justification=justification, personal=True
    )
    append(conn, actor, event)
    return found, str(summary)


def _request(conn: Connection, request_id: int, agency_id: str | None = None) -> Request:
    row = (
        conn.execute(select(exchange_requests).where(exchange_requests.c.id == request_id))
        .mappings()
        .first()
    )
    if row is None or (agency_id is not None and row["agency_id"] != agency_id):
        raise NotFound(f"no request {request_id} of your agency")
    return Request(
        id=row["id"],
        direction=row["direction"],
        partner=row["partner"],
        reference=row["reference"],
        legal_basis=row["legal_basis"],
        urgency=row["urgency"],
        state=row["state"],
        reason=row["reason"],
        package_id=row["package_id"],
        received_at=as_utc(row["received_at"]),
        due_at=as_utc(row["due_at"]),
        time_zone=row["time_zone"],
    )
