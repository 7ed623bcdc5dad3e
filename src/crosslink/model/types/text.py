"""``text``: free text (a statement, a note, a job ad body), kept whole."""

from __future__ import annotations

import re
import unicodedata

from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._similarity import token_set_similarity
from crosslink.model.types._util import fold, require, strip_controls

__all__ = ["TYPE", "clean", "compare", "fingerprint", "validate"]

_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")
_WORD = re.compile(r"\w+")


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """NFC, one newline convention, control characters except newline and tab removed.

    The text is never truncated or reflowed: statements are evidence. Only the blank margins
    around the whole text are trimmed.
    """
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", raw))
    text = unicodedata.normalize("NFC", strip_controls(text, keep="\n\t"))
    return require(text)


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def _words(text: str) -> list[str]:
    return sorted(set(_WORD.findall(fold(text))))


def compare(a: str, b: str) -> float:
    """Share of common words (Jaccard on folded words); long texts rarely repeat exactly."""
    if a == b:
        return 1.0
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return token_set_similarity([fold(a)], [fold(b)])
    return len(wa & wb) / len(wa | wb)


def fingerprint(cleaned: str) -> str:
    return " ".join(_words(cleaned))


TYPE = ValueType(name="text", clean=clean, compare=compare, fingerprint=fingerprint)
