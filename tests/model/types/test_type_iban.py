from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import iban

VALID = [
    ("BE68 5390 0754 7034", "BE68539007547034"),
    ("be68-5390-0754-7034", "BE68539007547034"),
    ("IBAN: NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ("GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819"),
    ("RO49 AAAA 1B31 0075 9384 0000", "RO49AAAA1B31007593840000"),
    ("BG80 BNBG 9661 1020 3456 78", "BG80BNBG96611020345678"),
]


@pytest.mark.parametrize(("raw", "expected"), VALID)
def test_clean(raw: str, expected: str) -> None:
    assert iban.clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("BE68 5390 0754 7035", "IBAN checksum failed"),
        ("XX68 5390 0754 7034", "unknown IBAN country code XX"),
        ("BE68 5390 0754 70", "IBAN length 14 is wrong for BE"),
        ("BE68 5390 0754 703€", "IBAN may only contain letters and digits"),
        ("5390 0754 7034", "IBAN must start with a country code and two check digits"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert iban.validate(raw) == reason


def test_compare_and_fingerprint() -> None:
    assert iban.compare("BE68539007547034", "BE68539007547034") == 1.0
    assert iban.compare("BE68539007547034", "NL91ABNA0417164300") == 0.0
    assert iban.fingerprint("BE68539007547034") == "BE68539007547034"


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([expected for _, expected in VALID]),
    st.sampled_from([" ", "-", "", "  "]),
    st.integers(min_value=1, max_value=6),
    st.booleans(),
)
def test_spacing_variants_meet(compact: str, sep: str, group: int, lower: bool) -> None:
    spaced = sep.join(compact[i : i + group] for i in range(0, len(compact), group))
    cleaned = iban.clean(spaced.lower() if lower else spaced)
    assert cleaned == compact
    assert iban.clean(cleaned) == cleaned
    assert iban.fingerprint(cleaned) == iban.fingerprint(iban.clean(compact))
