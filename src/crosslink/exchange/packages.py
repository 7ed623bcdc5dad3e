"""Packages out: preview what leaves, then build, sign and encrypt it for the recipient.

A package is the FtM lines of :mod:`crosslink.exchange.ftm` under a signed manifest (sender,
recipient, request, handling codes, H3 conditions, grading, conditions of use, expiry and the
SHA-256 of the lines), sealed by :mod:`crosslink.exchange.envelope`. The preview and the
package read the same plan (:mod:`crosslink.exchange.selection`), so what the preview shows
is exactly what leaves. Both are audited: the preview as a consultation, the package as a
transfer naming its recipient, its records and its justification.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select

from crosslink.access.audit import Event, append
from crosslink.access.directory import get_agency
from crosslink.access.policy import Subject
from crosslink.access.roles import load_roles
from crosslink.access.schema import consents
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, InvalidValue, JustificationRequired
from crosslink.exchange.envelope import content_hash, seal
from crosslink.exchange.ftm import link_entity, load_ftm_table, record_entity
from crosslink.exchange.keys import own_active, partner_active, unlock
from crosslink.exchange.schema import exchange_packages
from crosslink.exchange.selection import Candidate, Plan, Selection, plan
from crosslink.model import load_model
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import links, record_values

MAX_DAYS = 365


@dataclass(frozen=True)
class PackageRequest:
    """Who sends what to whom, why, and under which conditions."""

    subject: Subject
    recipient: str
    selection: Selection
    justification: str
    request_ref: str | None = None
    conditions_of_use: str = ""
    valid_days: int = 30


@dataclass
class Outgoing:
    """A built package: the sealed bytes, its manifest and the plan it was made from."""

    plan: Plan
    lines: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    data: bytes = b""


def preview(conn: Connection, request: PackageRequest) -> Outgoing:
    """Exactly the lines a package would carry, and what stays; logged as a consultation."""
    _refuse(conn, request, "preview")
    outgoing = _lines(conn, request)
    _log(conn, request, "consultation", outgoing, {"preview": True})
    return outgoing


def build_package(
    conn: Connection, request: PackageRequest, passphrase: str, *, clock: Clock | None = None
) -> Outgoing:
    """Sign and encrypt the selection for the recipient; record and audit the transfer.

    Refusals (no export role, no justification) are logged before they are raised: commit
    before re-raising, as for every refusal."""
    _refuse(conn, request, "package")
    if not 1 <= request.valid_days <= MAX_DAYS:
        raise InvalidValue(f"a package is valid for 1 to {MAX_DAYS} days")
    outgoing = _lines(conn, request)
    if not outgoing.plan.leaving:
        raise InvalidValue("nothing may leave for this recipient: see the preview for why")
    grading = sorted({c.grading_system for c in outgoing.plan.leaving})
    if len(grading) > 1:
        raise InvalidValue(
            f"the selection mixes gradings ({', '.join(grading)}): send one package per grading"
        )
    sender = unlock(conn, own_active(conn, request.subject.agency_id), passphrase)
    recipient = partner_active(conn, outgoing.plan.recipient)
    payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in outgoing.lines)
    now = (clock or SystemClock()).now()
    leaving = outgoing.plan.leaving
    outgoing.manifest = {
        "package_id": str(uuid.uuid4()),
        "sender": request.subject.agency_id,
        "recipient": recipient.agency_id,
        "sender_key": sender.key.key_id,
        "recipient_key": recipient.key_id,
        "request": request.request_ref,
        "created_at": now.isoformat(),
        "expires_at": (now + dt.timedelta(days=request.valid_days)).isoformat(),
        "handling_codes": sorted({c.handling_code for c in leaving}),
        "h3_conditions": sorted({c.handling_conditions for c in leaving if c.handling_conditions}),
        "conditions_of_use": request.conditions_of_use,
        "grading_system": grading[0],
        "records": len(leaving),
        "links": len(outgoing.plan.link_uids),
        "ftm_table": load_ftm_table().version,
        "content_hash": content_hash(payload.encode("utf-8")),
    }
    outgoing.data = seal(outgoing.manifest, payload.encode("utf-8"), sender, recipient)
    _record(conn, request, outgoing.manifest, now)
    _log(conn, request, "transfer", outgoing, {"package": outgoing.manifest["package_id"]})
    return outgoing


def _refuse(conn: Connection, request: PackageRequest, what: str) -> None:
    """Log and raise: no role of the subject may export, or no justification."""
    subject = request.subject
    error: AccessDenied | None = None
    if not any("export" in load_roles().role(name).actions for name in subject.roles):
        roles = ", ".join(sorted(subject.roles)) or "none"
        error = AccessDenied(f"user {subject.username} may not export (roles: {roles})")
    elif not request.justification.strip():
        error = JustificationRequired("a package of personal data needs a justification")
    if error is None:
        return
    target = {"package": what, "recipient": request.recipient}
    event = Event(
        "denied", target, justification=request.justification, details={"reason": str(error)}
    )
    append(conn, subject, event)
    raise error


def _lines(conn: Connection, request: PackageRequest) -> Outgoing:
    chosen = plan(conn, request.subject, request.recipient, request.selection)
    outgoing = Outgoing(chosen)
    values = _values(conn, chosen.leaving)
    consented = _consents(conn, chosen)
    for c in chosen.leaving:
        prov = _provenance(c)
        if c.uid in consented:
            prov["consent"] = consented[c.uid]
        outgoing.lines.append(record_entity(c.uid, c.entity_type, values.get(c.uid, []), prov))
    for start in range(0, len(chosen.link_uids), MAX_IN_PARAMS):
        chunk = chosen.link_uids[start : start + MAX_IN_PARAMS]
        for row in conn.execute(select(links).where(links.c.uid.in_(chunk)).order_by(links.c.uid)):
            prov = {
                "handling_code": row.handling_code,
                "handling_conditions": row.handling_conditions,
                "source_grade": row.source_grade,
                "info_grade": row.info_grade,
            }
            ends = (row.source_uid, row.target_uid)
            dates = (row.start_date, row.end_date)
            outgoing.lines.append(link_entity(row.uid, row.link_type, ends, dates, prov))
    return outgoing


def _provenance(c: Candidate) -> dict[str, Any]:
    return {
        "handling_code": c.handling_code,
        "handling_conditions": c.handling_conditions,
        "source_grade": c.source_grade,
        "info_grade": c.info_grade,
        "person_category": c.person_category,
    }


def _values(conn: Connection, leaving: list[Candidate]) -> dict[str, list[tuple[str, str]]]:
    """Each record's (property, value): cleaned for the types the table says, else as written."""
    model = load_model()
    cleaned_types = load_ftm_table().send_cleaned
    type_of = {c.uid: c.entity_type for c in leaving}
    uids = list(type_of)
    found: dict[str, list[tuple[str, str]]] = {}
    for start in range(0, len(uids), MAX_IN_PARAMS):
        rows = conn.execute(
            select(
                record_values.c.record_uid,
                record_values.c.prop,
                record_values.c.original,
                record_values.c.cleaned,
            )
            .where(record_values.c.record_uid.in_(uids[start : start + MAX_IN_PARAMS]))
            .order_by(record_values.c.record_uid, record_values.c.prop, record_values.c.idx)
        )
        for uid, prop, original, cleaned in rows:
            spec = model.entity(type_of[uid]).properties.get(prop)
            use_cleaned = cleaned is not None and spec is not None and spec.type in cleaned_types
            found.setdefault(uid, []).append((prop, cleaned if use_cleaned else original))
    return found


def _consents(conn: Connection, chosen: Plan) -> dict[str, dict[str, str | None]]:
    """The consent or legal basis letting each leaving victim's record go to the recipient."""
    victims = [c.uid for c in chosen.leaving if c.person_category == "victim"]
    if not victims:
        return {}
    agency = get_agency(conn, chosen.recipient)
    found: dict[str, dict[str, str | None]] = {}
    for start in range(0, len(victims), MAX_IN_PARAMS):
        rows = conn.execute(
            select(consents.c.record_uid, consents.c.basis, consents.c.reference).where(
                consents.c.record_uid.in_(victims[start : start + MAX_IN_PARAMS]),
                consents.c.withdrawn_at.is_(None),
                or_(
                    consents.c.recipient_agency_id == agency.id,
                    consents.c.recipient_kind == agency.kind,
                ),
            )
        )
        for uid, basis, reference in rows:
            found.setdefault(uid, {"basis": basis, "reference": reference})
    return found


def _record(
    conn: Connection, request: PackageRequest, manifest: dict[str, Any], now: dt.datetime
) -> None:
    conn.execute(
        exchange_packages.insert().values(
            package_id=manifest["package_id"],
            direction="out",
            sender=manifest["sender"],
            recipient=manifest["recipient"],
            request_ref=request.request_ref,
            content_hash=manifest["content_hash"],
            entities=manifest["records"] + manifest["links"],
            created_at=now,
            expires_at=dt.datetime.fromisoformat(manifest["expires_at"]),
            handled_by=request.subject.username,
        )
    )


def _log(
    conn: Connection,
    request: PackageRequest,
    action: str,
    outgoing: Outgoing,
    extra: dict[str, Any],
) -> None:
    chosen = outgoing.plan
    if not chosen.leaving:
        return
    details = {
        **extra,
        "records": len(chosen.leaving),
        "links": len(chosen.link_uids),
        "held_back": len(chosen.held_back),
        "request": request.request_ref,
    }
    event = Event(
        action,
        {"records": [c.uid for c in chosen.leaving], "action": "export"},
        justification=request.justification,
        recipients=[chosen.recipient],
        details=details,
        personal=any(c.person_category is not None for c in chosen.leaving),
    )
    append(conn, request.subject, event)
