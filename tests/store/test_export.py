"""Exports neutralise spreadsheet formulas and keep every value."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosslink.store.export import safe_cell


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+32 470 12 34 56", "'+32 470 12 34 56"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tx", "'\tx"),
        ("-12.5", "-12.5"),
        ("Popescu", "Popescu"),
        ("", ""),
    ],
)
def test_formula_starters_are_disarmed(cell: str, shown: str) -> None:
    assert safe_cell(cell) == shown


@given(st.text())
def test_a_safe_cell_never_starts_a_formula_and_keeps_the_text(text: str) -> None:
    shown = safe_cell(text)
    assert shown.endswith(text)
    if shown[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        float(shown)  # only plain numbers may start so
    buffer = io.StringIO()
    csv.writer(buffer).writerow([shown])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ([shown] if shown else [""])
