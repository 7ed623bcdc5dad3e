"""``date``: dates that may be partial, canonical as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

Sources often know only a year of birth, or write unknown parts as zeros ("00.00.1985");
those become partial dates rather than rejections. Two-digit years are refused: for birth
dates no pivot year is safe.
"""

from __future__ import annotations

import calendar
import re
from typing import NamedTuple

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import fold, require

__all__ = ["MAX_YEAR", "MIN_YEAR", "TYPE", "Parts", "clean", "compare", "fingerprint", "parse"]

# Any four-digit year: registers, archives and reference sets hold people born centuries ago
# (the historical-figures set: one date in five before 1800), and two-digit years are refused.
MIN_YEAR = 1000
MAX_YEAR = 2100

_MONTH_WORDS = (
    "january jan januari janvier janv januar janner jaenner",
    "february feb februari fevrier fevr fev februar",
    "march mar maart mrt mars marz maerz mrz",
    "april apr avril avr",
    "may mei mai",
    "june jun juni juin",
    "july jul juli juillet juil",
    "august aug augustus aout",
    "september sep sept septembre",
    "october oct oktober okt octobre",
    "november nov novembre",
    "december dec decembre dezember dez",
)  # en, nl, fr, de; accents folded, abbreviations included
_MONTHS = {
    word: number for number, words in enumerate(_MONTH_WORDS, start=1) for word in words.split()
}

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_TIME = re.compile(r"[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_NUMERIC = re.compile(r"(\d{1,4})[/.\-\s]+(\d{1,2})[/.\-\s]+(\d{1,4})\.?")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-\s]+(\d{1,4})|(\d{4})[/.\-](\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|e|eme|de|ste|e)$")
_WORD_SPLIT = re.compile(r"[\s,./\-]+")


class Parts(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out


def _check(year: int, month: int | None, day: int | None) -> Parts:
    """Range checks; a zero month or day means "unknown" and makes the date partial."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(f"year {year} out of range ({MIN_YEAR}-{MAX_YEAR})")
    if not month:
        return Parts(year)
    if month > 12:
        raise InvalidValue(f"month {month} out of range")
    if not day:
        return Parts(year, month)
    last = calendar.monthrange(year, month)[1]
    if day > 31:
        raise InvalidValue(f"day {day} out of range")
    if day > last:
        raise InvalidValue(
            f"day {day} out of range for {calendar.month_name[month]} {year} ({last} days)"
        )
    return Parts(year, month, day)


def _year(text: str) -> int:
    if len(text) == 2:
        raise InvalidValue(f"two-digit year {text} is ambiguous: give all four digits")
    if len(text) != 4:
        raise InvalidValue(f"year {text!r} must have four digits")
    return int(text)


def _month_year(match: re.Match[str]) -> Parts:
    """Month and year, in either order: 03/1990 or 1990/03."""
    month, year, year_first, month_second = match.groups()
    if year_first is not None:
        return _check(int(year_first), int(month_second), None)
    return _check(_year(year), int(month), None)


def _numeric(first: str, second: str, third: str, order: str) -> Parts:
    if len(first) == 4 or (order == "ymd" and len(third) != 4):
        return _check(_year(first), int(second), int(third))
    year = _year(third)
    day, month = (int(second), int(first)) if order == "mdy" else (int(first), int(second))
    # The order only settles real ambiguity: 25/12 cannot be month 25 in any order.
    if month > 12 >= day:
        day, month = month, day
    return _check(year, month, day)


def _with_month_name(text: str) -> Parts | None:
    words = [w for w in _WORD_SPLIT.split(fold(text)) if w]
    months = [_MONTHS[w] for w in words if w in _MONTHS]
    if len(months) != 1:
        return None
    numbers: list[str] = []
    for word in words:
        if word in _MONTHS:
            continue
        match = _ORDINAL.match(word)
        if match is None and not word.isdigit():
            return None
        numbers.append(match.group(1) if match else word)
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        raise InvalidValue(f"cannot read day and year in {text!r}")
    return _check(int(years[0]), months[0], int(days[0]) if days else None)


def parse(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> Parts:
    """Year, month and day of ``raw``; month and day are None when unknown."""
    text = _TIME.sub("", require(raw)).strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
        return _check(int(year), int(month) if month else None, int(day) if day else None)
    if match := _COMPACT.fullmatch(text):
        return _check(*(int(g) for g in match.groups()))
    if match := _NUMERIC.fullmatch(text):
        first, second, third = match.groups()
        return _numeric(first, second, third, ctx.date_order)
    if match := _MONTH_YEAR.fullmatch(text):
        return _month_year(match)
    parts = _with_month_name(text)
    if parts is None:
        raise InvalidValue(f"not a date: {raw.strip()!r}")
    return parts


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    return parse(raw, ctx).iso()


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def _parts(cleaned: str) -> Parts:
    pieces = [int(p) for p in cleaned.split("-")]
    return Parts(pieces[0], *pieces[1:])


def compare(a: str, b: str) -> float:
    """1.0 equal; 0.8 one is a partial of the other; 0.7 day and month swapped; 0.6 same
    month, other day; 0.4 year off by one with the same month and day; else 0."""
    if a == b:
        return 1.0
    if a.startswith(b) or b.startswith(a):
        return 0.8
    x, y = _parts(a), _parts(b)
    if x.day is not None and y.day is not None and x.year == y.year:
        if (x.month, x.day) == (y.day, y.month):
            return 0.7
        if x.month == y.month:
            return 0.6
    if x.month is not None and abs(x.year - y.year) == 1 and (x.month, x.day) == (y.month, y.day):
        return 0.4
    return 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned[:4]


TYPE = ValueType(name="date", clean=clean, compare=compare, fingerprint=fingerprint)
