"""``iban``: international bank account numbers, compact and uppercase."""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["TYPE", "clean", "compare", "fingerprint", "validate"]

_PREFIX = re.compile(r"^IBAN[:\s]*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s.\-/]")


def _reason(compact: str, exc: SchwiftyException) -> str:
    country = compact[:2]
    if isinstance(exc, InvalidCountryCode):
        return f"unknown IBAN country code {country}"
    if isinstance(exc, InvalidLength):
        return f"IBAN length {len(compact)} is wrong for {country}"
    if isinstance(exc, InvalidChecksumDigits):
        return "IBAN checksum failed"
    if isinstance(exc, InvalidBBANChecksum):
        return f"national account checksum failed for {country}"
    if isinstance(exc, InvalidStructure):
        return f"IBAN does not fit the {country} format"
    return f"not a valid IBAN ({exc})"


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """Compact uppercase IBAN, checksum, length and country checked."""
    compact = _SEPARATORS.sub("", _PREFIX.sub("", require(raw))).upper()
    if not compact.isascii() or not compact.isalnum():
        raise InvalidValue("IBAN may only contain letters and digits")
    if len(compact) < 5 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        raise InvalidValue("IBAN must start with a country code and two check digits")
    try:
        return str(IBAN(compact).compact)
    except SchwiftyException as exc:
        raise InvalidValue(_reason(compact, exc)) from exc


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned


TYPE = ValueType(name="iban", clean=clean, compare=compare, fingerprint=fingerprint)
