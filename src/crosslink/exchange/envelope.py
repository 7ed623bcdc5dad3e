"""The sealed package: sign with Ed25519, then encrypt for the recipient's X25519 key.

Layout (one JSON document)::

    {"format": "crosslink-package/1",
     "header": {package_id, sender, recipient, sender_key, recipient_key, ephemeral},
     "nonce": …, "ciphertext": …}

The content key is HKDF-SHA256 over an X25519 exchange between a fresh (ephemeral) key and
the recipient's key; ChaCha20-Poly1305 encrypts, with the canonical header as associated
data, so a header changed in transit fails like a changed ciphertext. Inside: the canonical
manifest and its signature on one line, then the entities. The manifest names sender and
recipient too (signed), so a package re-encrypted for someone else is caught, and carries the
SHA-256 of the entities. All primitives are ``cryptography``'s; nothing here is home-made
beyond the layout.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crosslink.access.audit import canonical
from crosslink.exchange.errors import PackageRefused
from crosslink.exchange.keys import AgencyKey, Unlocked

PACKAGE_FORMAT = "crosslink-package/1"
_INFO = b"crosslink-package/1 content key"
HEADER_FIELDS = ("package_id", "sender", "recipient", "sender_key", "recipient_key")


@dataclass(frozen=True)
class Envelope:
    header: dict[str, str]
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Opened:
    """A decrypted package whose signature is not checked yet: see :func:`verify`."""

    header: dict[str, str]
    manifest: dict[str, Any]
    signature: bytes
    payload: bytes


def content_hash(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _content_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_INFO)
    return hkdf.derive(shared)


def seal(manifest: dict[str, Any], payload: bytes, sender: Unlocked, recipient: AgencyKey) -> bytes:
    """The package file: ``manifest`` (with the header fields) signed, then encrypted."""
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(*raw)
    recipient_public = recipient.box().public_bytes(*raw)
    key = _content_key(ephemeral.exchange(recipient.box()), ephemeral_public, recipient_public)
    header = {name: str(manifest[name]) for name in HEADER_FIELDS}
    header["ephemeral"] = base64.b64encode(ephemeral_public).decode("ascii")
    signed = canonical(manifest).encode("utf-8")
    inner = canonical(
        {"manifest": manifest, "signature": base64.b64encode(sender.signer.sign(signed)).decode()}
    )
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(key).encrypt(
        nonce, inner.encode("utf-8") + b"\n" + payload, canonical(header).encode("utf-8")
    )
    document = {
        "format": PACKAGE_FORMAT,
        "header": header,
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
    }
    return (json.dumps(document) + "\n").encode("utf-8")


def parse(data: bytes) -> Envelope:
    """The envelope's parts, or a refusal saying what is wrong with the file."""
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PackageRefused("not a Crosslink package (not JSON)") from None
    if not isinstance(document, dict) or document.get("format") != PACKAGE_FORMAT:
        raise PackageRefused(f"not a {PACKAGE_FORMAT} package")
    header = document.get("header")
    fields = (*HEADER_FIELDS, "ephemeral")
    if not isinstance(header, dict) or not all(isinstance(header.get(f), str) for f in fields):
        raise PackageRefused(f"package header incomplete: it needs {', '.join(fields)}")
    try:
        nonce = base64.b64decode(document["nonce"], validate=True)
        ciphertext = base64.b64decode(document["ciphertext"], validate=True)
    except (KeyError, TypeError, binascii.Error):
        raise PackageRefused("package body damaged (nonce or ciphertext unreadable)") from None
    return Envelope({f: header[f] for f in fields}, nonce, ciphertext)


def decrypt(envelope: Envelope, recipient: Unlocked) -> Opened:
    """Open the envelope with the recipient's key; any change in transit is refused here."""
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    try:
        ephemeral_raw = base64.b64decode(envelope.header["ephemeral"], validate=True)
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
        recipient_public = recipient.opener.public_key().public_bytes(*raw)
        key = _content_key(recipient.opener.exchange(ephemeral), ephemeral_raw, recipient_public)
        aad = canonical(envelope.header).encode("utf-8")
        plain = ChaCha20Poly1305(key).decrypt(envelope.nonce, envelope.ciphertext, aad)
    except (InvalidTag, ValueError, binascii.Error):
        raise PackageRefused(
            "package altered in transit, or not encrypted for this agency's key"
        ) from None
    first, _, payload = plain.partition(b"\n")
    try:
        inner = json.loads(first)
        signature = base64.b64decode(inner["signature"], validate=True)
        manifest = inner["manifest"]
    except (json.JSONDecodeError, KeyError, TypeError, binascii.Error):
        raise PackageRefused("package content unreadable (manifest or signature)") from None
    if not isinstance(manifest, dict):
        raise PackageRefused("package manifest is not an object")
    return Opened(envelope.header, manifest, signature, payload)


def verify(opened: Opened, sender: AgencyKey) -> None:
    """Signature, header bound to the signed manifest, entities' hash: else refused."""
    try:
        sender.verifier().verify(opened.signature, canonical(opened.manifest).encode("utf-8"))
    except InvalidSignature:
        raise PackageRefused(
            f"signature invalid: the manifest was not signed by {sender.agency_id}'s key "
            f"{sender.key_id}"
        ) from None
    for name in HEADER_FIELDS:
        if str(opened.manifest.get(name)) != opened.header[name]:
            raise PackageRefused(f"the envelope's {name} differs from the signed manifest's")
    if content_hash(opened.payload) != opened.manifest.get("content_hash"):
        raise PackageRefused("the entities do not match the signed content hash")
