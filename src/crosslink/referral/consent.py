"""Consent of the person, or a legal basis, for sharing a victim's record: per recipient and
per purpose, with who recorded it, when, and when it was withdrawn. The policy's
``victim_consent`` gate reads these rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append
from crosslink.access.filters import load_records
from crosslink.access.policy import Subject
from crosslink.access.schema import consents
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, InvalidValue, NotFound

BASES = ("consent", "legal_basis")


def _is_admin(actor: Subject) -> bool:
    return "administrator" in actor.roles


def _now(clock: Clock | None) -> dt.datetime:
    return (clock or SystemClock()).now()


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
    purpose: str | None = None
    """What the sharing is for (``referral``, ``investigation`` …); none means any purpose."""


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
            purpose=grant.purpose,
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
class Consent:
    id: int
    record_uid: str
    basis: str
    recipient: str
    purpose: str | None
    reference: str | None
    recorded_by: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None


def list_consents(
    conn: Connection, actor: Subject, record_uid: str | None = None, *, clock: Clock | None = None
) -> list[Consent]:
    """Consents on the records of the actor's own agency (all of them for an administrator),
    optionally of one record; the reading is audited."""
    query = select(consents).order_by(consents.c.id)
    if record_uid is not None:
        query = query.where(consents.c.record_uid == record_uid)
    rows = conn.execute(query).mappings().all()
    found = load_records(conn, actor, [r["record_uid"] for r in rows])
    mine = [
        r
        for r in rows
        if _is_admin(actor)
        or (
            r["record_uid"] in found
            and found[r["record_uid"]].provider_agency_id == actor.agency_id
        )
    ]
    uids = sorted({r["record_uid"] for r in mine})
    append(
        conn,
        actor,
        Event(
            "consultation",
            {"consents": [r["id"] for r in mine], "records": uids},
            justification="consent register",
            personal=bool(uids),
        ),
        clock=clock,
    )
    return [
        Consent(
            id=r["id"],
            record_uid=r["record_uid"],
            basis=r["basis"],
            recipient=r["recipient_agency_id"] or f"kind:{r['recipient_kind']}",
            purpose=r["purpose"],
            reference=r["reference"],
            recorded_by=r["recorded_by"],
            recorded_at=r["recorded_at"],
            withdrawn_at=r["withdrawn_at"],
        )
        for r in mine
    ]
