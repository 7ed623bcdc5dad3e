"""``boolean``: yes/no answers in English, Dutch, French and German, as ``true``/``false``.

A blank is not "no": it raises "empty value" so the caller records unknown, as CTDC does.
"""

from __future__ import annotations

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import fold, require

__all__ = ["TYPE", "clean", "compare", "fingerprint", "validate"]

_TRUE = frozenset(
    {"true", "yes", "y", "1", "x", "ja", "j", "waar", "oui", "o", "vrai", "wahr", "t", "✓", "✔"}
)
_FALSE = frozenset(
    {"false", "no", "n", "0", "nee", "neen", "onwaar", "non", "faux", "nein", "falsch", "f"}
)


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    key = fold(require(raw)).strip(".!")
    if key in _TRUE:
        return "true"
    if key in _FALSE:
        return "false"
    raise InvalidValue(f"not a yes/no value: {raw.strip()!r}")


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned


TYPE = ValueType(name="boolean", clean=clean, compare=compare, fingerprint=fingerprint)
