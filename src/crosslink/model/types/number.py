"""``number``: a decimal amount or count, canonical as plain ``1234.56``.

Partners write numbers the way their country does: ``1.234,56`` in Belgium, the Netherlands,
France and Germany, ``1,234.56`` in the UK. A lone separator is the hard case: ``1.500`` on a
Belgian payslip is fifteen hundred, ``12,5`` is twelve and a half. The source's region decides.

One ambiguity is inherent: in a comma-decimal region, a cleaned value with one to three integer
digits and exactly three decimals (``1.234``) reads as a thousands group when cleaned again with
the same region. Cleaned values should be re-read without a region (the default context).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = ["COMMA_DECIMAL_REGIONS", "TYPE", "clean", "compare", "fingerprint", "validate"]

# Regions whose sources write a decimal comma; extend when a partner from elsewhere joins.
COMMA_DECIMAL_REGIONS = frozenset(
    {"AT", "BE", "BG", "CZ", "DE", "DK", "ES", "FR", "GR", "HU", "IT", "LU", "NL", "PL", "PT"}
    | {"RO", "SE", "SK", "TR", "UA", "RU", "AL", "MA", "DZ", "TN", "BR", "MD", "VN"}
)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’_]")
_SHAPE = re.compile(r"[+-]?[0-9.,]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+")


def _lone_is_group(text: str, sep: str, comma_decimal: bool) -> bool:
    """Whether the single separator ``sep`` in ``text`` separates thousands."""
    whole, _, frac = text.partition(sep)
    looks_grouped = len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
    if sep == ",":
        return looks_grouped and not comma_decimal
    return looks_grouped and comma_decimal


def _to_plain(digits: str, comma_decimal: bool) -> str:
    """Rewrite ``digits`` (digits with . and ,) with ``.`` as the only decimal point."""
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal_sep = "." if digits.rfind(".") > digits.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, frac = digits.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPED.fullmatch(whole):
            raise InvalidValue(f"mixed separators in number {digits!r}")
        return whole.replace(group_sep, "") + "." + frac
    sep = "." if dots else ","
    count = dots or commas
    if count == 0:
        return digits
    if count > 1:
        if not _GROUPED.fullmatch(digits):
            raise InvalidValue(f"thousands separators misplaced in {digits!r}")
        return digits.replace(sep, "")
    if _lone_is_group(digits, sep, comma_decimal):
        return digits.replace(sep, "")
    return digits.replace(sep, ".")


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """Canonical ``-1234.5``: no grouping, ``.`` decimal point, no trailing zeros."""
    text = _SPACES.sub("", require(raw))
    if not _SHAPE.fullmatch(text) or not any(ch.isdigit() for ch in text):
        raise InvalidValue(f"not a number: {raw.strip()!r}")
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("+-")
    if digits.startswith((".", ",")):
        digits = "0" + digits
    if digits.endswith((".", ",")):
        raise InvalidValue(f"number ends with a separator: {raw.strip()!r}")
    plain = _to_plain(digits, (ctx.region or "").upper() in COMMA_DECIMAL_REGIONS)
    try:
        value = Decimal(sign + plain)
    except InvalidOperation as exc:
        raise InvalidValue(f"not a number: {raw.strip()!r}") from exc
    return _format(value)


def _format(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    """1.0 when equal; otherwise closeness relative to the larger magnitude."""
    if a == b:
        return 1.0
    try:
        x, y = Decimal(a), Decimal(b)
    except InvalidOperation:
        return 0.0
    if x == y:
        return 1.0
    scale = max(abs(x), abs(y))
    return float(max(Decimal(0), 1 - abs(x - y) / scale)) * 0.9


def fingerprint(cleaned: str) -> str:
    return cleaned


TYPE = ValueType(name="number", clean=clean, compare=compare, fingerprint=fingerprint)
