"""``address``: one free-text postal address ("Rue de la Loi 16, 1000 Bruxelles").

The cleaned form keeps the writer's order, script and abbreviations: it is what the source
said. Matching takes the address apart: the postcode (via :mod:`.postcode`), the street words
(abbreviations and street-type suffixes normalised, "Kerkstr." = "Kerkstraat"), and the house
number, which must agree for two addresses to be the same door.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from crosslink.errors import InvalidValue
from crosslink.model.types import postcode
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._similarity import token_set_similarity
from crosslink.model.types._util import ascii_lower, collapse, require, strip_controls

__all__ = ["TYPE", "clean", "compare", "fingerprint", "house_number", "street_tokens", "validate"]

# Names and addresses repeat across a batch; bounded so a long import cannot grow it forever.
_CACHE_SIZE = 65_536

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_COMMAS = re.compile(r"\s*,[\s,]*")
_TOKEN = re.compile(r"[a-z0-9]+")
_ABBREVIATIONS = {
    "str": "str", "straat": "str", "strasse": "str", "strase": "str",
    "stwg": "stwg", "steenweg": "stwg",
    "bd": "boulevard", "bld": "boulevard", "blvd": "boulevard", "boul": "boulevard",
    "av": "avenue", "ave": "avenue", "aven": "avenue", "avenue": "avenue", "lei": "lei",
    "ch": "chaussee", "chee": "chaussee", "chaus": "chaussee", "chaussee": "chaussee",
    "pl": "pl", "place": "pl", "plein": "pl", "platz": "pl", "plaza": "pl",
    "sq": "square", "rd": "road", "street": "st", "ln": "lane", "dr": "drive", "ct": "court",
    "bvd": "boulevard", "gr": "gracht", "kade": "kade",
}  # fmt: skip
# Street types written glued to the name in Dutch and German: Kerkstraat, Hauptstraße.
_SUFFIXES = (("straat", "str"), ("strasse", "str"), ("steenweg", "stwg"), ("platz", "pl"))
# Words that sources add or drop without changing the place.
_NOISE = frozenset(
    {"de", "la", "le", "les", "du", "des", "d", "l", "van", "der", "den", "het", "von", "am"}
    | {"an", "the", "of", "bus", "bte", "boite", "box", "bt", "apt", "flat", "unit", "nr", "no"}
)
# A different house number in the same street is a different door: cap the similarity.
_OTHER_HOUSE_CAP = 0.6
_STREET_WEIGHT = 0.75


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """NFC, one line, tidy commas; the postcode in the region's format when recognised."""
    text = unicodedata.normalize("NFC", require(raw))
    text = collapse(strip_controls(_LINE_BREAKS.sub(", ", text), keep="\t"))
    text = _COMMAS.sub(", ", text).strip(" ,")
    if ctx.region is not None:
        found = postcode.locate(text, ctx.region)
        if found is not None:
            text = text[: found.start] + found.postcode + text[found.end :]
    if not any(ch.isalnum() for ch in text):
        raise InvalidValue(f"no letters or digits in address {raw.strip()!r}")
    return unicodedata.normalize("NFC", text)


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


class _Parts(NamedTuple):
    postcode: str
    street: tuple[str, ...]
    house: str


def _segments(cleaned: str, found: postcode.Found | None) -> list[str]:
    """Comma-separated parts of the address, without the postcode ``found`` in it."""
    if found is None:
        return cleaned.split(",")
    before, after = cleaned[: found.start], cleaned[found.end :]
    if "," not in cleaned and before.strip():
        # "Rue de la Loi 16 1000 Bruxelles": the street comes before the postcode.
        return [before]
    return [s for s in before.split(",") + after.split(",") if s.strip()]


def _street(segment: str) -> tuple[tuple[str, ...], str]:
    """Normalised street words and house number of one segment."""
    words = _TOKEN.findall(ascii_lower(segment))
    house = next((w for w in words if w[0].isdigit()), "")
    street = tuple(
        _normalise(w)
        for w in words
        if not any(c.isdigit() for c in w) and len(w) > 1 and w not in _NOISE
    )
    return street, house


def _normalise(token: str) -> str:
    if token in _ABBREVIATIONS:
        return _ABBREVIATIONS[token]
    for suffix, short in _SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return token[: -len(suffix)] + short
    return token


@lru_cache(maxsize=_CACHE_SIZE)
def _parts(cleaned: str) -> _Parts:
    """Postcode, street words and house number: the street is the first segment that has
    street words and a number ("Flat 3, 10 Downing St" -> Downing St 10)."""
    found = postcode.locate(cleaned, None)
    code = found.postcode.replace(" ", "") if found else ""
    candidates = [_street(segment) for segment in _segments(cleaned, found)]
    named = [c for c in candidates if c[0]]
    street, house = next((c for c in named if c[1]), named[0] if named else ((), ""))
    return _Parts(code, street, house)


def house_number(cleaned: str) -> str:
    """The house number of the street part ("" when there is none): "12a" of
    "Kerkstraat 12a bus 3, 2000 Antwerpen"."""
    return _parts(cleaned).house


def street_tokens(cleaned: str) -> list[str]:
    """Normalised latin street words, without house number, postcode or city."""
    return list(_parts(cleaned).street)


def fingerprint(cleaned: str) -> str:
    """``<postcode>|<sorted street words>``, e.g. ``1000|loi rue``."""
    parts = _parts(cleaned)
    return f"{parts.postcode}|{' '.join(sorted(set(parts.street)))}"


def compare(a: str, b: str) -> float:
    """Street words weigh most, the postcode the rest; another house number caps the score."""
    if a == b:
        return 1.0
    x, y = _parts(a), _parts(b)
    if x.street or y.street:
        street = token_set_similarity(sorted(x.street), sorted(y.street))
    else:
        street = token_set_similarity([ascii_lower(a)], [ascii_lower(b)])
    code = 0.5  # unknown when either lacks a postcode
    if x.postcode and y.postcode:
        code = 1.0 if x.postcode == y.postcode else 0.0
    score = _STREET_WEIGHT * street + (1 - _STREET_WEIGHT) * code
    if x.house and y.house and x.house != y.house:
        score = min(score, _OTHER_HOUSE_CAP)
    return max(0.0, min(1.0, score))


TYPE = ValueType(name="address", clean=clean, compare=compare, fingerprint=fingerprint)
