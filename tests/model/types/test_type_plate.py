from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import plate
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("1-ABC-234", "BE", "1-ABC-234"),
        ("1abc234", "BE", "1-ABC-234"),
        ("1 ABC 234", "BE", "1-ABC-234"),
        ("ABC-123", "BE", "ABC-123"),
        ("abc 123", "BE", "ABC-123"),
        ("AB-12-CD", "NL", "AB-12-CD"),
        ("ab12cd", "NL", "AB-12-CD"),
        ("12ABC3", "NL", "12-ABC-3"),
        ("1-abc-23", "NL", "1-ABC-23"),
        ("AB123C", "NL", "AB-123-C"),
        ("GB1234", "NL", "GB-12-34"),  # sidecode 1: two pairs of digits
        ("AB-123-CD", "FR", "AB-123-CD"),
        ("ab 123 cd", "FR", "AB-123-CD"),
        ("1234 AB 75", "FR", "1234 AB 75"),
        ("123abc2a", "FR", "123 ABC 2A"),
        ("B-AB 1234", "DE", "B AB 1234"),
        ("B AB 1234", "DE", "B AB 1234"),
        ("M-X 99E", "DE", "M X 99E"),
        ("MÜ-AB 12", "DE", "MÜ AB 12"),
        ("BAB1234", "DE", "BAB 1234"),  # without the separator the district is unknowable
        ("AB12 CDE", "GB", "AB12 CDE"),
        ("ab12cde", "UK", "AB12 CDE"),
        ("A123 BCD", "GB", "A123 BCD"),
        ("1-ABC-234", None, "1ABC234"),
        ("CT-1234-AB", None, "CT1234AB"),  # Romanian plate, no national format configured
        ("O.123", "RO", "O123"),  # boat / other region: letters and digits
    ],
)
def test_clean(raw: str, region: str | None, expected: str) -> None:
    assert plate.clean(raw, CleanContext(region=region)) == expected


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("1-AB-234", "BE", "'1-AB-234' does not fit a BE plate (1-ABC-234 or ABC-123)"),
        (
            "ABCDEF",
            "NL",
            "'ABCDEF' does not fit a NL plate (a sidecode such as AB-12-CD or 12-ABC-3)",
        ),
        (
            "1-ABC-234",
            "NL",
            "'1-ABC-234' does not fit a NL plate (a sidecode such as AB-12-CD or 12-ABC-3)",
        ),
        ("AB-1234-CD", "FR", "'AB-1234-CD' does not fit a FR plate (AB-123-CD or 1234 AB 75)"),
        ("ABC-DE 12345", "DE", "'ABC-DE 12345' does not fit a DE plate (B AB 1234)"),
        ("12345678", "GB", "'12345678' does not fit a GB plate (AB12 CDE)"),
        ("A", None, "plate must be 2-10 letters or digits (got 'A')"),
        ("ABCDEFGHIJK", None, "plate must be 2-10 letters or digits (got 'ABCDEFGHIJK')"),
        ("", "BE", "empty value"),
    ],
)
def test_rejects(raw: str, region: str | None, reason: str) -> None:
    assert plate.validate(raw, CleanContext(region=region)) == reason


def test_compare_and_fingerprint() -> None:
    assert plate.fingerprint("1-ABC-234") == plate.fingerprint("1ABC234") == "1ABC234"
    assert plate.fingerprint("MÜ AB 12") == "MUAB12"
    assert plate.compare("1-ABC-234", "1-ABC-234") == 1.0
    assert plate.compare("1-ABC-234", "1ABC234") == 0.95
    assert plate.compare("1-ABC-234", "1-ABC-284") == 0.5  # one character misread
    assert plate.compare("1-ABC-234", "2-XYZ-987") == 0.0


LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"
DIGITS = "0123456789"


def _text(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


BE_NEW = st.tuples(st.sampled_from("123456789"), _text(LETTERS, 3), _text(DIGITS, 3)).map("-".join)
FR_SIV = st.tuples(_text(LETTERS, 2), _text(DIGITS, 3), _text(LETTERS, 2)).map("-".join)
UK_NEW = st.tuples(_text(LETTERS, 2), _text(DIGITS, 2), _text(LETTERS, 3)).map(
    lambda p: f"{p[0]}{p[1]} {p[2]}"
)


@st.composite
def nl_plates(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(plate.NL_SIDECODES))
    return "".join(draw(st.sampled_from(LETTERS if ch == "L" else DIGITS)) for ch in shape)


CASES = st.one_of(
    st.tuples(st.just("BE"), BE_NEW),
    st.tuples(st.just("FR"), FR_SIV),
    st.tuples(st.just("GB"), UK_NEW),
    st.tuples(st.just("NL"), nl_plates()),
)


@SETTINGS
@given(CASES, st.sampled_from(["", " ", "-", "."]), st.booleans())
def test_separator_variants_meet(case: tuple[str, str], sep: str, lower: bool) -> None:
    region, written = case
    ctx = CleanContext(region=region)
    canonical = plate.clean(written, ctx)
    compact = "".join(ch for ch in written if ch.isalnum())
    variant = sep.join(compact)  # a separator between every character, or none
    cleaned = plate.clean(variant.lower() if lower else variant, ctx)
    assert cleaned == canonical
    assert plate.clean(cleaned, ctx) == cleaned
    assert plate.fingerprint(cleaned) == compact
    assert plate.fingerprint(plate.clean(written, CleanContext())) == compact


@SETTINGS
@given(CASES, CASES)
def test_compare_is_symmetric_and_bounded(x: tuple[str, str], y: tuple[str, str]) -> None:
    a = plate.clean(x[1], CleanContext(region=x[0]))
    b = plate.clean(y[1], CleanContext(region=y[0]))
    assert plate.compare(a, b) == plate.compare(b, a)
    assert 0.0 <= plate.compare(a, b) <= 1.0
    assert plate.compare(a, a) == 1.0
