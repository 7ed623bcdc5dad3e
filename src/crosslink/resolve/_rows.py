"""Cleaned, derived columns of one record per entity type (the rows of the resolution table).

Name and address pools repeat heavily across a store, so the derivations of single strings are
cached (bounded; :func:`clear_caches` empties them when a table is built).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

import jellyfish
import pyarrow as pa

from crosslink.model.types import address as address_type
from crosslink.model.types import name as name_type
from crosslink.model.types import national_id

_CACHE = 1 << 16


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


# --- derived values -------------------------------------------------------------------------


@lru_cache(maxsize=_CACHE)
def metaphone(text: str | None) -> str | None:
    if not text:
        return None
    code = "".join(str(jellyfish.metaphone(t)) or t for t in text.split())
    return code or None


def skeleton(text: str | None) -> str | None:
    """Consonants only (:func:`name_type.skeleton`, which caches them): vowel-free
    transliterations agree."""
    return name_type.skeleton(text) or None if text else None


@lru_cache(maxsize=_CACHE)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(name_type.tokens(text))


def split_name(raw: RawRecord) -> tuple[str | None, str | None]:
    """Given and family name as latin tokens without particles, from whatever the source gave."""
    first, last = raw.values.get("first_name"), raw.values.get("last_name")
    return _split_name(first[0] if first else None, last[0] if last else None, raw.first("name"))


def _split_name(
    first: str | None, last: str | None, full: str | None
) -> tuple[str | None, str | None]:
    given = " ".join(_tokens(first)) if first is not None else None
    family = " ".join(_tokens(last)) if last is not None else None
    if full and not (given and family):
        parts = list(_tokens(full))
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
    a name written without vowels still drops out). Each known token drops one token only:
    in "Youssef Ben Youssef" the family name repeats the given one."""
    rest = list(parts)
    for token in known.split():
        found = next((p for p in rest if p == token or skeleton(p) == skeleton(token)), None)
        if found is not None:
            rest.remove(found)
    return " ".join(rest)


@lru_cache(maxsize=_CACHE)
def birth_parts(date: str | None) -> tuple[int | None, int | None, int | None]:
    if not date:
        return None, None, None
    pieces = [int(p) for p in date.split("-")]
    pieces += [0] * (3 - len(pieces))
    return pieces[0], pieces[1] or None, pieces[2] or None


def address_keys(values: Iterable[str]) -> tuple[list[str] | None, list[str] | None]:
    """Postcodes and ``postcode|street|house`` keys of addresses (street words normalised)."""
    codes: set[str] = set()
    keys: set[str] = set()
    for value in values:
        code, key = _address_key(value)
        if code:
            codes.add(code)
        if key:
            keys.add(key)
    return sorted(codes) or None, sorted(keys) or None


@lru_cache(maxsize=_CACHE)
def _address_key(value: str) -> tuple[str, str]:
    """Postcode and key of one address ("" where there is none)."""
    code, _, street = address_type.fingerprint(value).partition("|")
    return code, f"{code}|{street}|{_house(value)}" if street else ""


def _house(value: str) -> str:
    # The street segment's number as the address type parses it: matching the street's
    # normalised words ("kortrijksestwg", "progres") against the written ones
    # ("Kortrijksesteenweg", "Progrès") lost the number of half the demo's streets.
    return address_type.house_number(value)


def _none_if_empty(values: Iterable[str]) -> list[str] | None:
    if not values:  # an empty list (a generator is always true)
        return None
    out = sorted(set(values))
    return out or None


@lru_cache(maxsize=_CACHE)
def _latin_of(value: str) -> str | None:
    return name_type.latin(value) or None


def _latin(value: str | None) -> str | None:
    return _latin_of(value) if value else None


def clear_caches() -> None:
    """Forget cached derivations (a table is built; keep the memory for what comes next)."""
    for cached in (
        metaphone,
        _tokens,
        birth_parts,
        _address_key,
        _latin_of,
    ):
        cached.cache_clear()


# --- one row per entity type ----------------------------------------------------------------

Row = dict[str, object]


def _addresses(raw: RawRecord) -> list[str]:
    """Own address values, the address given in parts (street, house number, postcode,
    locality), and linked addresses (their street and postcode put together)."""
    linked = zip(raw.all("linked_street"), raw.all("linked_postcode"), strict=False)
    found = raw.all("address") + [f"{street}, {code}" for street, code in linked]
    street, house, code = raw.first("street"), raw.first("house_number"), raw.first("postcode")
    if street or code:
        # The address type's own shape ("street house, postcode locality"), so that parts
        # and whole addresses give the same keys; a key needs a street and a house number.
        door = " ".join(p for p in (street, house if street else None) if p)
        town = " ".join(p for p in (code, raw.first("locality")) if p)
        found.append(", ".join(p for p in (door, town) if p))
    return found


def _localities(raw: RawRecord) -> list[str] | None:
    """Towns, suburbs or localities (latin, lower case): weak evidence, many live in one."""
    found = (_latin(v) for v in raw.all("locality") + raw.all("linked_locality"))
    return _none_if_empty(v for v in found if v)


def person_row(raw: RawRecord) -> Row:
    values = raw.values
    first, last = values.get("first_name"), values.get("last_name")
    dob = _birth_date(raw.first("birth_date"), raw.all("national_id"))
    names = _person_names(first[0] if first else None, last[0] if last else None, raw.first("name"))
    year, month, day = birth_parts(dob)
    codes, keys = address_keys(_addresses(raw))
    aliases = values.get("alias")
    documents = _none_if_empty(raw.all("id_number") + raw.all("national_id"))
    return {
        **dict(zip(_NAME_COLUMNS, names, strict=True)),
        "aliases": _none_if_empty(t for a in aliases for t in _tokens(a)) if aliases else None,
        "dob": dob,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "nationality": raw.first("nationality"),
        "birth_place": _latin(raw.first("birth_place")),
        "phones": _none_if_empty(raw.all("phone")),
        "emails": _none_if_empty(raw.all("email") + raw.all("handle")),
        "documents": documents,
        # One of them, compared for typos: a list compared element by element would weigh
        # on every pair.
        "document": documents[0] if documents else None,
        "register_number": _register_number(raw.all("national_id")),
        "accounts": _none_if_empty(raw.all("iban")),
        "postcodes": codes,
        "address_keys": keys,
        "localities": _localities(raw),
        "organisations": _none_if_empty(raw.all("linked_registration") + raw.all("linked_vat")),
    }


def _register_number(numbers: list[str]) -> str | None:
    """The national register number a person keeps for life (the first, should a record
    hold two), compared as a scalar: a column of lists would weigh on every pair."""
    kept = sorted(n for n in numbers if national_id.lifelong(n))
    return kept[0] if kept else None


def _birth_date(given: str | None, numbers: list[str]) -> str | None:
    """The date of birth as written, or as a Belgian national number encodes it where the
    record gives none or only part of it (a police record often holds the number alone)."""
    if given and given.count("-") == 2:
        return given
    for number in numbers:
        encoded = national_id.be_birth_date(number)
        if encoded and encoded.startswith(given or ""):
            return encoded
    return given


_NAME_COLUMNS = (
    "given",
    "family",
    "given_first",
    "given_phon",
    "given_skel",
    "family_phon",
    "family_skel",
    "name_fp",
)


def _person_names(first: str | None, last: str | None, full: str | None) -> tuple[str | None, ...]:
    """The name columns of a person (:data:`_NAME_COLUMNS`), from first, last and full name."""
    given, family = _split_name(first, last, full)
    whole = " ".join(x for x in (given, family) if x) or None
    first_given = given.split()[0] if given else None
    return (
        given,
        family,
        first_given,
        metaphone(first_given) if given else None,
        skeleton(first_given) if given else None,
        metaphone(family),
        skeleton(family),
        " ".join(sorted(whole.split())) if whole else None,
    )


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
        "localities": _localities(raw),
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


@dataclass(frozen=True)
class Model:
    """How one entity type becomes rows: the derivation, the own properties it reads (the
    store sends no others) and the typed columns it fills."""

    derive: Callable[[RawRecord], Row]
    props: tuple[str, ...]
    columns: dict[str, pa.DataType]

    def schema(self) -> pa.Schema:
        return pa.schema([("unique_id", _STR), ("source_id", _STR), *self.columns.items()])

    def batch(self, raws: Iterable[RawRecord]) -> pa.RecordBatch:
        """The rows of ``raws`` as one record batch of :meth:`schema`."""
        pick = itemgetter(*self.columns)
        uids: list[str] = []
        sources: list[str] = []
        rows: list[tuple[object, ...]] = []
        for raw in raws:
            uids.append(raw.uid)
            sources.append(raw.source_id)
            rows.append(pick(self.derive(raw)))
        cells = list(zip(*rows, strict=True)) if rows else [()] * len(self.columns)
        arrays = [pa.array(uids, _STR), pa.array(sources, _STR)]
        arrays += [pa.array(c, t) for c, t in zip(cells, self.columns.values(), strict=True)]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema())


_STR, _INT, _LIST = pa.string(), pa.int32(), pa.list_(pa.string())
_ADDRESSES = ("address", "linked_street", "linked_postcode", "linked_locality")
_ADDRESS_PARTS = ("street", "house_number", "postcode", "locality")
MODELS: dict[str, Model] = {
    "Person": Model(
        person_row,
        ("first_name", "last_name", "name", "alias", "birth_date", "nationality", "birth_place")
        + ("phone", "email", "handle", "id_number", "national_id", "iban", *_ADDRESSES)
        + (*_ADDRESS_PARTS, "linked_registration", "linked_vat"),
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
            "birth_place": _STR,
            "document": _STR,
            "register_number": _STR,
            **dict.fromkeys(("phones", "emails", "documents", "accounts"), _LIST),
            **dict.fromkeys(("postcodes", "address_keys", "localities", "organisations"), _LIST),
        },
    ),
    "Organisation": Model(
        organisation_row,
        ("name", "registration_number", "vat_number", "jurisdiction")
        + ("phone", "email", "handle", "iban", *_ADDRESSES, *_ADDRESS_PARTS),
        {
            **dict.fromkeys(("name_fp", "name_latin", "name_phon"), _STR),
            "registrations": _LIST,
            "jurisdiction": _STR,
            **dict.fromkeys(("phones", "emails", "accounts", "postcodes", "address_keys"), _LIST),
            "localities": _LIST,
        },
    ),
    "Address": Model(
        address_row,
        ("postcode", "full", "street", "city", "country"),
        dict.fromkeys(("postcode", "street", "street_phon", "house", "city", "country"), _STR),
    ),
    "Vehicle": Model(
        vehicle_row,
        ("registration", "vin", "make", "model", "colour", "country"),
        dict.fromkeys(("registration", "vin", "make", "model", "colour", "country"), _STR),
    ),
}


def derive_batch(job: tuple[str, list[RawRecord]]) -> pa.RecordBatch:
    """The record batch of ``(entity_type, raws)``: the work a derivation process is given."""
    entity_type, raws = job
    return MODELS[entity_type].batch(raws)
