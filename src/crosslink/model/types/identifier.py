"""``identifier``: identity-document numbers (passport, ID card, residence permit).

Accepted: a bare number ("EH 123456"), a number with its MRZ check digit after ``<``
("X1234567<3"), a TD3 passport line 2 (44 characters) or a full TD1 card MRZ (three lines of
30). Check digits are verified wherever there are any; the cleaned value is the number alone.
Also home to the national-register checksums used by :mod:`.national_id`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jellyfish

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import require

__all__ = [
    "TYPE",
    "be_national_number_valid",
    "clean",
    "compare",
    "fingerprint",
    "mrz_check_digit",
    "nl_bsn_valid",
    "validate",
    "validate_td1",
    "validate_td3",
]

_WEIGHTS = (7, 3, 1)
_SEPARATORS = re.compile(r"[\s.\-/]+")
_MRZ_CHARS = re.compile(r"[A-Z0-9<]+")
_TD3_LINE2 = re.compile(r"[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9<]{6}[0-9<][MFX<]")
_NUMBER_WITH_CHECK = re.compile(r"([A-Z0-9]+)<+([0-9])")
# Letters and digits that OCR and tired typists swap; the fingerprint folds them together.
_CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2"})
_CONFUSED_SCORE = 0.9
_ONE_TYPO_SCORE = 0.5


def mrz_check_digit(s: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1; digits as is, A=10 … Z=35, ``<`` = 0."""
    total = 0
    for i, ch in enumerate(s):
        if ch.isdigit():
            value = int(ch)
        elif "A" <= ch <= "Z":
            value = ord(ch) - ord("A") + 10
        elif ch == "<":
            value = 0
        else:
            raise InvalidValue(f"character {ch!r} is not allowed in an MRZ")
        total += value * _WEIGHTS[i % 3]
    return total % 10


def _digit_reason(field: str, data: str, check: str) -> str | None:
    if check == "<" and not data.strip("<"):
        return None  # an empty optional field may leave its check digit blank
    if not check.isdigit() or mrz_check_digit(data) != int(check):
        expected = mrz_check_digit(data)
        return f"{field} check digit {check} does not match (expected {expected})"
    return None


def _first_reason(checks: Sequence[tuple[str, str, str]]) -> str | None:
    for field, data, check in checks:
        reason = _digit_reason(field, data, check)
        if reason:
            return reason
    return None


def validate_td3(line2: str) -> str | None:
    """Why the second line of a passport MRZ (TD3) fails its check digits, or None."""
    line = line2.strip().upper()
    if len(line) != 44 or not _MRZ_CHARS.fullmatch(line):
        return f"TD3 line 2 must be 44 characters of A-Z, 0-9 and < (got {len(line)})"
    composite = line[0:10] + line[13:20] + line[21:43]
    return _first_reason(
        [
            ("document number", line[0:9], line[9]),
            ("birth date", line[13:19], line[19]),
            ("expiry date", line[21:27], line[27]),
            ("personal number", line[28:42], line[42]),
            ("composite", composite, line[43]),
        ]
    )


def validate_td1(lines: Sequence[str]) -> str | None:
    """Why a three-line ID-card MRZ (TD1) fails its check digits, or None."""
    rows = [line.strip().upper() for line in lines]
    if len(rows) != 3 or any(len(r) != 30 or not _MRZ_CHARS.fullmatch(r) for r in rows):
        return "TD1 MRZ must be three lines of 30 characters of A-Z, 0-9 and <"
    first, second = rows[0], rows[1]
    composite = first[5:30] + second[0:7] + second[8:15] + second[18:29]
    return _first_reason(
        [
            ("document number", first[5:14], first[14]),
            ("birth date", second[0:6], second[6]),
            ("expiry date", second[8:14], second[14]),
            ("composite", composite, second[29]),
        ]
    )


def _from_mrz(raw: str) -> str | None:
    """The document number when ``raw`` is a whole MRZ (TD1 or TD3), else None."""
    rows = [row.replace(" ", "") for row in raw.upper().split() if row.strip()]
    if len(rows) == 3 and all(len(r) == 30 for r in rows):
        reason = validate_td1(rows)
        if reason:
            raise InvalidValue(reason)
        return rows[0][5:14].strip("<")
    if len(rows) == 2 and all(len(r) == 44 for r in rows):
        rows = rows[1:]
    if len(rows) == 1 and len(rows[0]) == 44 and _TD3_LINE2.match(rows[0]):
        reason = validate_td3(rows[0])
        if reason:
            raise InvalidValue(reason)
        return rows[0][0:9].strip("<")
    return None


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """Uppercase letters and digits of the document number; check digits verified."""
    number = _from_mrz(require(raw))
    if number is not None:
        return number
    text = _SEPARATORS.sub("", raw).upper()
    if "<" in text:
        match = _NUMBER_WITH_CHECK.fullmatch(text)
        if match is None:
            raise InvalidValue("unexpected '<' in document number")
        number, check = match.groups()
        reason = _digit_reason("document number", number, check)
        if reason:
            raise InvalidValue(reason)
        text = number
    if not text.isascii() or not text.isalnum():
        raise InvalidValue("document number may only contain letters and digits")
    if len(text) < 4:
        raise InvalidValue(f"document number {text} is too short")
    return text


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def be_national_number_valid(n: str) -> bool:
    """Belgian national register number (rijksregisternummer / numéro national): 11 digits,
    check = 97 - (first nine mod 97); for births from 2000 a 2 is put in front first."""
    digits = re.sub(r"\D", "", n)
    if len(digits) != 11:
        return False
    base, check = digits[:9], int(digits[9:])
    return check in (97 - int(base) % 97, 97 - int("2" + base) % 97)


def nl_bsn_valid(n: str) -> bool:
    """Dutch citizen service number (BSN), the eleven test: 9 digits, weights 9 … 2 and -1."""
    digits = re.sub(r"\D", "", n).zfill(9)
    if len(digits) != 9 or int(digits) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def fingerprint(cleaned: str) -> str:
    """The number with look-alike characters folded (O/0, I/1 …)."""
    return cleaned.translate(_CONFUSABLE)


def compare(a: str, b: str) -> float:
    """1.0 equal; 0.9 equal up to look-alikes; 0.5 one typo apart; else 0."""
    if a == b:
        return 1.0
    fa, fb = fingerprint(a), fingerprint(b)
    if fa == fb:
        return _CONFUSED_SCORE
    if min(len(fa), len(fb)) >= 6 and jellyfish.damerau_levenshtein_distance(fa, fb) == 1:
        return _ONE_TYPO_SCORE
    return 0.0


TYPE = ValueType(name="identifier", clean=clean, compare=compare, fingerprint=fingerprint)
