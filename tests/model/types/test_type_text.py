from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.errors import InvalidValue
from crosslink.model.types import text

SETTINGS = settings(max_examples=150, deadline=None)


def test_newlines_are_normalised_and_kept() -> None:
    raw = "Verklaring:\r\nIk werkte 14 uur per dag.\rMijn paspoort\u2028werd afgenomen.\n"
    assert text.clean(raw) == (
        "Verklaring:\nIk werkte 14 uur per dag.\nMijn paspoort\nwerd afgenomen."
    )


def test_tabs_kept_controls_dropped() -> None:
    assert text.clean("a\tb\x07c\x1bd") == "a\tbcd"


def test_long_text_is_not_truncated() -> None:
    raw = "mot " * 5000
    assert len(text.clean(raw)) == len(raw.strip())


def test_inner_spacing_kept() -> None:
    assert text.clean("  Job   offer  \n\n  no experience  ") == (
        "Job   offer  \n\n  no experience"
    )


def test_empty() -> None:
    assert text.validate(" \r\n ") == "empty value"


def test_compare() -> None:
    a = text.clean("Accommodation shared with other workers, transport provided")
    b = text.clean("transport provided; accommodation shared with other workers")
    assert text.compare(a, b) == 1.0 or text.compare(a, b) > 0.9
    assert text.compare(a, text.clean("Nail salon in Gent")) < 0.2
    assert text.fingerprint(a) == text.fingerprint(b)


@SETTINGS
@given(st.text())
def test_clean_is_idempotent(raw: str) -> None:
    try:
        once = text.clean(raw)
    except InvalidValue:
        return
    assert text.clean(once) == once
    assert "\r" not in once


@SETTINGS
@given(st.text(min_size=1), st.text(min_size=1))
def test_compare_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert text.compare(a, b) == text.compare(b, a)
    assert 0.0 <= text.compare(a, b) <= 1.0
    assert text.compare(a, a) == 1.0
