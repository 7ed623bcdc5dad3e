"""Packages in: check everything, import through the normal importer, sign a receipt.

The order of the checks: addressed to this agency, opened with its key (an altered
envelope fails here), signed by a known, unrevoked key of the named sender, header bound to
the signed manifest, content hash, expiry, not seen before. Only then are the lines imported,
strictly (one rejected line refuses the package), into the sender's own source here
(``x-<sender>``, provided by the sender agency), each record keeping the sender's handling
code, H3 conditions and grading: they become this Crosslink's policy on those records. A
refusal rolls back to a savepoint, so the store is as before, and is itself logged.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from crosslink.access.audit import Event, append
from crosslink.access.directory import get_agency
from crosslink.access.grants import PermissionGrant, assign_source, grant_permission
from crosslink.access.policy import SourceResource, Subject, authorize
from crosslink.clock import Clock, SystemClock, as_utc
from crosslink.errors import AccessDenied, CrosslinkError, NotFound
from crosslink.exchange.envelope import Opened, decrypt, parse, verify
from crosslink.exchange.errors import PackageRefused
from crosslink.exchange.ftm import import_mapping
from crosslink.exchange.keys import AgencyKey, get_key, unlock
from crosslink.exchange.receipts import sign_receipt
from crosslink.exchange.schema import exchange_packages
from crosslink.ingest import ImportRequest, ImportSummary, import_file
from crosslink.referral.consent import ConsentGrant, record_consent
from crosslink.store.schema import records, sources
from crosslink.store.sources import Source, add_source


@dataclass(frozen=True)
class Received:
    manifest: dict[str, Any]
    source_id: str
    summary: ImportSummary
    receipt: str
    """The signed receipt (JSON) to send back to the sender."""


def open_package(
    conn: Connection,
    subject: Subject,
    data: bytes,
    passphrase: str,
    *,
    clock: Clock | None = None,
) -> Received:
    """Verify and import a package; on refusal the store is as before and the refusal logged.

    Raises :class:`PackageRefused` (and the import's own errors) after logging ``denied``:
    the caller commits before re-raising, or the refusal's entry is lost."""
    savepoint = conn.begin_nested()
    package_id = "unreadable"
    try:
        envelope = parse(data)
        package_id = envelope.header["package_id"][:64]  # unauthenticated: kept short
        received = _open(conn, subject, envelope.header, data, passphrase, clock or SystemClock())
    except CrosslinkError as exc:
        savepoint.rollback()
        target = {"package": package_id, "action": "receive"}
        append(conn, subject, Event("denied", target, details={"reason": str(exc)}), clock=clock)
        raise
    savepoint.commit()
    return received


def _open(
    conn: Connection,
    subject: Subject,
    header: dict[str, str],
    data: bytes,
    passphrase: str,
    clock: Clock,
) -> Received:
    opened = _checked(conn, subject, header, data, passphrase, clock)
    manifest = opened.manifest
    source_id = _sender_source(conn, subject, manifest)
    summary = _import(conn, subject, opened, source_id)
    _carry_permissions(conn, subject, opened, source_id)
    now = clock.now()
    receipt = sign_receipt(conn, subject, manifest, summary, passphrase, now)
    conn.execute(
        exchange_packages.insert().values(
            package_id=header["package_id"],
            direction="in",
            sender=header["sender"],
            recipient=header["recipient"],
            request_ref=manifest.get("request"),
            content_hash=manifest["content_hash"],
            entities=int(manifest.get("records", 0)) + int(manifest.get("links", 0)),
            created_at=_when(manifest.get("created_at"), "created_at"),
            expires_at=_when(manifest.get("expires_at"), "expires_at"),
            handled_by=subject.username,
            batch_id=summary.batch_id,
            receipt_at=now,
            receipt=receipt,
        )
    )
    details = {
        "request": manifest.get("request"),
        "batch": summary.batch_id,
        "records_added": summary.records_added,
        "handling_codes": manifest.get("handling_codes"),
    }
    target = {"package": header["package_id"], "source": source_id}
    append(conn, subject, Event("collection", target, details=details), clock=clock)
    return Received(manifest, source_id, summary, receipt)


def _checked(
    conn: Connection,
    subject: Subject,
    header: dict[str, str],
    data: bytes,
    passphrase: str,
    clock: Clock,
) -> Opened:
    """The opened package once every check has passed, in the order of the module's note."""
    if header["recipient"] != subject.agency_id:
        raise PackageRefused(
            f"package addressed to {header['recipient']}, not to {subject.agency_id}"
        )
    own = _known_key(conn, header["recipient_key"], subject.agency_id, own=True)
    opened = decrypt(parse(data), unlock(conn, own, passphrase))
    sender = _known_key(conn, header["sender_key"], header["sender"], own=False)
    verify(opened, sender)
    expires = _when(opened.manifest.get("expires_at"), "expires_at")
    if clock.now() > expires:
        raise PackageRefused(f"package expired at {expires.isoformat()}")
    seen = conn.execute(
        select(exchange_packages.c.package_id).where(
            exchange_packages.c.package_id == header["package_id"]
        )
    ).first()
    if seen:
        raise PackageRefused(f"package {header['package_id']} was received already (a replay)")
    return opened


def _known_key(conn: Connection, key_id: str, agency_id: str, *, own: bool) -> AgencyKey:
    whose = "this agency's" if own else f"{agency_id}'s"
    try:
        key = get_key(conn, key_id)
    except NotFound:
        raise PackageRefused(f"key {key_id} is not one of {whose} known keys") from None
    if key.own != own or key.agency_id != agency_id:
        raise PackageRefused(f"key {key_id} is not one of {whose} keys")
    if key.status == "revoked":
        raise PackageRefused(f"key {key_id} of {agency_id} is revoked")
    return key


def _when(value: Any, name: str) -> dt.datetime:
    try:
        return as_utc(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        raise PackageRefused(f"manifest {name} is not a time: {str(value)[:40]!r}") from None


def _sender_source(conn: Connection, subject: Subject, manifest: dict[str, Any]) -> str:
    """The sender's source here, made on its first package (one per grading system)."""
    sender = get_agency(conn, str(manifest["sender"]))
    grading = str(manifest.get("grading_system", "europol"))
    source_id = f"x-{sender.id}" if grading == "europol" else f"x-{sender.id}-{grading}"
    decision = authorize(subject, "import", SourceResource(source_id, sender.id))
    if not decision:
        raise AccessDenied(f"opening a package of {sender.id}: {decision.reason}")
    if not conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first():
        add_source(
            conn,
            Source(
                source_id,
                sender.name,
                "exchange packages",
                sender.jurisdiction,
                grading_system="uk" if grading == "uk" else "europol",
            ),
        )
        assign_source(conn, subject, source_id, sender.id)
    return source_id


def _import(conn: Connection, subject: Subject, opened: Opened, source_id: str) -> ImportSummary:
    with tempfile.TemporaryDirectory(prefix="crosslink-package-") as folder:
        path = Path(folder) / f"package-{opened.header['package_id']}.jsonl"
        path.write_bytes(opened.payload)
        request = ImportRequest(
            path=path, mapping=import_mapping(), source_id=source_id, subject=subject, strict=True
        )
        return import_file(conn, request)


def _carry_permissions(conn: Connection, subject: Subject, opened: Opened, source_id: str) -> None:
    """What let the records leave the sender lets this agency hold them: the sender's
    dissemination permission (H2) and each victim's consent or legal basis, recorded here
    with the package as reference. Passing them on to a third agency needs new ones."""
    sender, package = opened.header["sender"], opened.header["package_id"]
    lines = [json.loads(line) for line in opened.payload.splitlines() if line.strip()]
    marks = [line.get("crosslink") or {} for line in lines]
    if any(mark.get("handling_code") == "H2" for mark in marks):
        grant = PermissionGrant(
            "disseminate", sender, subject.agency_id, source_id, scope=f"package {package}"
        )
        grant_permission(conn, subject, grant)
    for line, mark in zip(lines, marks, strict=True):
        consent = mark.get("consent")
        if not isinstance(consent, dict):
            continue
        uid = conn.execute(
            select(records.c.uid).where(
                records.c.source_id == source_id,
                records.c.schema == "Person",
                records.c.source_key == str(line.get("id")),
            )
        ).scalar()
        if uid is None:
            continue
        basis = "consent" if consent.get("basis") == "consent" else "legal_basis"
        reference = f"package {package}: {consent.get('reference') or basis}"
        given = ConsentGrant(uid, basis, recipient_agency_id=subject.agency_id, reference=reference)
        record_consent(conn, subject, given)
