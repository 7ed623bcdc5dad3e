"""``plate``: vehicle registration plates (and, without a region, boat registrations).

Canonical forms: BE ``1-ABC-234`` / ``ABC-123``; NL by sidecode, dashed between letter and
digit groups (``AB-12-CD``, ``12-ABC-3``); FR ``AB-123-CD`` / ``1234 AB 75``; DE
``B AB 1234`` (district kept); UK ``AB12 CDE``. Without a known region, 2-10 letters and
digits, uppercased. The fingerprint is letters and digits only, so ``1-ABC-234`` meets
``1ABC234``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import jellyfish

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import fold, require

__all__ = ["NL_SIDECODES", "TYPE", "clean", "compare", "fingerprint", "validate"]

_SEPARATORS = re.compile(r"[\s\-.·:_/]+")
# Dutch sidecodes as letter (L) / digit (D) shapes; the dashes fall between the groups, and
# the 2-2-2 codes of two runs split in pairs.
NL_SIDECODES = (
    "LLDDDD", "DDDDLL", "DDLLDD", "LLDDLL", "LLLLDD", "DDLLLL", "DDLLLD",
    "DLLLDD", "LLDDDL", "LDDDLL", "LLLDDL", "LDDLLL", "DLLDDD", "DDDLLD",
)  # fmt: skip
_BE = (
    (re.compile(r"([1-9])([A-Z]{3})([0-9]{3})"), "{0}-{1}-{2}"),
    (re.compile(r"([A-Z]{3})([0-9]{3})"), "{0}-{1}"),
    (re.compile(r"([0-9]{3})([A-Z]{3})"), "{0}-{1}"),
)
_FR = (
    (re.compile(r"([A-Z]{2})([0-9]{3})([A-Z]{2})"), "{0}-{1}-{2}"),
    (re.compile(r"([0-9]{1,4})([A-Z]{1,3})(97[1-6]|2A|2B|[0-9]{2})"), "{0} {1} {2}"),
)
_UK = (
    (re.compile(r"([A-Z]{2}[0-9]{2})([A-Z]{3})"), "{0} {1}"),
    (re.compile(r"([A-Z][0-9]{1,3})([A-Z]{3})"), "{0} {1}"),
    (re.compile(r"([A-Z]{3})([0-9]{1,3}[A-Z])"), "{0} {1}"),
    (re.compile(r"([A-Z]{1,3})([0-9]{1,4})"), "{0} {1}"),
    (re.compile(r"([0-9]{1,4})([A-Z]{1,3})"), "{0} {1}"),
)
_DE_SPLIT = re.compile(r"([A-ZÄÖÜ]{1,3}) ([A-Z]{1,2}) ?([0-9]{1,4})([EH]?)")
_DE_JOINED = re.compile(r"([A-ZÄÖÜ]{2,5}) ?([0-9]{1,4})([EH]?)")
_EXAMPLES = {
    "BE": "1-ABC-234 or ABC-123",
    "NL": "a sidecode such as AB-12-CD or 12-ABC-3",
    "FR": "AB-123-CD or 1234 AB 75",
    "DE": "B AB 1234",
    "GB": "AB12 CDE",
}
_NEAR_SCORE = 0.95
_ONE_TYPO_SCORE = 0.5


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _patterns(
    patterns: tuple[tuple[re.Pattern[str], str], ...],
) -> Callable[[str], str | None]:
    def match(text: str) -> str | None:
        compact = _compact(text)
        for pattern, template in patterns:
            found = pattern.fullmatch(compact)
            if found:
                return template.format(*found.groups())
        return None

    return match


def _shape(text: str) -> str:
    return "".join("D" if ch.isdigit() else "L" for ch in text)


def _netherlands(text: str) -> str | None:
    compact = _compact(text)
    shape = _shape(compact)
    if not compact.isascii() or not compact.isalnum() or shape not in NL_SIDECODES:
        return None
    runs = [m.group() for m in re.finditer(r"[A-Z]+|[0-9]+", compact)]
    if len(runs) == 2:
        runs = [compact[0:2], compact[2:4], compact[4:6]]
    return "-".join(runs)


def _germany(text: str) -> str | None:
    spaced = " ".join(_SEPARATORS.sub(" ", text).split())
    found = _DE_SPLIT.fullmatch(spaced)
    if found:
        district, letters, digits, suffix = found.groups()
        if len(district + letters + digits) <= 8:
            return f"{district} {letters} {digits}{suffix}"
    # Written without the district separator ("BAB1234"), the split is unknowable.
    joined = _DE_JOINED.fullmatch(spaced.replace(" ", "", spaced.count(" ") - 1))
    if joined and len(joined.group(1) + joined.group(2)) <= 8:
        return f"{joined.group(1)} {joined.group(2)}{joined.group(3)}"
    return None


_REGIONS: dict[str, Callable[[str], str | None]] = {
    "BE": _patterns(_BE),
    "NL": _netherlands,
    "FR": _patterns(_FR),
    "DE": _germany,
    "GB": _patterns(_UK),
}


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """The plate in its region's canonical spelling."""
    text = require(raw).upper()
    region = (ctx.region or "").upper()
    region = "GB" if region == "UK" else region
    reader = _REGIONS.get(region)
    if reader is not None:
        plate = reader(text)
        if plate is None:
            raise InvalidValue(f"{text!r} does not fit a {region} plate ({_EXAMPLES[region]})")
        return plate
    compact = _compact(text)
    if not compact.isalnum() or not 2 <= len(compact) <= 10:
        raise InvalidValue(f"plate must be 2-10 letters or digits (got {text!r})")
    return compact


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def fingerprint(cleaned: str) -> str:
    """Uppercase letters and digits only (umlauts folded): the plate as a camera reads it."""
    return "".join(ch for ch in fold(cleaned).upper() if ch.isalnum())


def compare(a: str, b: str) -> float:
    """1.0 equal; 0.95 same characters spelled differently; 0.5 one character off."""
    if a == b:
        return 1.0
    fa, fb = fingerprint(a), fingerprint(b)
    if fa == fb:
        return _NEAR_SCORE
    if min(len(fa), len(fb)) >= 5 and jellyfish.damerau_levenshtein_distance(fa, fb) == 1:
        return _ONE_TYPO_SCORE
    return 0.0


TYPE = ValueType(name="plate", clean=clean, compare=compare, fingerprint=fingerprint)
