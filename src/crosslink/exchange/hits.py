"""Hit/no-hit: do two agencies know the same person? Learnt without revealing anyone else.

Each side turns the persons it may export into keyed hashes (HMAC-SHA256 under a key the two
agencies share for this exchange, handed over out of band) of normalised identifiers:

- ``doc``: a document or national number, upper case, letters and digits only;
- ``phone``: a phone number in E.164, as cleaning made it;
- ``name-dob``: the name's words in Latin letters, lower case, sorted, with a full date of
  birth (a name alone, or a year alone, is too common to count as a hit).

The kind is hashed with the value, so a phone cannot meet a document number. The encodings
file holds only the sorted, de-duplicated hashes: no name, no count per person, no order to
read anything from. Without the key a dictionary of likely numbers or names finds nothing in
it; with the key, only what both hold. A hit tells the matching side which of *its own*
records it concerns and gives a reference (the hash) for the partner to look up among its
own and to name in a request. Every encoding, match and look-up is audited on its side.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rigour.text import ascii_text
from sqlalchemy import Connection, select

from crosslink.access.audit import Event, append
from crosslink.access.filters import visible_records
from crosslink.access.policy import Subject
from crosslink.errors import InvalidValue, JustificationRequired
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values, records

HITS_FORMAT = "crosslink-hits/1"
KEY_BYTES = 32
_PROPS = ("name", "first_name", "last_name", "birth_date", "phone", "id_number", "national_id")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def new_key() -> str:
    """A fresh exchange key (base64 of 32 random bytes), to share with the partner only."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def read_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except binascii.Error:
        raise InvalidValue("the hit key is not base64 (make one with: exchange hit key)") from None
    if len(key) < KEY_BYTES:
        raise InvalidValue(f"the hit key must hold at least {KEY_BYTES} bytes")
    return key


def name_key(name: str) -> str:
    """A name's words in Latin letters, lower case, sorted: order and script set aside."""
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text(name).lower()).split()
    return " ".join(sorted(words))


def identifiers(values: dict[str, list[str]]) -> set[str]:
    """The normalised identifiers of one person, each prefixed with its kind."""
    found = set()
    for prop in ("id_number", "national_id"):
        for value in values.get(prop, []):
            number = re.sub(r"[^A-Z0-9]", "", ascii_text(value).upper())
            if len(number) >= 5:
                found.add(f"doc:{number}")
    found.update(f"phone:{p}" for p in values.get("phone", []) if p.startswith("+"))
    names = list(values.get("name", []))
    firsts, lasts = values.get("first_name", []), values.get("last_name", [])
    names += [f"{first} {last}" for first in firsts or [""] for last in lasts]
    for born in (d for d in values.get("birth_date", []) if _FULL_DATE.match(d)):
        found.update(f"name-dob:{key}|{born}" for key in map(name_key, names) if key)
    return found


def _token(key: bytes, identifier: str) -> str:
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def own_tokens(conn: Connection, subject: Subject, key: bytes) -> dict[str, set[str]]:
    """Keyed hash → the uids of the persons behind it, among those the subject may export."""
    persons = select(records.c.uid).where(
        records.c.schema == "Person", records.c.uid.in_(visible_records(subject, "export"))
    )
    uids = list(conn.execute(persons).scalars())
    found: dict[str, set[str]] = {}
    for start in range(0, len(uids), MAX_IN_PARAMS):
        values: dict[str, dict[str, list[str]]] = {}
        rows = conn.execute(
            select(
                record_values.c.record_uid,
                record_values.c.prop,
                record_values.c.original,
                record_values.c.cleaned,
            ).where(
                record_values.c.record_uid.in_(uids[start : start + MAX_IN_PARAMS]),
                record_values.c.prop.in_(_PROPS),
            )
        )
        for uid, prop, original, cleaned in rows:
            values.setdefault(uid, {}).setdefault(prop, []).append(cleaned or original)
        for uid, person in values.items():
            for identifier in identifiers(person):
                found.setdefault(_token(key, identifier), set()).add(uid)
    return found


def _justified(justification: str) -> None:
    if not justification.strip():
        raise JustificationRequired("a hit/no-hit exchange needs a justification")


def encode(
    conn: Connection, subject: Subject, key: bytes, partner: str, justification: str
) -> dict[str, Any]:
    """The encodings document for ``partner``: sorted keyed hashes only; audited."""
    _justified(justification)
    tokens = sorted(own_tokens(conn, subject, key))
    document = {
        "format": HITS_FORMAT,
        "agency": subject.agency_id,
        "partner": partner,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "tokens": tokens,
    }
    details = {"encodings": len(tokens), "kinds": ["doc", "phone", "name-dob"]}
    target = {"hit_encodings": len(tokens), "action": "export"}
    event = Event(
        "disclosure", target, justification=justification, recipients=[partner], details=details
    )
    append(conn, subject, event)
    return document


@dataclass(frozen=True)
class Hit:
    reference: str
    """The keyed hash both sides hold: what a request names."""
    records: tuple[str, ...]
    """The matching side's own records behind it."""


def match(
    conn: Connection,
    subject: Subject,
    key: bytes,
    partner: str,
    references: Iterable[str],
    justification: str,
) -> list[Hit]:
    """Which of the partner's hashes (its file's, or the references it sent) are ours too;
    the references of the hits are what goes back to the partner."""
    _justified(justification)
    theirs = set(references)
    bad = next((t for t in theirs if not _TOKEN.match(t)), None)
    if bad is not None:
        raise InvalidValue(f"not a hit reference: {bad[:70]!r}")
    ours = own_tokens(conn, subject, key)
    hits = [Hit(t, tuple(sorted(ours[t]))) for t in sorted(theirs & set(ours))]
    event = Event(
        "combination",
        {"records": sorted({uid for h in hits for uid in h.records}), "action": "hit-match"},
        justification=justification,
        recipients=[partner],
        details={"compared": len(theirs), "hits": [h.reference for h in hits]},
        personal=bool(hits),
    )
    append(conn, subject, event)
    return hits


def read_document(text: str, agency_id: str) -> tuple[str, list[str]]:
    """The sender and the hashes of an encodings document addressed to ``agency_id``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidValue(f"encodings file: not JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(document, dict) or document.get("format") != HITS_FORMAT:
        raise InvalidValue(f"encodings file: not a {HITS_FORMAT} document")
    if document.get("partner") != agency_id:
        raise InvalidValue(f"encodings file made for {document.get('partner')}, not {agency_id}")
    tokens = document.get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise InvalidValue("encodings file: 'tokens' must be a list of hashes")
    return str(document.get("agency")), tokens
