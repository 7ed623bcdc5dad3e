"""``string``: a short one-line value (a label, a job title, a city)."""

from __future__ import annotations

import unicodedata

from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._similarity import jaro_winkler
from crosslink.model.types._util import collapse, fold, require, strip_controls

__all__ = ["TYPE", "clean", "compare", "fingerprint", "validate"]


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """NFC, control characters removed, whitespace collapsed to single spaces."""
    text = collapse(strip_controls(unicodedata.normalize("NFC", raw), keep="\t\n\r"))
    return require(unicodedata.normalize("NFC", text))


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    """1.0 when equal, otherwise Jaro-Winkler on the case- and accent-folded forms."""
    if a == b:
        return 1.0
    return jaro_winkler(fold(a), fold(b))


def fingerprint(cleaned: str) -> str:
    return fold(cleaned)


TYPE = ValueType(name="string", clean=clean, compare=compare, fingerprint=fingerprint)
