"""``national_id``: national register numbers, checked where the region's rule is known.

BE: rijksregisternummer / numéro national (11 digits, mod 97). NL: BSN (9 digits, elfproef).
Other regions: separators removed and letters uppercased, nothing checked.

A Belgian number also carries its holder's date of birth (:func:`be_birth_date`).
"""

from __future__ import annotations

import datetime as dt
import re

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require
from crosslink.model.types.identifier import be_national_number_valid, nl_bsn_valid

__all__ = ["TYPE", "be_birth_date", "clean", "compare", "fingerprint", "lifelong", "validate"]

_SEPARATORS = re.compile(r"[\s.\-/]+")


def _belgian(text: str) -> str:
    if not text.isdigit() or len(text) != 11:
        raise InvalidValue(f"Belgian national number needs 11 digits (got {text!r})")
    if not be_national_number_valid(text):
        raise InvalidValue("Belgian national number checksum failed")
    return text


def _dutch(text: str) -> str:
    # Spreadsheets drop the leading zero of eight-digit BSNs.
    if not text.isdigit() or len(text) not in (8, 9):
        raise InvalidValue(f"BSN needs 9 digits (got {text!r})")
    if not nl_bsn_valid(text):
        raise InvalidValue("BSN fails the eleven test (elfproef)")
    return text.zfill(9)


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    text = _SEPARATORS.sub("", require(raw)).upper()
    region = (ctx.region or "").upper()
    if region == "BE":
        return _belgian(text)
    if region == "NL":
        return _dutch(text)
    if not text.isascii() or not text.isalnum():
        raise InvalidValue("national number may only contain letters and digits")
    return text


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned


def be_birth_date(number: str) -> str | None:
    """The date of birth a Belgian national number encodes (``YYYY-MM-DD``; ``YYYY-MM`` or
    ``YYYY`` where the register left day or month open), or ``None`` for anything else.

    YY MM DD come first; the check digits tell the century (computed with a 2 in front for
    births from 2000). A bis number (no Belgian register entry) adds 20 or 40 to the month;
    a 0 month or day is an unknown one.
    """
    digits = _SEPARATORS.sub("", number)
    if not digits.isdigit() or len(digits) != 11 or not be_national_number_valid(digits):
        return None
    written = int(digits[2:4])  # the month, or 20 or 40 more in a bis number
    if written > 52:
        return None
    check = int(digits[9:])
    century = 1900 if check == 97 - int(digits[:9]) % 97 else 2000
    year, month, day = century + int(digits[:2]), written % 20, int(digits[4:6])
    if not month:
        return str(year)
    if not day:
        return f"{year:04d}-{month:02d}" if month <= 12 else None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def lifelong(number: str) -> bool:
    """Whether a register number is one its holder keeps for life, and no one else has: any
    but a Belgian bis number, given to one the register does not hold (it gives way to a
    national number when the holder settles)."""
    digits = _SEPARATORS.sub("", number)
    if not digits.isdigit() or len(digits) != 11 or not be_national_number_valid(digits):
        return True
    return int(digits[2:4]) <= 12


TYPE = ValueType(name="national_id", clean=clean, compare=compare, fingerprint=fingerprint)
