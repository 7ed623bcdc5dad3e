"""``postcode``: postal codes, in the national format of the source's region.

BE ``1000``, NL ``1012 AB``, FR ``75001``, DE ``10115``, UK ``SW1A 1AA``. Without a region (or
for a country not listed) any short code of letters and digits is accepted, uppercased.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["FORMATS", "TYPE", "Found", "clean", "compare", "fingerprint", "locate", "parse"]


class _Format(NamedTuple):
    whole: re.Pattern[str]  # the cleaned code, matched on uppercase text
    inside: re.Pattern[str]  # the code inside an address line
    example: str


_UK_CORE = r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})"
FORMATS: dict[str, _Format] = {
    "BE": _Format(
        re.compile(r"(?:BE?-?)?([1-9][0-9]{3})"),
        re.compile(r"(?<![\w-])(?:BE?-)?([1-9][0-9]{3})(?![\w-])"),
        "1000",
    ),
    "NL": _Format(
        re.compile(r"(?:NL-?)?([1-9][0-9]{3}) ?([A-Z]{2})"),
        re.compile(r"(?<![\w-])(?:NL-)?([1-9][0-9]{3})[ \t]*([A-Z]{2})(?![\w-])"),
        "1012 AB",
    ),
    "FR": _Format(
        re.compile(r"(?:FR?-?)?([0-9]{5})"),
        re.compile(r"(?<![\w-])(?:FR?-)?([0-9]{5})(?![\w-])"),
        "75001",
    ),
    "DE": _Format(
        re.compile(r"(?:DE?-?)?([0-9]{5})"),
        re.compile(r"(?<![\w-])(?:DE?-)?([0-9]{5})(?![\w-])"),
        "10115",
    ),
    "GB": _Format(
        re.compile(_UK_CORE),
        re.compile(r"(?<![\w-])" + _UK_CORE.replace(" ?", "[ \t]*") + r"(?![\w-])"),
        "SW1A 1AA",
    ),
}
# Without a region, try the shapes that are least likely to be a house number first.
_GUESS_ORDER = ("NL", "GB", "FR", "BE")
_GENERIC = re.compile(r"[A-Z0-9]+(?: [A-Z0-9]+)*")
_SEPARATORS = re.compile(r"[\s\-.]+")


class Found(NamedTuple):
    """A postcode found in a text: canonical code and the span it occupied."""

    postcode: str
    start: int
    end: int


def _region(region: str | None) -> str | None:
    code = (region or "").upper()
    return "GB" if code == "UK" else code or None


def _canonical(region: str, match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g]
    return " ".join(groups) if region in ("NL", "GB") else groups[0]


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """National format for ``ctx.region``; otherwise uppercase letters and digits."""
    text = require(raw).upper()
    region = _region(ctx.region)
    fmt = FORMATS.get(region or "")
    if region is not None and fmt is not None:
        match = fmt.whole.fullmatch(" ".join(text.split()))
        if match is None:
            raise InvalidValue(f"not a {region} postcode (expected like {fmt.example})")
        return _canonical(region, match)
    generic = " ".join(_SEPARATORS.sub(" ", text).split())
    if not _GENERIC.fullmatch(generic) or len(generic.replace(" ", "")) > 10:
        raise InvalidValue(f"not a postcode: {raw.strip()!r}")
    return generic


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def locate(text: str, region: str | None) -> Found | None:
    """The postcode in an address line: the last code of the region's shape.

    The last one, because house numbers come before the postcode in the continental order
    ("Kerkstraat 1234, 2000 Antwerpen") and the UK puts the postcode last.
    """
    code = _region(region)
    regions = (code,) if code in FORMATS else _GUESS_ORDER if code is None else ()
    upper = text.upper()
    if len(upper) != len(text):
        # Letter by letter: "ß".upper() is "SS" and would shift the spans (no letter
        # uppercases shorter, so equal lengths mean none did).
        upper = "".join(ch.upper() if len(ch.upper()) == 1 else ch for ch in text)
    for candidate in regions:
        assert candidate is not None
        matches = list(FORMATS[candidate].inside.finditer(upper))
        if matches:
            last = matches[-1]
            return Found(_canonical(candidate, last), last.start(), last.end())
    return None


def parse(text: str, region: str | None) -> tuple[str, str] | None:
    """``(postcode, rest of the text)`` for the postcode inside ``text``, or None."""
    found = locate(text, region)
    if found is None:
        return None
    rest = f"{text[: found.start]} {text[found.end :]}"
    rest = re.sub(r"\s*,\s*(?:,\s*)*", ", ", " ".join(rest.split()))
    return found.postcode, rest.strip(" ,")


def compare(a: str, b: str) -> float:
    """1.0 equal; 0.5 for the same district (NL digits, UK outward code, first three digits)."""
    if a == b:
        return 1.0
    if " " in a and " " in b and a.split(" ")[0] == b.split(" ")[0]:
        return 0.5
    if a.isdigit() and b.isdigit() and len(a) == len(b) == 5 and a[:3] == b[:3]:
        return 0.5
    return 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned.replace(" ", "")


TYPE = ValueType(name="postcode", clean=clean, compare=compare, fingerprint=fingerprint)
