"""What widens access, each step recorded and logged: source ownership, cases, consents,
and providers' permissions (H2 dissemination, H1 use in judicial proceedings)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append
from crosslink.access.directory import get_agency
from crosslink.access.filters import load_records
from crosslink.access.policy import Subject, authorize
from crosslink.access.schema import (
    case_members,
    case_records,
    cases,
    consents,
    permissions,
    source_agencies,
    users,
)
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, Conflict, InvalidValue, NotFound
from crosslink.store.schema import sources

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
BASES = ("consent", "legal_basis")
PERMISSION_KINDS = ("disseminate", "judicial")


def _is_admin(actor: Subject) -> bool:
    return "administrator" in actor.roles


def _now(clock: Clock | None) -> dt.datetime:
    return (clock or SystemClock()).now()


def assign_source(conn: Connection, actor: Subject, source_id: str, agency_id: str) -> None:
    """Record which agency provided a source (administrators only)."""
    if not _is_admin(actor):
        raise AccessDenied("only an administrator assigns sources to agencies")
    get_agency(conn, agency_id)
    if conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first() is None:
        raise NotFound(f"no source {source_id!r}")
    conn.execute(source_agencies.delete().where(source_agencies.c.source_id == source_id))
    conn.execute(source_agencies.insert().values(source_id=source_id, agency_id=agency_id))
    append(conn, actor, Event("administration", {"source": source_id, "agency": agency_id}))


def provider_of(conn: Connection, source_id: str) -> str | None:
    return conn.execute(
        select(source_agencies.c.agency_id).where(source_agencies.c.source_id == source_id)
    ).scalar()


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
class ConsentGrant:
    """Consent of the person, or a legal basis, letting a victim's record reach a recipient.

    Give ``recipient_agency_id`` for one agency or ``recipient_kind`` for every agency of a
    kind (``police`` …); ``reference`` cites the form signed or the article of law.
    """

    record_uid: str
    basis: str
    recipient_agency_id: str | None = None
    recipient_kind: str | None = None
    reference: str | None = None


def record_consent(
    conn: Connection, actor: Subject, grant: ConsentGrant, *, clock: Clock | None = None
) -> int:
    """Record a consent or legal basis; only the providing agency (or an administrator) may."""
    if grant.basis not in BASES:
        raise InvalidValue(f"basis {grant.basis!r}: use one of {', '.join(BASES)}")
    if (grant.recipient_agency_id is None) == (grant.recipient_kind is None):
        raise InvalidValue("name exactly one recipient: an agency or a kind of agency")
    record = load_records(conn, actor, [grant.record_uid]).get(grant.record_uid)
    if record is None:
        raise NotFound(f"no record {grant.record_uid!r}")
    if record.provider_agency_id != actor.agency_id and not _is_admin(actor):
        raise AccessDenied("only the agency that provided the record records consent for it")
    inserted = conn.execute(
        consents.insert().values(
            record_uid=grant.record_uid,
            basis=grant.basis,
            reference=grant.reference,
            recipient_agency_id=grant.recipient_agency_id,
            recipient_kind=grant.recipient_kind,
            recorded_by=actor.username,
            recorded_at=_now(clock),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    recipient = grant.recipient_agency_id or f"kind:{grant.recipient_kind}"
    append(
        conn,
        actor,
        Event(
            "administration",
            {"consent": int(key[0]), "records": [grant.record_uid]},
            recipients=[recipient],
        ),
        clock=clock,
    )
    return int(key[0])


def withdraw_consent(
    conn: Connection, actor: Subject, consent_id: int, *, clock: Clock | None = None
) -> None:
    row = conn.execute(select(consents.c.record_uid).where(consents.c.id == consent_id)).first()
    if row is None:
        raise NotFound(f"no consent {consent_id}")
    record = load_records(conn, actor, [row.record_uid]).get(row.record_uid)
    if (record is None or record.provider_agency_id != actor.agency_id) and not _is_admin(actor):
        raise AccessDenied("only the agency that provided the record withdraws its consent")
    conn.execute(
        update(consents).where(consents.c.id == consent_id).values(withdrawn_at=_now(clock))
    )
    append(
        conn,
        actor,
        Event("administration", {"consent": consent_id, "withdrawn": True}),
        clock=clock,
    )


@dataclass(frozen=True)
class PermissionGrant:
    """The provider's permission: ``disseminate`` (H2) or ``judicial`` (H1) to one recipient,
    for one source of the provider or (``source_id=None``) all of them."""

    kind: str
    provider_agency_id: str
    recipient_agency_id: str
    source_id: str | None = None
    scope: str | None = None


def grant_permission(
    conn: Connection, actor: Subject, grant: PermissionGrant, *, clock: Clock | None = None
) -> int:
    if grant.kind not in PERMISSION_KINDS:
        raise InvalidValue(f"permission {grant.kind!r}: use one of {', '.join(PERMISSION_KINDS)}")
    if grant.provider_agency_id != actor.agency_id and not _is_admin(actor):
        raise AccessDenied("only the providing agency grants permission for its data")
    get_agency(conn, grant.recipient_agency_id)
    if (
        grant.source_id is not None
        and provider_of(conn, grant.source_id) != grant.provider_agency_id
    ):
        raise InvalidValue(
            f"source {grant.source_id} is not provided by {grant.provider_agency_id}"
        )
    inserted = conn.execute(
        permissions.insert().values(
            kind=grant.kind,
            provider_agency_id=grant.provider_agency_id,
            recipient_agency_id=grant.recipient_agency_id,
            source_id=grant.source_id,
            scope=grant.scope,
            granted_by=actor.username,
            granted_at=_now(clock),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    append(
        conn,
        actor,
        Event(
            "administration",
            {"permission": int(key[0]), "kind": grant.kind, "source": grant.source_id},
            recipients=[grant.recipient_agency_id],
        ),
        clock=clock,
    )
    return int(key[0])


def revoke_permission(
    conn: Connection, actor: Subject, permission_id: int, *, clock: Clock | None = None
) -> None:
    provider = conn.execute(
        select(permissions.c.provider_agency_id).where(permissions.c.id == permission_id)
    ).scalar()
    if provider is None:
        raise NotFound(f"no permission {permission_id}")
    if provider != actor.agency_id and not _is_admin(actor):
        raise AccessDenied("only the providing agency revokes its permission")
    conn.execute(
        update(permissions).where(permissions.c.id == permission_id).values(revoked_at=_now(clock))
    )
    append(
        conn,
        actor,
        Event("administration", {"permission": permission_id, "revoked": True}),
        clock=clock,
    )
