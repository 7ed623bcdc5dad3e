"""Agency keys: an Ed25519 pair to sign, an X25519 pair to receive encrypted packages.

An agency has one *active* pair of its own; ``rotate`` retires it (kept to open packages
already on their way) and makes a new one; ``revoke`` ends a key for good. Private halves are
stored as PKCS#8 encrypted with a passphrase (``cryptography``'s best available scheme) and
never leave this module in clear. A partner's public keys arrive as a small JSON file signed
by their own signing key; its fingerprint is compared with the partner by another channel
(telephone), as for any public key.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append, canonical
from crosslink.access.directory import get_agency
from crosslink.access.policy import Subject, SystemResource, authorize
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, Conflict, InvalidValue, NotFound
from crosslink.exchange.errors import KeyUnusable
from crosslink.exchange.schema import exchange_keys

KEY_FORMAT = "crosslink-agency-key/1"
MIN_PASSPHRASE = 12
RAW_PUBLIC = serialization.Encoding.Raw, serialization.PublicFormat.Raw


@dataclass(frozen=True)
class AgencyKey:
    """The public face of a key pair: what may be shown, printed and published."""

    key_id: str
    agency_id: str
    own: bool
    sign_public: str
    box_public: str
    status: str
    created_at: dt.datetime

    @property
    def fingerprint(self) -> str:
        """SHA-256 over both public keys, in groups of four to read aloud."""
        digest = _digest(self.sign_public, self.box_public)
        return " ".join(digest[i : i + 4] for i in range(0, 32, 4))

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(_b64d(self.sign_public))

    def box(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(_b64d(self.box_public))


@dataclass(frozen=True)
class Unlocked:
    """An own key pair opened with its passphrase, for one operation."""

    key: AgencyKey
    signer: Ed25519PrivateKey
    opener: X25519PrivateKey


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _digest(sign_public: str, box_public: str) -> str:
    return hashlib.sha256(_b64d(sign_public) + _b64d(box_public)).hexdigest()


def _require_admin(actor: Subject, what: str) -> None:
    decision = authorize(actor, "manage_users", SystemResource("exchange_keys"))
    if not decision:
        raise AccessDenied(f"{what} is for administrators: {decision.reason}")


def _check_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidValue(f"a key passphrase needs at least {MIN_PASSPHRASE} characters")
    return passphrase.encode("utf-8")


def create_keys(
    conn: Connection, actor: Subject, passphrase: str, *, clock: Clock | None = None
) -> AgencyKey:
    """A first key pair for the actor's agency; refuses when one is active (rotate it)."""
    _require_admin(actor, "creating exchange keys")
    if _own_rows(conn, actor.agency_id, ("active",)):
        raise Conflict(f"{actor.agency_id} has an active key already: rotate it instead")
    return _new_pair(conn, actor, passphrase, clock or SystemClock())


def rotate_keys(
    conn: Connection, actor: Subject, passphrase: str, *, clock: Clock | None = None
) -> AgencyKey:
    """Retire the active pair (it still opens packages sent to it) and make a new one."""
    _require_admin(actor, "rotating exchange keys")
    active = _own_rows(conn, actor.agency_id, ("active",))
    if not active:
        raise NotFound(f"{actor.agency_id} has no active key to rotate: create one")
    conn.execute(
        update(exchange_keys)
        .where(exchange_keys.c.key_id.in_([r.key_id for r in active]))
        .values(status="retired")
    )
    return _new_pair(conn, actor, passphrase, clock or SystemClock())


def _new_pair(conn: Connection, actor: Subject, passphrase: str, clock: Clock) -> AgencyKey:
    secret = serialization.BestAvailableEncryption(_check_passphrase(passphrase))
    signer, opener = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    sign_public = b64(signer.public_key().public_bytes(*RAW_PUBLIC))
    box_public = b64(opener.public_key().public_bytes(*RAW_PUBLIC))
    pem = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, secret
    values: dict[str, Any] = {
        "key_id": _digest(sign_public, box_public)[:16],
        "agency_id": actor.agency_id,
        "own": 1,
        "sign_public": sign_public,
        "box_public": box_public,
        "sign_private": signer.private_bytes(*pem).decode("ascii"),
        "box_private": opener.private_bytes(*pem).decode("ascii"),
        "status": "active",
        "created_at": clock.now(),
    }
    conn.execute(exchange_keys.insert().values(**values))
    append(
        conn,
        actor,
        Event("administration", {"exchange_key": values["key_id"], "action": "create"}),
        clock=clock,
    )
    return _key(values)


def revoke_key(
    conn: Connection, actor: Subject, key_id: str, *, clock: Clock | None = None
) -> AgencyKey:
    """End a key (own or a partner's): nothing signed by it is accepted any more."""
    _require_admin(actor, "revoking exchange keys")
    key = get_key(conn, key_id)
    now = (clock or SystemClock()).now()
    conn.execute(
        update(exchange_keys)
        .where(exchange_keys.c.key_id == key_id)
        .values(status="revoked", revoked_at=now)
    )
    append(conn, actor, Event("administration", {"exchange_key": key_id, "action": "revoke"}))
    return AgencyKey(**{**key.__dict__, "status": "revoked"})


def publish_key(conn: Connection, agency_id: str, passphrase: str) -> str:
    """The agency's active public keys as a signed JSON document, to hand to partners."""
    unlocked = unlock(conn, own_active(conn, agency_id), passphrase)
    agency = get_agency(conn, agency_id)
    body = {
        "format": KEY_FORMAT,
        "agency": agency.id,
        "name": agency.name,
        "jurisdiction": agency.jurisdiction,
        "key_id": unlocked.key.key_id,
        "sign_public": unlocked.key.sign_public,
        "box_public": unlocked.key.box_public,
    }
    signature = unlocked.signer.sign(canonical(body).encode("utf-8"))
    return json.dumps({**body, "signature": b64(signature)}, indent=2) + "\n"


def import_partner_key(
    conn: Connection, actor: Subject, text: str, *, clock: Clock | None = None
) -> AgencyKey:
    """Store a partner's published keys; the partner agency must be registered first.

    The partner's earlier active key is retired (its old packages still verify)."""
    _require_admin(actor, "importing a partner's keys")
    body = _parse_published(text)
    agency_id = str(body["agency"])
    if agency_id == actor.agency_id:
        raise InvalidValue(f"{agency_id} is this agency: its keys are made here, not imported")
    get_agency(conn, agency_id)
    if conn.execute(
        select(exchange_keys.c.key_id).where(exchange_keys.c.key_id == body["key_id"])
    ).first():
        raise Conflict(f"key {body['key_id']} is known already")
    conn.execute(
        update(exchange_keys)
        .where(exchange_keys.c.agency_id == agency_id, exchange_keys.c.status == "active")
        .values(status="retired")
    )
    values: dict[str, Any] = {
        "key_id": body["key_id"],
        "agency_id": agency_id,
        "own": 0,
        "sign_public": body["sign_public"],
        "box_public": body["box_public"],
        "status": "active",
        "created_at": (clock or SystemClock()).now(),
    }
    conn.execute(exchange_keys.insert().values(**values))
    target = {"exchange_key": values["key_id"], "action": "import", "agency": agency_id}
    append(conn, actor, Event("administration", target), clock=clock)
    return _key(values)


def _parse_published(text: str) -> dict[str, Any]:
    """A published key document, its fields and self-signature checked."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidValue(f"key file: not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise InvalidValue(f"key file: not a {KEY_FORMAT} document")
    fields = ("agency", "key_id", "sign_public", "box_public", "signature")
    missing = [f for f in fields if not isinstance(data.get(f), str)]
    if missing:
        raise InvalidValue(f"key file: missing {', '.join(missing)}")
    body = {k: v for k, v in data.items() if k != "signature"}
    try:
        if _digest(data["sign_public"], data["box_public"])[:16] != data["key_id"]:
            raise InvalidValue("key file: the key id does not match the keys")
        verifier = Ed25519PublicKey.from_public_bytes(_b64d(data["sign_public"]))
        X25519PublicKey.from_public_bytes(_b64d(data["box_public"]))
        verifier.verify(_b64d(data["signature"]), canonical(body).encode("utf-8"))
    except (ValueError, InvalidSignature):
        raise InvalidValue("key file: the keys or their signature are invalid") from None
    return body


def list_keys(conn: Connection) -> list[AgencyKey]:
    rows = conn.execute(
        select(exchange_keys).order_by(exchange_keys.c.agency_id, exchange_keys.c.created_at)
    ).mappings()
    return [_key(dict(r)) for r in rows]


def get_key(conn: Connection, key_id: str) -> AgencyKey:
    row = conn.execute(select(exchange_keys).where(exchange_keys.c.key_id == key_id)).mappings()
    found = row.first()
    if found is None:
        raise NotFound(f"no exchange key {key_id!r}")
    return _key(dict(found))


def own_active(conn: Connection, agency_id: str) -> AgencyKey:
    rows = _own_rows(conn, agency_id, ("active",))
    if not rows:
        raise KeyUnusable(f"{agency_id} has no active exchange key: crosslink exchange keys create")
    return _key(dict(rows[0]._mapping))


def partner_active(conn: Connection, agency_id: str) -> AgencyKey:
    row = (
        conn.execute(
            select(exchange_keys).where(
                exchange_keys.c.agency_id == agency_id,
                exchange_keys.c.own == 0,
                exchange_keys.c.status == "active",
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise KeyUnusable(f"no active key of {agency_id}: import the partner's published key")
    return _key(dict(row))


def unlock(conn: Connection, key: AgencyKey, passphrase: str) -> Unlocked:
    """The private halves of an own key, opened with the passphrase (a wrong one is refused)."""
    row = conn.execute(
        select(exchange_keys.c.sign_private, exchange_keys.c.box_private).where(
            exchange_keys.c.key_id == key.key_id, exchange_keys.c.own == 1
        )
    ).first()
    if row is None or row.sign_private is None or row.box_private is None:
        raise KeyUnusable(f"key {key.key_id} is not one of this agency's own keys")
    if key.status == "revoked":
        raise KeyUnusable(f"key {key.key_id} is revoked")
    secret = passphrase.encode("utf-8")
    try:
        signer = serialization.load_pem_private_key(row.sign_private.encode("ascii"), secret)
        opener = serialization.load_pem_private_key(row.box_private.encode("ascii"), secret)
    except (ValueError, TypeError):
        raise KeyUnusable(f"wrong passphrase for key {key.key_id}") from None
    if not isinstance(signer, Ed25519PrivateKey) or not isinstance(opener, X25519PrivateKey):
        raise KeyUnusable(f"key {key.key_id} is not an Ed25519/X25519 pair")
    return Unlocked(key, signer, opener)


def _own_rows(conn: Connection, agency_id: str, statuses: tuple[str, ...]) -> list[Any]:
    return list(
        conn.execute(
            select(exchange_keys)
            .where(
                exchange_keys.c.agency_id == agency_id,
                exchange_keys.c.own == 1,
                exchange_keys.c.status.in_(statuses),
            )
            .order_by(exchange_keys.c.created_at.desc())
        ).all()
    )


def _key(values: dict[str, Any]) -> AgencyKey:
    return AgencyKey(
        key_id=values["key_id"],
        agency_id=values["agency_id"],
        own=bool(values["own"]),
        sign_public=values["sign_public"],
        box_public=values["box_public"],
        status=values["status"],
        created_at=values["created_at"],
    )
