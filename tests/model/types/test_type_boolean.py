from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import boolean

YES = ["yes", "Yes", "TRUE", "1", "x", "X", "ja", "Ja", "j", "oui", "Oui", "vrai", "wahr", "y"]
NO = ["no", "No", "false", "0", "nee", "neen", "non", "NON", "faux", "nein", "falsch", "n"]


@pytest.mark.parametrize("raw", YES)
def test_yes(raw: str) -> None:
    assert boolean.clean(raw) == "true"


@pytest.mark.parametrize("raw", NO)
def test_no(raw: str) -> None:
    assert boolean.clean(raw) == "false"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("maybe", "not a yes/no value: 'maybe'"),
        ("misschien", "not a yes/no value: 'misschien'"),
        ("2", "not a yes/no value: '2'"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert boolean.validate(raw) == reason


def test_compare_and_fingerprint() -> None:
    assert boolean.compare("true", "true") == 1.0
    assert boolean.compare("true", "false") == 0.0
    assert boolean.fingerprint("false") == "false"


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(YES + NO), st.sampled_from(["", " ", "  "]))
def test_clean_is_idempotent(raw: str, pad: str) -> None:
    once = boolean.clean(pad + raw + pad)
    assert boolean.clean(once) == once
