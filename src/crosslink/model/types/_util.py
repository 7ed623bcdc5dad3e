"""Small text helpers shared by the value-type modules."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from anyascii import anyascii

from crosslink.errors import InvalidValue

# Zero-width (non-)joiners carry meaning in Persian, Arabic and Indic names; other format
# characters (BOM, bidi marks, soft hyphen) are noise that breaks matching.
_KEEP_FORMAT = frozenset("\u200c\u200d")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Unassigned code points (Cn) are kept: they are rare, and a class over their thousands of
# ranges would make every substitution slow.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
# Planes 3-13 hold no control or format characters; planes 15-16 are wholly private use.
_SCANNED = [*range(0x30000), *range(0xE0000, 0xE1000)]
_PRIVATE_PLANES = [(0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)]


def require(raw: str) -> str:
    """``raw`` trimmed; an empty or whitespace-only value is refused."""
    text = raw.strip()
    if not text:
        raise InvalidValue("empty value")
    return text


def strip_controls(text: str, keep: str = "") -> str:
    """Drop control and invisible format characters, except those in ``keep``."""
    return _control_pattern(keep).sub("", text)


@cache
def _control_pattern(keep: str) -> re.Pattern[str]:
    # One compiled character class over the whole code space: a C-speed substitution instead
    # of a Python loop per character, which matters for long statements and ad texts.
    dropped = _DROPPED_CATEGORIES
    ranges: list[tuple[int, int]] = []
    for code in _SCANNED:
        ch = chr(code)
        if ch in keep or ch in _KEEP_FORMAT or unicodedata.category(ch) not in dropped:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    ranges.extend(_PRIVATE_PLANES)
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{parts}]")


def collapse(text: str) -> str:
    """Runs of any whitespace become one space; the ends are trimmed."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (keeps the script)."""
    if text.isascii():  # nothing to decompose: the common case, and long texts are common
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", decomposed.translate(_combining_marks()))


@cache
def _combining_marks() -> dict[int, None]:
    """A translate table deleting every combining mark (a C loop instead of a Python one)."""
    return {code: None for code in _SCANNED if unicodedata.combining(chr(code))}


def ascii_lower(text: str) -> str:
    """Lowercase ASCII transliteration: Cyrillic, Greek, Arabic … and diacritics dropped."""
    return anyascii(unicodedata.normalize("NFC", text)).casefold()


def alnum_key(text: str) -> str:
    """Lowercase ASCII letters and digits only, for lookups that ignore punctuation."""
    return _NON_ALNUM.sub("", ascii_lower(text))
