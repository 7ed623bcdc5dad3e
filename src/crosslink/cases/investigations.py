"""Investigation cases: opened by an agency, with members and records. Membership of an
open case is what lets the policy reach another agency's records naming a person."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update

from crosslink.access.audit import Event, append
from crosslink.access.filters import load_records
from crosslink.access.policy import Subject, authorize
from crosslink.access.schema import case_members, case_records, cases, users
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, Conflict, InvalidValue, NotFound

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _is_admin(actor: Subject) -> bool:
    return "administrator" in actor.roles


def _now(clock: Clock | None) -> dt.datetime:
    return (clock or SystemClock()).now()


def open_case(
    conn: Connection, actor: Subject, case_id: str, title: str, *, clock: Clock | None = None
) -> None:
    """Open a case led by the actor's agency; the actor becomes its first member."""
    if not _ID.match(case_id):
        raise InvalidValue(f"case id {case_id!r}: 1-64 letters, digits, '_', '.', '-'")
    if actor.user_id is None:
        raise AccessDenied("a case is opened by a registered user")
    if conn.execute(select(cases.c.id).where(cases.c.id == case_id)).first():
        raise Conflict(f"case {case_id!r} exists already")
    now = _now(clock)
    conn.execute(
        cases.insert().values(
            id=case_id, title=title, lead_agency_id=actor.agency_id, status="open", created_at=now
        )
    )
    conn.execute(
        case_members.insert().values(
            case_id=case_id, user_id=actor.user_id, added_by=actor.username, added_at=now
        )
    )
    append(conn, actor, Event("administration", {"case": case_id, "opened": True}), clock=clock)


def _require_member(conn: Connection, actor: Subject, case_id: str) -> None:
    status = conn.execute(select(cases.c.status).where(cases.c.id == case_id)).scalar()
    if status is None:
        raise NotFound(f"no case {case_id!r}")
    member = conn.execute(
        select(case_members.c.user_id).where(
            case_members.c.case_id == case_id, case_members.c.user_id == (actor.user_id or -1)
        )
    ).first()
    if member is None and not _is_admin(actor):
        raise AccessDenied(f"only members of case {case_id} (or an administrator) change it")
    if status != "open":
        raise AccessDenied(f"case {case_id} is {status}")


def add_member(
    conn: Connection, actor: Subject, case_id: str, username: str, *, clock: Clock | None = None
) -> None:
    _require_member(conn, actor, case_id)
    user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
    if user_id is None:
        raise NotFound(f"no user {username!r}")
    conn.execute(
        case_members.insert().values(
            case_id=case_id, user_id=user_id, added_by=actor.username, added_at=_now(clock)
        )
    )
    append(conn, actor, Event("administration", {"case": case_id, "member": username}), clock=clock)


def add_records(
    conn: Connection,
    actor: Subject,
    case_id: str,
    uids: Iterable[str],
    *,
    clock: Clock | None = None,
) -> int:
    """Put records in a case. The actor must be allowed to view each: a case shares them."""
    _require_member(conn, actor, case_id)
    wanted = list(dict.fromkeys(uids))
    found = load_records(conn, actor, wanted)
    for uid in wanted:
        if uid not in found:
            raise NotFound(f"no record {uid!r}")
        decision = authorize(actor, "view", found[uid])
        if not decision:
            raise AccessDenied(decision.reason)
    existing = set(
        conn.execute(
            select(case_records.c.record_uid).where(
                case_records.c.case_id == case_id, case_records.c.record_uid.in_(wanted)
            )
        ).scalars()
    )
    new = [u for u in wanted if u not in existing]
    now = _now(clock)
    if new:
        conn.execute(
            case_records.insert(),
            [
                {"case_id": case_id, "record_uid": u, "added_by": actor.username, "added_at": now}
                for u in new
            ],
        )
        append(conn, actor, Event("combination", {"case": case_id, "records": new}), clock=clock)
    return len(new)


def close_case(conn: Connection, actor: Subject, case_id: str) -> None:
    _require_member(conn, actor, case_id)
    conn.execute(update(cases).where(cases.c.id == case_id).values(status="closed"))
    append(conn, actor, Event("administration", {"case": case_id, "closed": True}))


@dataclass(frozen=True)
class CaseSummary:
    id: str
    title: str
    lead_agency_id: str
    status: str
    created_at: dt.datetime
    members: int
    records: int


def list_cases(
    conn: Connection, actor: Subject, *, clock: Clock | None = None
) -> list[CaseSummary]:
    """The cases the actor is a member of (every case for an administrator); audited."""
    members = select(func.count()).where(case_members.c.case_id == cases.c.id).scalar_subquery()
    held = select(func.count()).where(case_records.c.case_id == cases.c.id).scalar_subquery()
    query = select(cases, members.label("members"), held.label("records")).order_by(cases.c.id)
    if not _is_admin(actor):
        mine = select(case_members.c.case_id).where(case_members.c.user_id == (actor.user_id or -1))
        query = query.where(cases.c.id.in_(mine))
    found = [CaseSummary(**r) for r in conn.execute(query).mappings()]
    append(conn, actor, Event("consultation", {"cases": [c.id for c in found]}), clock=clock)
    return found
