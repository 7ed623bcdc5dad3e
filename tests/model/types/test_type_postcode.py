from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import postcode
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("1000", "BE", "1000"),
        ("B-8660", "BE", "8660"),
        ("1012ab", "NL", "1012 AB"),
        ("1012  AB", "NL", "1012 AB"),
        ("75001", "FR", "75001"),
        ("F-59140", "FR", "59140"),
        ("10115", "DE", "10115"),
        ("D-52062", "DE", "52062"),
        ("sw1a1aa", "GB", "SW1A 1AA"),
        ("CT16 1JA", "UK", "CT16 1JA"),
        ("M1 1AE", "GB", "M1 1AE"),
        ("010011", None, "010011"),  # Romania, no national format configured
        ("w1-4a", None, "W1 4A"),
        ("1000", "RO", "1000"),
    ],
)
def test_clean(raw: str, region: str | None, expected: str) -> None:
    assert postcode.clean(raw, CleanContext(region=region)) == expected


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("100", "BE", "not a BE postcode (expected like 1000)"),
        ("0999", "BE", "not a BE postcode (expected like 1000)"),
        ("1012", "NL", "not a NL postcode (expected like 1012 AB)"),
        ("7500", "FR", "not a FR postcode (expected like 75001)"),
        ("SW1A", "GB", "not a GB postcode (expected like SW1A 1AA)"),
        ("!!", None, "not a postcode: '!!'"),
        ("ABCDEFGHIJKL", None, "not a postcode: 'ABCDEFGHIJKL'"),
        ("", "BE", "empty value"),
    ],
)
def test_rejects(raw: str, region: str | None, reason: str) -> None:
    assert postcode.validate(raw, CleanContext(region=region)) == reason


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("Rue de la Loi 16, 1000 Bruxelles", "BE", ("1000", "Rue de la Loi 16, Bruxelles")),
        ("Kerkstraat 12, 1012AB Amsterdam", "NL", ("1012 AB", "Kerkstraat 12, Amsterdam")),
        ("Kerkstraat 12, 1012AB Amsterdam", None, ("1012 AB", "Kerkstraat 12, Amsterdam")),
        ("10 Downing Street, London SW1A 2AA", None, ("SW1A 2AA", "10 Downing Street, London")),
        ("12 rue de Rivoli 75001 Paris", None, ("75001", "12 rue de Rivoli Paris")),
        ("Hauptstraße 5, 10115 Berlin", "DE", ("10115", "Hauptstraße 5, Berlin")),
        ("Meir 1234 bus 2, 2000 Antwerpen", "BE", ("2000", "Meir 1234 bus 2, Antwerpen")),
        ("Rue de la Loi 16", "BE", None),
        ("Rue de la Loi 16, 1000 Bruxelles", "XX", None),
    ],
)
def test_parse(text: str, region: str | None, expected: tuple[str, str] | None) -> None:
    assert postcode.parse(text, region) == expected


def test_compare() -> None:
    assert postcode.compare("1012 AB", "1012 AB") == 1.0
    assert postcode.compare("1012 AB", "1012 BC") == 0.5
    assert postcode.compare("75001", "75002") == 0.5
    assert postcode.compare("1000", "9000") == 0.0
    assert postcode.fingerprint("SW1A 1AA") == "SW1A1AA"


NL = st.tuples(
    st.integers(1000, 9999), st.text(alphabet="ABCDEFGHJKLMNPRTUVWXYZ", min_size=2, max_size=2)
)


@SETTINGS
@given(NL, st.sampled_from(["", " ", "  "]), st.booleans())
def test_nl_spacing_and_case(code: tuple[int, str], space: str, lower: bool) -> None:
    digits, letters = code
    raw = f"{digits}{space}{letters.lower() if lower else letters}"
    ctx = CleanContext(region="NL")
    cleaned = postcode.clean(raw, ctx)
    assert cleaned == f"{digits} {letters}"
    assert postcode.clean(cleaned, ctx) == cleaned
    assert postcode.fingerprint(cleaned) == f"{digits}{letters}"
    assert postcode.parse(f"Dorpsstraat 3, {raw} Ergens", "NL") == (
        cleaned,
        "Dorpsstraat 3, Ergens",
    )


UK = st.from_regex(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", fullmatch=True)


@SETTINGS
@given(UK)
def test_uk_round_trip(raw: str) -> None:
    ctx = CleanContext(region="GB")
    cleaned = postcode.clean(raw.lower(), ctx)
    assert postcode.clean(cleaned, ctx) == cleaned
    assert postcode.fingerprint(cleaned) == raw.replace(" ", "")


@SETTINGS
@given(st.from_regex(r"[0-9A-Z]{1,4}( [0-9A-Z]{1,4})?", fullmatch=True), st.text(max_size=3))
def test_generic_is_idempotent_and_compare_symmetric(raw: str, other: str) -> None:
    cleaned = postcode.clean(raw)
    assert postcode.clean(cleaned) == cleaned
    b = postcode.clean(other) if postcode.validate(other) is None else "1000"
    assert postcode.compare(cleaned, b) == postcode.compare(b, cleaned)
    assert 0.0 <= postcode.compare(cleaned, b) <= 1.0
    assert postcode.compare(cleaned, cleaned) == 1.0
