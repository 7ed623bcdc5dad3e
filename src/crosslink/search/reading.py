"""What a query can be read as: exact keys (phones, plates, IBANs, documents) and words.

A phone is read in the configured default region and in every national format of the rules
(each valid reading is searched: "06-12762449" is a mobile in NL and a landline elsewhere); a
plate is compared letters and digits only. Words of names and addresses are the model's Latin
transliteration, so a Cyrillic or Arabic query meets the Latin spelling and back; legal forms
("BV", "GmbH", rigour's organisation types) are dropped from the words, so "Brese Clean" and
"Brese Clean B.V." find the same company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rigour.names import remove_org_types

from crosslink.errors import CrosslinkError, InvalidValue
from crosslink.model import load_model
from crosslink.model.types import CleanContext
from crosslink.model.types import get as get_type
from crosslink.model.types.name import latin
from crosslink.model.types.plate import fingerprint as plate_fingerprint
from crosslink.search.rules import SearchRules

KINDS = ("any", "name", "company", "phone", "plate", "iban", "document", "address")
"""What a query may be read as; ``any`` tries every kind its text can be read as."""

_TYPES: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "company": ("name", "identifier"),
    "phone": ("phone",),
    "plate": ("plate",),
    "iban": ("iban",),
    "document": ("identifier", "national_id"),
    "address": ("address",),
}
_ONLY: dict[str, str] = {"company": "Organisation"}
WORD_KINDS = frozenset({"name", "company", "address"})
"""Kinds matched word by word (typo-tolerant, by prefix) rather than by one exact key."""
_WORD_TYPES = frozenset({"name", "address"})
MAX_WORDS = 6


@cache
def props_of(kind: str, types: tuple[str, ...] | None = None) -> frozenset[str]:
    """The properties whose value type belongs to ``kind`` (restricted to ``types``)."""
    wanted = [t for t in _TYPES[kind] if types is None or t in types]
    only = _ONLY.get(kind)
    return frozenset(
        pname
        for ename, entity in load_model().entities.items()
        for pname, prop in entity.properties.items()
        if prop.type in wanted and (only is None or ename == only)
    )


@dataclass(frozen=True)
class Key:
    """Records with one of ``fingerprints`` in one of ``props`` match, exactly."""

    kind: str
    props: frozenset[str]
    fingerprints: frozenset[str]


@dataclass
class Reading:
    keys: list[Key] = field(default_factory=list)
    words: tuple[str, ...] = ()
    """Latin words every one of which a record's name or address words must match."""
    word_props: frozenset[str] = frozenset()
    only_schema: str | None = None
    """Set when words may match one entity type only (a company)."""
    read_as: list[str] = field(default_factory=list)


def _clean(value_type: str, text: str, region: str) -> str | None:
    kind = get_type(value_type)
    try:
        return kind.fingerprint(kind.clean(text, CleanContext(region=region)))
    except (CrosslinkError, ValueError):
        return None


def _phones(text: str, regions: list[str]) -> set[str]:
    return {p for r in regions if (p := _clean("phone", text, r))}


def _plate(text: str, rules: SearchRules) -> set[str]:
    printed = plate_fingerprint(text)
    bounds = rules.plate_length
    shaped = any(c.isdigit() for c in printed) and any(c.isalpha() for c in printed)
    ok = shaped and bounds.min <= len(printed) <= bounds.max and printed.isascii()
    return {printed} if ok else set()


def _keys(kind: str, text: str, region: str, rules: SearchRules) -> set[str]:
    if kind == "phone":
        return _phones(text, list(dict.fromkeys([region, *rules.phone_regions])))
    if kind == "plate":
        return _plate(text, rules)
    types = [t for t in _TYPES[kind] if t not in _WORD_TYPES]
    return {p for t in types if (p := _clean(t, text, region))}


def query_words(text: str) -> tuple[str, ...]:
    """The query's Latin words, legal forms dropped (unless nothing else is left)."""
    words = latin(text).split()
    kept = latin(remove_org_types(text.casefold(), replacement=" ")).split()
    chosen = kept if kept else words
    return tuple(dict.fromkeys(chosen))[:MAX_WORDS]


def read_query(text: str, kind: str, region: str, rules: SearchRules) -> Reading:
    """Every way ``text`` can be read as ``kind`` (or as any kind)."""
    if kind not in KINDS:
        raise InvalidValue(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    reading = Reading()
    kinds = [k for k in KINDS[1:] if kind in ("any", k)]
    word_kinds = [k for k in kinds if k in WORD_KINDS]
    words = query_words(text) if word_kinds else ()
    if words:
        reading.words = words
        reading.word_props = frozenset().union(
            *(props_of(k, tuple(_WORD_TYPES)) for k in word_kinds)
        )
        reading.only_schema = _ONLY.get(kind)
        reading.read_as.extend(word_kinds)
    for k in kinds:
        printed = _keys(k, text, region, rules)
        non_word = frozenset(p for p in props_of(k) if p not in reading.word_props)
        if printed and non_word:
            reading.keys.append(Key(k, non_word, frozenset(printed)))
            if k not in reading.read_as:
                reading.read_as.append(k)
    reading.read_as.sort(key=KINDS.index)
    return reading
