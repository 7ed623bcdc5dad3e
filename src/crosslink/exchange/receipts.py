"""Receipts: the receiving agency signs what it received; the sender verifies and files it.

A receipt names the package, its content hash, who received it and when, and what the
import made of it (records added or already there). It carries no personal data, so it
travels signed but not encrypted.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append, canonical
from crosslink.access.policy import Subject
from crosslink.exchange.errors import PackageRefused
from crosslink.exchange.keys import get_key, own_active, unlock
from crosslink.exchange.schema import exchange_packages
from crosslink.ingest import ImportSummary

RECEIPT_FORMAT = "crosslink-receipt/1"


def sign_receipt(
    conn: Connection,
    subject: Subject,
    manifest: dict[str, Any],
    summary: ImportSummary,
    passphrase: str,
    now: dt.datetime,
) -> str:
    """The signed receipt for a package just imported, as JSON text."""
    unlocked = unlock(conn, own_active(conn, subject.agency_id), passphrase)
    body = {
        "format": RECEIPT_FORMAT,
        "package_id": manifest["package_id"],
        "content_hash": manifest["content_hash"],
        "sender": manifest["sender"],
        "recipient": manifest["recipient"],
        "received_at": now.isoformat(),
        "received_by": subject.username,
        "records_added": summary.records_added,
        "records_existing": summary.records_existing,
        "links_added": summary.links_added,
        "key_id": unlocked.key.key_id,
    }
    signature = unlocked.signer.sign(canonical(body).encode("utf-8"))
    return json.dumps({**body, "signature": base64.b64encode(signature).decode()}, indent=2)


def accept_receipt(conn: Connection, subject: Subject, text: str) -> dict[str, Any]:
    """Verify a partner's receipt for one of our packages and file it with the package."""
    body, signature = _parse(text)
    row = conn.execute(
        select(exchange_packages).where(
            exchange_packages.c.package_id == str(body.get("package_id")),
            exchange_packages.c.direction == "out",
        )
    ).first()
    if row is None:
        raise PackageRefused(f"no package {body.get('package_id')!r} was sent from here")
    if row.sender != subject.agency_id:
        raise PackageRefused(f"package {row.package_id} was sent by {row.sender}, not by you")
    key = get_key(conn, str(body.get("key_id")))
    if key.own or key.agency_id != row.recipient or key.status == "revoked":
        raise PackageRefused(f"the receipt is not signed by a valid key of {row.recipient}")
    try:
        key.verifier().verify(signature, canonical(body).encode("utf-8"))
    except InvalidSignature:
        raise PackageRefused(f"the receipt's signature is not {row.recipient}'s") from None
    if body.get("content_hash") != row.content_hash or body.get("recipient") != row.recipient:
        raise PackageRefused("the receipt does not match the package sent")
    conn.execute(
        update(exchange_packages)
        .where(exchange_packages.c.package_id == row.package_id)
        .values(receipt_at=dt.datetime.fromisoformat(str(body["received_at"])), receipt=text)
    )
    target = {"package": row.package_id, "receipt": "accepted"}
    append(conn, subject, Event("administration", target, recipients=[row.recipient]))
    return body


def _parse(text: str) -> tuple[dict[str, Any], bytes]:
    try:
        data = json.loads(text)
        signature = base64.b64decode(data["signature"], validate=True)
        dt.datetime.fromisoformat(str(data["received_at"]))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, binascii.Error):
        raise PackageRefused("not a readable Crosslink receipt") from None
    if not isinstance(data, dict) or data.get("format") != RECEIPT_FORMAT:
        raise PackageRefused(f"not a {RECEIPT_FORMAT} receipt")
    return {k: v for k, v in data.items() if k != "signature"}, signature
