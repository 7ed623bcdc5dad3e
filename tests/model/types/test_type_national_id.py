from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import national_id
from crosslink.model.types._base import CleanContext
from crosslink.model.types.identifier import be_national_number_valid, nl_bsn_valid

BE = CleanContext(region="BE")
NL = CleanContext(region="NL")


@pytest.mark.parametrize(
    ("raw", "ctx", "expected"),
    [
        ("85.07.30-033.28", BE, "85073003328"),
        ("85073003328", BE, "85073003328"),
        ("111 222 333", NL, "111222333"),
        ("12345672", NL, "012345672"),  # leading zero lost in a spreadsheet
        ("1850730330912", CleanContext(region="RO"), "1850730330912"),  # RO CNP, unchecked
        ("qq 12 34 56 c", CleanContext(region="GB"), "QQ123456C"),
        ("12.34", CleanContext(), "1234"),
    ],
)
def test_clean(raw: str, ctx: CleanContext, expected: str) -> None:
    assert national_id.clean(raw, ctx) == expected


@pytest.mark.parametrize(
    ("raw", "ctx", "reason"),
    [
        ("85073003329", BE, "Belgian national number checksum failed"),
        ("8507300332", BE, "Belgian national number needs 11 digits (got '8507300332')"),
        ("123456789", NL, "BSN fails the eleven test (elfproef)"),
        ("12345", NL, "BSN needs 9 digits (got '12345')"),
        ("12#34", CleanContext(), "national number may only contain letters and digits"),
        ("", BE, "empty value"),
    ],
)
def test_rejects(raw: str, ctx: CleanContext, reason: str) -> None:
    assert national_id.validate(raw, ctx) == reason


def test_compare_and_fingerprint() -> None:
    assert national_id.compare("85073003328", "85073003328") == 1.0
    assert national_id.compare("85073003328", "85073003427") == 0.0
    assert national_id.fingerprint("85073003328") == "85073003328"


def _be_number(birth: str, serial: int, after_2000: bool) -> str:
    base = f"{birth}{serial:03d}"
    check = 97 - int(("2" if after_2000 else "") + base) % 97
    return f"{base}{check:02d}"


@settings(max_examples=150, deadline=None)
@given(
    st.dates().map(lambda d: d.strftime("%y%m%d")),
    st.integers(1, 998),
    st.booleans(),
    st.sampled_from(["{}", "{0}{1}.{2}{3}.{4}{5}-{6}{7}{8}.{9}{10}"]),
)
def test_be_round_trip(birth: str, serial: int, after_2000: bool, layout: str) -> None:
    number = _be_number(birth, serial, after_2000)
    assert be_national_number_valid(number)
    raw = layout.format(number) if layout == "{}" else layout.format(*number)
    cleaned = national_id.clean(raw, BE)
    assert cleaned == number
    assert national_id.clean(cleaned, BE) == cleaned


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_bsn_round_trip(first: str) -> None:
    weights = (9, 8, 7, 6, 5, 4, 3, 2)
    last = sum(int(d) * w for d, w in zip(first, weights, strict=True)) % 11
    if last == 10 or int(first + str(last)) == 0:
        return
    bsn = first + str(last)
    assert nl_bsn_valid(bsn)
    cleaned = national_id.clean(f"{bsn[:4]}.{bsn[4:6]}.{bsn[6:]}", NL)
    assert cleaned == bsn
    assert national_id.clean(cleaned, NL) == cleaned


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("85.07.30-033.28", "1985-07-30"),
        ("05031212360", "2005-03-12"),  # check digits computed with a 2 in front: born 2000+
        ("85273003371", "1985-07-30"),  # bis number, sex unknown: month + 20
        ("85410700217", "1985-01-07"),  # bis number, sex known: month + 40
        ("01050011765", "2001-05"),  # day unknown
        ("85000003306", "1985"),  # month and day unknown
        ("85023003390", None),  # 30 February: a valid check, no date
        ("85073003329", None),  # checksum fails
        ("111222333", None),  # a Dutch BSN
        ("P8221139", None),
    ],
)
def test_be_birth_date(number: str, expected: str | None) -> None:
    assert national_id.be_birth_date(number) == expected


@pytest.mark.parametrize(
    ("number", "kept_for_life"),
    [
        ("85073003328", True),
        ("85273003371", False),  # bis numbers give way to a national number
        ("85410700217", False),
        ("111222333", True),  # a Dutch BSN
        ("85073003329", True),  # no valid Belgian number: whatever region's it is
    ],
)
def test_lifelong(number: str, kept_for_life: bool) -> None:
    assert national_id.lifelong(number) is kept_for_life
