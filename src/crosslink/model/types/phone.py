"""``phone``: telephone numbers, canonical in E.164 (``+32470123456``)."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["TYPE", "clean", "compare", "fingerprint", "parse", "validate"]

# "+32 (0)470 …": the trunk zero in brackets must go, or it is read as part of the number.
_TRUNK_IN_BRACKETS = re.compile(r"^(\+\s*\d{1,3})[\s.-]*\(\s*0\s*\)")
_IDD_00 = re.compile(r"^00\s*(?=[1-9])")
_URI_PREFIX = re.compile(r"^(?:tel|callto|sms|whatsapp):(?://)?", re.IGNORECASE)
# Last digits shared by the same subscriber number written with a different country code
# (a Romanian SIM entered as if Belgian); weak evidence, not identity.
_TAIL = 8
_TAIL_SCORE = 0.5

_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown country calling code",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "not a possible number (too short)",
    NumberParseException.TOO_LONG: "not a possible number (too long)",
}
_POSSIBLE_REASONS = {
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country calling code",
    ValidationResult.TOO_SHORT: "not a possible number (too short)",
    ValidationResult.TOO_LONG: "not a possible number (too long)",
    ValidationResult.INVALID_LENGTH: "not a possible number (wrong length)",
}


def _prepare(raw: str) -> str:
    text = _URI_PREFIX.sub("", require(raw))
    text = _IDD_00.sub("+", text)
    return _TRUNK_IN_BRACKETS.sub(r"\1 ", text)


def parse(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> phonenumbers.PhoneNumber:
    """The valid :class:`phonenumbers.PhoneNumber` in ``raw``, or :class:`InvalidValue`."""
    text = _prepare(raw)
    region = (ctx.region or "").upper() or None
    if region == "UK":
        region = "GB"
    if not text.startswith("+") and region is None:
        raise InvalidValue(
            f"no region to read national number {text} (give the source a default region)"
        )
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise InvalidValue(_PARSE_REASONS.get(exc.error_type, "not a phone number")) from exc
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible not in (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        raise InvalidValue(_POSSIBLE_REASONS.get(possible, "not a possible number"))
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        if where in ("ZZ", "001"):
            raise InvalidValue(f"not a valid number for +{number.country_code}")
        raise InvalidValue(f"not a valid number for {where}")
    return number


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """E.164; national numbers are read with ``ctx.region``."""
    return str(phonenumbers.format_number(parse(raw, ctx), phonenumbers.PhoneNumberFormat.E164))


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    """1.0 for the same number; 0.5 when only the last eight digits agree."""
    if a == b:
        return 1.0
    da, db = a.lstrip("+"), b.lstrip("+")
    if len(da) >= _TAIL and len(db) >= _TAIL and da[-_TAIL:] == db[-_TAIL:]:
        return _TAIL_SCORE
    return 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned


TYPE = ValueType(name="phone", clean=clean, compare=compare, fingerprint=fingerprint)
