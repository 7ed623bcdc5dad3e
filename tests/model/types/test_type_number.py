from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.errors import InvalidValue
from crosslink.model.types import number
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)
BE = CleanContext(region="BE")
GB = CleanContext(region="GB")


@pytest.mark.parametrize(
    ("raw", "ctx", "expected"),
    [
        ("1.234,56", BE, "1234.56"),
        ("1,234.56", GB, "1234.56"),
        ("1.234,56", CleanContext(), "1234.56"),
        ("1,234.56", BE, "1234.56"),
        ("1234", BE, "1234"),
        ("12,5", BE, "12.5"),
        ("12,5", CleanContext(), "12.5"),
        ("1.500", BE, "1500"),  # a Belgian monthly wage, not one and a half
        ("1.500", GB, "1.5"),
        ("1,500", GB, "1500"),
        ("1 234 567,00", CleanContext(region="FR"), "1234567"),
        ("1.234.567", CleanContext(region="DE"), "1234567"),
        ("1'234.50", CleanContext(), "1234.5"),
        ("-3,75", CleanContext(region="NL"), "-3.75"),
        ("+42", CleanContext(), "42"),
        ("0,5", BE, "0.5"),
        (",5", BE, "0.5"),
        ("007", CleanContext(), "7"),
        ("-0", CleanContext(), "0"),
        ("100.000", GB, "100"),
        ("100.000", BE, "100000"),
        ("12.50", GB, "12.5"),
    ],
)
def test_clean(raw: str, ctx: CleanContext, expected: str) -> None:
    assert number.clean(raw, ctx) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("twelve", "not a number: 'twelve'"),
        ("12 EUR", "not a number: '12 EUR'"),
        ("1.23.4", "thousands separators misplaced in '1.23.4'"),
        ("1,23.456,7", "mixed separators in number '1,23.456,7'"),
        ("12.", "number ends with a separator: '12.'"),
        ("-", "not a number: '-'"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert number.validate(raw, BE) == reason


def test_compare() -> None:
    assert number.compare("1500", "1500") == 1.0
    assert number.compare("1500", "1500.0") == 1.0
    assert 0.8 < number.compare("1500", "1450") < 1.0
    assert number.compare("1500", "-1500") == 0.0
    assert number.fingerprint("12.5") == "12.5"


decimals = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False
)


def _continental(value: Decimal) -> str:
    """1234567.5 as 1.234.567,50."""
    whole, _, frac = f"{abs(value):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return ("-" if value < 0 else "") + f"{groups},{frac}"


@SETTINGS
@given(decimals)
def test_round_trip_between_conventions(value: Decimal) -> None:
    english = f"{value:,.2f}"
    continental = _continental(value)
    cleaned = number.clean(english, GB)
    assert Decimal(cleaned) == value
    assert number.clean(continental, BE) == cleaned
    assert number.clean(cleaned) == cleaned
    assert number.clean(cleaned, GB) == cleaned


@SETTINGS
@given(decimals, decimals)
def test_compare_is_symmetric_and_bounded(x: Decimal, y: Decimal) -> None:
    a, b = number.clean(str(x)), number.clean(str(y))
    assert number.compare(a, b) == number.compare(b, a)
    assert 0.0 <= number.compare(a, b) <= 1.0
    assert number.compare(a, a) == 1.0


def test_inherent_ambiguity_documented() -> None:
    """A comma-decimal source's "1,234" is 1.234; its cleaned form is re-read region-free."""
    cleaned = number.clean("1,234", BE)
    assert cleaned == "1.234"
    assert number.clean(cleaned) == cleaned
    with pytest.raises(InvalidValue):
        number.clean("1,2,3", BE)
