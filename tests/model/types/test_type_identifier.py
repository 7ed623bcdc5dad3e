from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.errors import InvalidValue
from crosslink.model.types import identifier

SETTINGS = settings(max_examples=150, deadline=None)

# ICAO Doc 9303 specimens (Anna Maria Eriksson, Utopia).
TD3_LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]


@pytest.mark.parametrize(
    ("data", "digit"),
    [("L898902C3", 6), ("740812", 2), ("120415", 9), ("D23145890", 7), ("", 0), ("<<<", 0)],
)
def test_mrz_check_digit(data: str, digit: int) -> None:
    assert identifier.mrz_check_digit(data) == digit


def test_mrz_check_digit_rejects_other_characters() -> None:
    with pytest.raises(InvalidValue):
        identifier.mrz_check_digit("ab-1")


def test_td3() -> None:
    assert identifier.validate_td3(TD3_LINE2) is None
    broken = TD3_LINE2[:19] + "3" + TD3_LINE2[20:]
    assert identifier.validate_td3(broken) == "birth date check digit 3 does not match (expected 2)"
    expiry = TD3_LINE2[:27] + "0" + TD3_LINE2[28:]
    assert (
        identifier.validate_td3(expiry) == "expiry date check digit 0 does not match (expected 9)"
    )
    composite = TD3_LINE2[:43] + "1"
    assert identifier.validate_td3(composite) == (
        "composite check digit 1 does not match (expected 0)"
    )
    assert identifier.validate_td3("L898902C3") is not None


def test_td1() -> None:
    assert identifier.validate_td1(TD1) is None
    broken = [TD1[0][:14] + "1" + TD1[0][15:], TD1[1], TD1[2]]
    assert identifier.validate_td1(broken) == (
        "document number check digit 1 does not match (expected 7)"
    )
    assert identifier.validate_td1(TD1[:2]) is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("EH 123.456", "EH123456"),
        ("ro-05 123456", "RO05123456"),
        ("L898902C3<6", "L898902C3"),
        ("L898902C3 < 6", "L898902C3"),
        (TD3_LINE2, "L898902C3"),
        (f"{TD3_LINE1}\n{TD3_LINE2}", "L898902C3"),
        ("\n".join(TD1), "D23145890"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert identifier.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("L898902C3<5", "document number check digit 5 does not match (expected 6)"),
        (
            TD3_LINE2[:9] + "7" + TD3_LINE2[10:],
            "document number check digit 7 does not match (expected 6)",
        ),
        ("AB<12", "unexpected '<' in document number"),
        ("AB#1234", "document number may only contain letters and digits"),
        ("AB1", "document number AB1 is too short"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert identifier.validate(raw) == reason


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("85.07.30-033.28", True),  # born 1985
        ("85073003328", True),
        ("85073003329", False),
        ("17.07.30-033.84", True),  # born 2017: "2" put in front before mod 97
        ("1707300338", False),
    ],
)
def test_be_national_number(number: str, valid: bool) -> None:
    assert identifier.be_national_number_valid(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False)],
)
def test_nl_bsn(number: str, valid: bool) -> None:
    assert identifier.nl_bsn_valid(number) is valid


def test_compare_and_fingerprint() -> None:
    assert identifier.compare("EH123456", "EH123456") == 1.0
    assert identifier.compare("EH1234O6", "EH123406") == 0.9  # letter O for zero
    assert identifier.compare("EH123456", "EH123465") == 0.5  # swapped digits
    assert identifier.compare("EH123456", "XY987654") == 0.0
    assert identifier.fingerprint("EHI234O6") == identifier.fingerprint("EH123406")


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
numbers = st.text(alphabet=ALNUM, min_size=4, max_size=9)


@SETTINGS
@given(numbers, st.sampled_from(["{n}", "{n}<{c}", "{n}<<<{c}", " {n} ", "{n}-"]))
def test_number_with_check_digit_round_trip(number: str, layout: str) -> None:
    raw = layout.format(n=number, c=identifier.mrz_check_digit(number))
    cleaned = identifier.clean(raw)
    assert cleaned == number
    assert identifier.clean(cleaned) == cleaned
    padded = number.ljust(9, "<")
    assert identifier.mrz_check_digit(padded) == identifier.mrz_check_digit(number)


@SETTINGS
@given(numbers, numbers)
def test_compare_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert identifier.compare(a, b) == identifier.compare(b, a)
    assert 0.0 <= identifier.compare(a, b) <= 1.0
    assert identifier.compare(a, a) == 1.0
