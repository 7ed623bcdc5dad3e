"""Small text helpers shared by the value-type modules."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from crosslink.errors import InvalidValue

# Zero-width (non-)joiners carry meaning in Persian, Arabic and Indic names; other format
# characters (BOM, bidi marks, soft hyphen) are noise that breaks matching.
_KEEP_FORMAT = frozenset("\u200c\u200d")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def require(raw: str) -> str:
    """``raw`` trimmed; an empty or whitespace-only value is refused."""
    text = raw.strip()
    if not text:
        raise InvalidValue("empty value")
    return text


def strip_controls(text: str, keep: str = "") -> str:
    """Drop control and invisible format characters, except those in ``keep``."""
    return "".join(
        ch
        for ch in text
        if ch in keep
        or ch in _KEEP_FORMAT
        or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )


def collapse(text: str) -> str:
    """Runs of any whitespace become one space; the ends are trimmed."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (keeps the script)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def ascii_lower(text: str) -> str:
    """Lowercase ASCII transliteration: Cyrillic, Greek, Arabic … and diacritics dropped."""
    return anyascii(unicodedata.normalize("NFC", text)).casefold()


def alnum_key(text: str) -> str:
    """Lowercase ASCII letters and digits only, for lookups that ignore punctuation."""
    return _NON_ALNUM.sub("", ascii_lower(text))
