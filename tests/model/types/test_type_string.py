from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.errors import InvalidValue
from crosslink.model.types import string
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Antwerpen  ", "Antwerpen"),
        ("Car\twash   Gent", "Car wash Gent"),
        ("Nacht\nwinkel", "Nacht winkel"),
        ("Lie\u0300ge", "Liège"),  # decomposed accent -> NFC
        ("\ufeffPAG-ASA\u200b", "PAG-ASA"),  # BOM and zero-width space
        ("Bruxelles\x00", "Bruxelles"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert string.clean(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\x00\x01"])
def test_empty_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidValue) as err:
        string.clean(raw)
    assert err.value.reason == "empty value"
    assert string.validate(raw) == "empty value"


def test_type_record() -> None:
    assert string.TYPE.name == "string"
    assert string.TYPE.validate("ok", CleanContext()) is None


def test_compare_and_fingerprint_ignore_case_and_accents() -> None:
    assert string.compare("Liège", "LIEGE") > 0.9
    assert string.fingerprint("Liège") == string.fingerprint("liege")
    assert string.compare("Liège", "Namur") < 0.6


@SETTINGS
@given(st.text())
def test_clean_is_idempotent(raw: str) -> None:
    try:
        once = string.clean(raw)
    except InvalidValue:
        return
    assert string.clean(once) == once
    assert once == once.strip()
    assert "  " not in once


@SETTINGS
@given(st.text(min_size=1), st.text(min_size=1))
def test_compare_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert string.compare(a, b) == string.compare(b, a)
    assert 0.0 <= string.compare(a, b) <= 1.0
    assert string.compare(a, a) == 1.0
