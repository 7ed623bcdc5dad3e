from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from crosslink.model.types import phone
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)
BE = CleanContext(region="BE")


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0470/12.34.56", "BE", "+32470123456"),
        ("+32 (0)470 12 34 56", None, "+32470123456"),
        ("0032 470 12 34 56", None, "+32470123456"),
        ("tel:+32-470-12-34-56", None, "+32470123456"),
        ("02 555 12 34", "BE", "+3225551234"),
        ("06-12345678", "NL", "+31612345678"),
        ("+31 (0)20 123 4567", None, "+31201234567"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("07400 123456", "GB", "+447400123456"),
        ("07400 123456", "UK", "+447400123456"),
        ("0721 234 567", "RO", "+40721234567"),
        ("+359 88 123 4567", None, "+359881234567"),
        ("+212 6 12 34 56 78", None, "+212612345678"),
        ("+963 944 567 890", None, "+963944567890"),
        ("+32470123456", "NL", "+32470123456"),  # international wins over the region
    ],
)
def test_clean(raw: str, region: str | None, expected: str) -> None:
    assert phone.clean(raw, CleanContext(region=region)) == expected


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        (
            "0470123456",
            None,
            "no region to read national number 0470123456 (give the source a default region)",
        ),
        ("+32 47", None, "not a possible number (too short)"),
        ("+32 470 12 34 5", None, "not a valid number for BE"),
        ("0470 12 34 5", "BE", "not a valid number for BE"),
        ("12345678901234567890", "BE", "not a possible number (too long)"),
        ("call me", "BE", "not a phone number"),
        ("+999 12345678", None, "unknown country calling code"),
        ("  ", "BE", "empty value"),
    ],
)
def test_rejects(raw: str, region: str | None, reason: str) -> None:
    assert phone.validate(raw, CleanContext(region=region)) == reason


def test_compare() -> None:
    assert phone.compare("+32470123456", "+32470123456") == 1.0
    # The same subscriber digits under another country code: weak evidence only.
    assert phone.compare("+32470123456", "+40470123456") == 0.5
    assert phone.compare("+32470123456", "+32470654321") == 0.0
    assert phone.fingerprint("+32470123456") == "+32470123456"


REGIONS = ["BE", "NL", "FR", "DE", "GB", "RO", "BG", "MA", "SY", "PL", "UA", "AL", "TR", "NG"]
# Regions whose national form starts with a trunk 0 that "+CC (0)" notation repeats.
TRUNK_ZERO = {"BE", "NL", "FR", "DE", "GB", "RO", "BG", "MA", "SY", "PL", "UA", "AL", "TR"}


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, phonenumbers.PhoneNumber]:
    region = draw(st.sampled_from(REGIONS))
    kind = draw(st.sampled_from([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE]))
    example = phonenumbers.example_number_for_type(region, kind)
    assume(example is not None)
    assert example is not None
    nsn = str(example.national_number)
    tail = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    number = phonenumbers.parse(f"+{example.country_code}{nsn[:-3]}{tail}")
    assume(phonenumbers.is_valid_number(number))
    return region, number


def _variants(region: str, number: phonenumbers.PhoneNumber) -> list[str]:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    out = [
        e164,
        phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(number, PhoneNumberFormat.RFC3966),
        "00" + e164[1:],
        national,
        national.replace(" ", ""),
        national.replace(" ", "."),
    ]
    if region in TRUNK_ZERO and national.startswith("0"):
        out.append(f"+{number.country_code} (0){national[1:]}")
    return out


@SETTINGS
@given(numbers(), st.data())
def test_format_variants_meet(
    case: tuple[str, phonenumbers.PhoneNumber], data: st.DataObject
) -> None:
    region, number = case
    ctx = CleanContext(region=region)
    expected = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    variant = data.draw(st.sampled_from(_variants(region, number)))
    cleaned = phone.clean(variant, ctx)
    assert cleaned == expected
    assert phone.clean(cleaned, ctx) == cleaned
    assert phone.clean(cleaned) == cleaned
    assert phone.fingerprint(cleaned) == phone.fingerprint(phone.clean(expected))


@SETTINGS
@given(numbers(), numbers())
def test_compare_is_symmetric_and_bounded(
    x: tuple[str, phonenumbers.PhoneNumber], y: tuple[str, phonenumbers.PhoneNumber]
) -> None:
    a = phonenumbers.format_number(x[1], PhoneNumberFormat.E164)
    b = phonenumbers.format_number(y[1], PhoneNumberFormat.E164)
    assert phone.compare(a, b) == phone.compare(b, a)
    assert 0.0 <= phone.compare(a, b) <= 1.0
    assert phone.compare(a, a) == 1.0
