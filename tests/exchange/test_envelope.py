"""The sealed envelope, as a property: what goes in comes out, and any changed byte of the
ciphertext, or a changed header, is refused."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.exchange.envelope import content_hash, decrypt, parse, seal, verify
from crosslink.exchange.errors import PackageRefused
from crosslink.exchange.keys import RAW_PUBLIC, AgencyKey, Unlocked, b64

_NOW = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)


def _pair(agency: str) -> Unlocked:
    signer, opener = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    key = AgencyKey(
        key_id=agency[:16],
        agency_id=agency,
        own=True,
        sign_public=b64(signer.public_key().public_bytes(*RAW_PUBLIC)),
        box_public=b64(opener.public_key().public_bytes(*RAW_PUBLIC)),
        status="active",
        created_at=_NOW,
    )
    return Unlocked(key, signer, opener)


SENDER, RECIPIENT, OTHER = _pair("be-fedpol"), _pair("gb-nca"), _pair("nl-police")


def _manifest(payload: bytes, request: str) -> dict[str, object]:
    return {
        "package_id": "p-1",
        "sender": SENDER.key.agency_id,
        "recipient": RECIPIENT.key.agency_id,
        "sender_key": SENDER.key.key_id,
        "recipient_key": RECIPIENT.key.key_id,
        "request": request,
        "content_hash": content_hash(payload),
    }


@settings(max_examples=40, deadline=None)
@given(payload=st.binary(max_size=2000), request=st.text(max_size=50))
def test_what_is_sealed_opens_unchanged(payload: bytes, request: str) -> None:
    manifest = _manifest(payload, request)
    opened = decrypt(parse(seal(manifest, payload, SENDER, RECIPIENT.key)), RECIPIENT)
    verify(opened, SENDER.key)
    assert (opened.manifest, opened.payload) == (manifest, payload)


@settings(max_examples=40, deadline=None)
@given(payload=st.binary(min_size=1, max_size=500), where=st.floats(0, 1), bit=st.integers(0, 7))
def test_any_changed_bit_is_refused(payload: bytes, where: float, bit: int) -> None:
    document = json.loads(seal(_manifest(payload, "r"), payload, SENDER, RECIPIENT.key))
    body = bytearray(base64.b64decode(document["ciphertext"]))
    body[min(int(where * len(body)), len(body) - 1)] ^= 1 << bit
    document["ciphertext"] = base64.b64encode(bytes(body)).decode()
    with pytest.raises(PackageRefused, match="altered in transit"):
        decrypt(parse(json.dumps(document).encode()), RECIPIENT)


def test_only_the_recipient_opens_and_only_the_sender_signs() -> None:
    data = seal(_manifest(b"x", "r"), b"x", SENDER, RECIPIENT.key)
    with pytest.raises(PackageRefused, match="not encrypted for this agency's key"):
        decrypt(parse(data), OTHER)
    with pytest.raises(PackageRefused, match="signature invalid"):
        verify(decrypt(parse(data), RECIPIENT), OTHER.key)


def test_a_file_that_is_no_package_is_refused_plainly() -> None:
    for junk, reason in ((b"\xff\xfe", "not JSON"), (b"[]", "not a crosslink-package/1")):
        with pytest.raises(PackageRefused, match=reason):
            parse(junk)
