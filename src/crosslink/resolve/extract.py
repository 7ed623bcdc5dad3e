"""Records of one entity type out of the store, as one Arrow table of cleaned, derived columns.

Every read of records for resolution goes through :func:`read_values`, which applies the
access policy in the query when a subject is given: resolution sees only what that subject may
see. Linked records add evidence: a person's phones, documents, bank accounts, online
accounts and addresses may arrive as their own records joined by a link.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jellyfish
import pyarrow as pa
from sqlalchemy import Connection, Select, and_, case, or_, select
from sqlalchemy.orm import aliased

from crosslink.access import Subject, visible_records
from crosslink.errors import ModelError
from crosslink.model.types import address as address_type
from crosslink.model.types import name as name_type
from crosslink.store.schema import links, record_values, records

log = logging.getLogger(__name__)

ENTITY_TYPES = ("Person", "Organisation", "Address", "Vehicle")
"""The entity types resolution knows a model for."""

# Properties of linked records that count as the linking record's own evidence.
_LINKED = {
    "Phone": {"number": "phone"},
    "Email": {"address": "email"},
    "BankAccount": {"iban": "iban"},
    "OnlineAccount": {"handle": "handle"},
    "IdentityDocument": {"number": "id_number"},
    "Address": {"full": "address", "street": "linked_street", "postcode": "linked_postcode"},
}
_FETCH = 5000
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLES = re.compile(r"(.)\1+")
_HOUSE = re.compile(r"\b(\d+[a-z]?)\b")


@dataclass
class RawRecord:
    """One record's cleaned values per property (own and linked), in store order."""

    uid: str
    source_id: str
    values: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def all(self, prop: str) -> list[str]:
        return self.values.get(prop, [])

    def first(self, prop: str) -> str | None:
        found = self.values.get(prop)
        return found[0] if found else None


def read_values(
    conn: Connection, entity_type: str, subject: Subject | None = None
) -> dict[str, RawRecord]:
    """The records of ``entity_type`` with their values and linked evidence.

    The one door of resolution to the records: with a ``subject``, records (and linked
    records) the subject may not view never leave the store.
    """
    out: dict[str, RawRecord] = {}
    own = (
        select(records.c.uid, records.c.source_id, record_values.c.prop, record_values.c.cleaned)
        .join(record_values, record_values.c.record_uid == records.c.uid)
        .where(records.c.schema == entity_type, record_values.c.cleaned.is_not(None))
        .order_by(records.c.uid, record_values.c.prop, record_values.c.idx)
    )
    for uid, source_id, prop, cleaned in _rows(conn, _visible(own, subject)):
        rec = out.get(uid)
        if rec is None:
            rec = out[uid] = RawRecord(uid, source_id)
        rec.values[prop].append(cleaned)
    bare = select(records.c.uid, records.c.source_id).where(records.c.schema == entity_type)
    for uid, source_id in _rows(conn, _visible(bare, subject)):
        out.setdefault(uid, RawRecord(uid, source_id))
    for uid, prop, cleaned in _rows(conn, _linked_query(entity_type, subject)):
        if uid in out:
            out[uid].values[prop].append(cleaned)
    return out


def _visible(stmt: Select[Any], subject: Subject | None) -> Select[Any]:
    """Only the records ``subject`` may view (the statement selects from ``records``)."""
    if subject is None:
        return stmt
    return stmt.where(records.c.uid.in_(visible_records(subject)))


def _linked_query(entity_type: str, subject: Subject | None) -> Select[Any]:
    src, tgt, val = aliased(records), aliased(records), aliased(record_values)
    stmt = (
        select(links.c.source_uid, tgt.c.schema, val.c.prop, val.c.cleaned)
        .join(src, src.c.uid == links.c.source_uid)
        .join(tgt, tgt.c.uid == links.c.target_uid)
        .join(val, val.c.record_uid == tgt.c.uid)
        .where(
            src.c.schema == entity_type,
            tgt.c.schema.in_(sorted(_LINKED)),
            val.c.cleaned.is_not(None),
        )
        .order_by(links.c.source_uid, links.c.uid, val.c.idx)
    )
    if entity_type == "Address":  # an address's own records are not evidence of another
        stmt = stmt.where(tgt.c.schema != "Address")
    if subject is not None:
        stmt = stmt.where(tgt.c.uid.in_(visible_records(subject)))
    rows = stmt.subquery()
    mapped = [
        (schema, prop, as_prop)
        for schema, props in _LINKED.items()
        for prop, as_prop in props.items()
    ]
    target = case(
        *[(and_(rows.c.schema == s, rows.c.prop == p), a) for s, p, a in mapped], else_=None
    )
    return select(rows.c.source_uid, target, rows.c.cleaned).where(
        or_(*[and_(rows.c.schema == s, rows.c.prop == p) for s, p, _ in mapped])
    )


def _rows(conn: Connection, stmt: Select[Any]) -> Iterator[tuple[str, ...]]:
    result = conn.execute(stmt.execution_options(yield_per=_FETCH))
    try:
        for row in result:
            yield tuple(row)
    finally:
        result.close()


# --- derived values -------------------------------------------------------------------------


def metaphone(text: str | None) -> str | None:
    if not text:
        return None
    code = "".join(str(jellyfish.metaphone(t)) or t for t in text.split())
    return code or None


def skeleton(text: str | None) -> str | None:
    """Consonants only, doubles merged: vowel-free transliterations agree (Mhmd, Mohamed)."""
    if not text:
        return None
    out = _DOUBLES.sub(r"\1", _VOWELS.sub("", text.replace(" ", "").replace("kh", "h")))
    return out or None


def split_name(raw: RawRecord) -> tuple[str | None, str | None]:
    """Given and family name as latin tokens without particles, from whatever the source gave."""
    given = " ".join(name_type.tokens(raw.all("first_name")[0])) if raw.all("first_name") else None
    family = " ".join(name_type.tokens(raw.all("last_name")[0])) if raw.all("last_name") else None
    full = raw.first("name")
    if full and not (given and family):
        parts = name_type.tokens(full)
        if given and not family:
            family = _without(parts, given) or None
        elif family and not given:
            given = _without(parts, family) or None
        else:
            # "VAN DAMME Jean": the capitals say which part is the family name.
            given, family = name_type.split_by_capitals(full) or (
                parts[0],
                " ".join(parts[1:]) or None,
            )
    return given or None, family or None


def _without(parts: list[str], known: str) -> str:
    """The tokens of a full name that are not the known part (compared by consonant skeleton:
    a name written without vowels still drops out)."""
    drop = {skeleton(k) for k in known.split()} | set(known.split())
    return " ".join(p for p in parts if p not in drop and skeleton(p) not in drop)


def birth_parts(date: str | None) -> tuple[int | None, int | None, int | None]:
    if not date:
        return None, None, None
    pieces = [int(p) for p in date.split("-")]
    pieces += [0] * (3 - len(pieces))
    return pieces[0], pieces[1] or None, pieces[2] or None


def address_keys(values: Iterable[str]) -> tuple[list[str] | None, list[str] | None]:
    """Postcodes and ``postcode|street|house`` keys of addresses (street words normalised)."""
    codes: list[str] = []
    keys: list[str] = []
    for value in values:
        fp = address_type.fingerprint(value)
        code, _, street = fp.partition("|")
        house = _house(value)
        if code:
            codes.append(code)
        if street:
            keys.append(f"{code}|{street}|{house}")
    return _none_if_empty(codes), _none_if_empty(keys)


def _house(value: str) -> str:
    tokens = address_type.street_tokens(value)
    text = address_type.clean(value).lower()
    for segment in text.split(","):
        if any(t in segment for t in tokens):
            match = _HOUSE.search(segment)
            if match:
                return match.group(1)
    return ""


def _none_if_empty(values: Iterable[str]) -> list[str] | None:
    out = sorted(set(values))
    return out or None


def _latin(value: str | None) -> str | None:
    return name_type.latin(value) or None if value else None


# --- one row per entity type ----------------------------------------------------------------

Row = dict[str, object]


def _addresses(raw: RawRecord) -> list[str]:
    """Own address values and linked addresses (their street and postcode put together)."""
    linked = zip(raw.all("linked_street"), raw.all("linked_postcode"), strict=False)
    return raw.all("address") + [f"{street}, {code}" for street, code in linked]


def person_row(raw: RawRecord) -> Row:
    given, family = split_name(raw)
    dob = raw.first("birth_date")
    year, month, day = birth_parts(dob)
    full = " ".join(x for x in (given, family) if x) or None
    codes, keys = address_keys(_addresses(raw))
    return {
        "given": given,
        "family": family,
        "given_first": given.split()[0] if given else None,
        "given_phon": metaphone(given.split()[0]) if given else None,
        "given_skel": skeleton(given.split()[0]) if given else None,
        "family_phon": metaphone(family),
        "family_skel": skeleton(family),
        "name_fp": " ".join(sorted(full.split())) if full else None,
        "aliases": _none_if_empty(t for a in raw.all("alias") for t in name_type.tokens(a)),
        "dob": dob,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "nationality": raw.first("nationality"),
        "phones": _none_if_empty(raw.all("phone")),
        "emails": _none_if_empty(raw.all("email") + raw.all("handle")),
        "documents": _none_if_empty(raw.all("id_number") + raw.all("national_id")),
        "accounts": _none_if_empty(raw.all("iban")),
        "postcodes": codes,
        "address_keys": keys,
    }


def organisation_row(raw: RawRecord) -> Row:
    name = raw.first("name")
    fp = name_type.fingerprint(name) if name else None
    codes, keys = address_keys(_addresses(raw))
    return {
        "name_fp": fp or None,
        "name_latin": _latin(name),
        "name_phon": metaphone(fp),
        "registrations": _none_if_empty(raw.all("registration_number") + raw.all("vat_number")),
        "jurisdiction": raw.first("jurisdiction"),
        "phones": _none_if_empty(raw.all("phone")),
        "emails": _none_if_empty(raw.all("email") + raw.all("handle")),
        "accounts": _none_if_empty(raw.all("iban")),
        "postcodes": codes,
        "address_keys": keys,
    }


def address_row(raw: RawRecord) -> Row:
    code = raw.first("postcode")
    full = raw.first("full")
    if not full and raw.first("street"):
        full = ", ".join(x for x in (raw.first("street"), code, raw.first("city")) if x)
    street = house = None
    if full:
        fp = address_type.fingerprint(full)
        found, _, words = fp.partition("|")
        code = code or found or None
        street = words or None
        house = _house(full) or None
    city = _latin(raw.first("city"))
    return {
        "postcode": code.replace(" ", "").upper() if code else None,
        "street": street,
        "street_phon": metaphone(street),
        "house": house,
        "city": city,
        "country": raw.first("country"),
    }


def vehicle_row(raw: RawRecord) -> Row:
    return {
        "registration": raw.first("registration"),
        "vin": raw.first("vin"),
        "make": _latin(raw.first("make")),
        "model": _latin(raw.first("model")),
        "colour": _latin(raw.first("colour")),
        "country": raw.first("country"),
    }


_STR, _INT, _LIST = pa.string(), pa.int32(), pa.list_(pa.string())
COLUMNS: dict[str, tuple[Callable[[RawRecord], Row], dict[str, pa.DataType]]] = {
    "Person": (
        person_row,
        {
            **dict.fromkeys(
                (
                    "given",
                    "family",
                    "given_first",
                    "given_phon",
                    "given_skel",
                    "family_phon",
                    "family_skel",
                ),
                _STR,
            ),
            "name_fp": _STR,
            "aliases": _LIST,
            "dob": _STR,
            **dict.fromkeys(("birth_year", "birth_month", "birth_day"), _INT),
            "nationality": _STR,
            **dict.fromkeys(("phones", "emails", "documents", "accounts"), _LIST),
            **dict.fromkeys(("postcodes", "address_keys"), _LIST),
        },
    ),
    "Organisation": (
        organisation_row,
        {
            **dict.fromkeys(("name_fp", "name_latin", "name_phon"), _STR),
            "registrations": _LIST,
            "jurisdiction": _STR,
            **dict.fromkeys(("phones", "emails", "accounts", "postcodes", "address_keys"), _LIST),
        },
    ),
    "Address": (
        address_row,
        dict.fromkeys(("postcode", "street", "street_phon", "house", "city", "country"), _STR),
    ),
    "Vehicle": (
        vehicle_row,
        dict.fromkeys(("registration", "vin", "make", "model", "colour", "country"), _STR),
    ),
}


def to_table(entity_type: str, raws: Iterable[RawRecord]) -> pa.Table:
    """The Arrow table Splink reads: ``unique_id``, ``source_id`` and the derived columns."""
    if entity_type not in COLUMNS:
        raise ModelError(
            f"no resolution model for {entity_type!r}; known: {', '.join(ENTITY_TYPES)}"
        )
    derive, columns = COLUMNS[entity_type]
    data: dict[str, list[object]] = {"unique_id": [], "source_id": []}
    data.update({name: [] for name in columns})
    for raw in raws:
        row = derive(raw)
        data["unique_id"].append(raw.uid)
        data["source_id"].append(raw.source_id)
        for name in columns:
            data[name].append(row[name])
    schema = pa.schema(
        [("unique_id", _STR), ("source_id", _STR), *((n, t) for n, t in columns.items())]
    )
    return pa.table(data, schema=schema)


def extract(conn: Connection, entity_type: str, subject: Subject | None = None) -> pa.Table:
    """Records of ``entity_type`` (those ``subject`` may see) as a table for Splink."""
    raws = read_values(conn, entity_type, subject)
    table = to_table(entity_type, (raws[uid] for uid in sorted(raws)))
    log.info("extracted %d %s records", table.num_rows, entity_type)
    return table
