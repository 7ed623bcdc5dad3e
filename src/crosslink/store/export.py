"""Spreadsheet safety for every export: formula injection neutralised."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str | None) -> str:
    """Text a spreadsheet will show, never evaluate: a leading ' disarms formula starters.

    Follows OWASP's advice for CSV injection; a plain negative number stays a number.
    """
    if not text:
        return ""
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
