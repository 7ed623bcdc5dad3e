from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import date
from crosslink.model.types._base import CleanContext

SETTINGS = settings(max_examples=200, deadline=None)
DMY = CleanContext(date_order="dmy")
MDY = CleanContext(date_order="mdy")


@pytest.mark.parametrize(
    ("raw", "ctx", "expected"),
    [
        ("1990-03-12", DMY, "1990-03-12"),
        ("12/03/1990", DMY, "1990-03-12"),
        ("12/03/1990", MDY, "1990-12-03"),
        ("12.03.1990", DMY, "1990-03-12"),
        ("12-03-1990", DMY, "1990-03-12"),
        ("25/12/1990", MDY, "1990-12-25"),  # 25 cannot be a month: no ambiguity
        ("03/1990", DMY, "1990-03"),
        ("1990/03", DMY, "1990-03"),
        ("1990", DMY, "1990"),
        ("12 maart 1990", DMY, "1990-03-12"),
        ("12 mars 1990", DMY, "1990-03-12"),
        ("1er mars 1990", DMY, "1990-03-01"),
        ("12. März 1990", DMY, "1990-03-12"),
        ("12. Maerz 1990", DMY, "1990-03-12"),
        ("March 12, 1990", DMY, "1990-03-12"),
        ("12th Mar 1990", DMY, "1990-03-12"),
        ("12-Mar-1990", MDY, "1990-03-12"),
        ("3 févr. 2001", DMY, "2001-02-03"),
        ("17 okt 2019", DMY, "2019-10-17"),
        ("Sept. 2001", DMY, "2001-09"),
        ("août 2015", DMY, "2015-08"),
        ("1990-03-12 00:00:00", DMY, "1990-03-12"),
        ("1990-03-12T00:00:00", DMY, "1990-03-12"),
        ("2023-11-05T14:30:00.000+01:00", DMY, "2023-11-05"),
        ("19900312", DMY, "1990-03-12"),
        ("00.00.1985", DMY, "1985"),  # unknown day and month, as registers write it
        ("00.04.1985", DMY, "1985-04"),
        ("29/02/1992", DMY, "1992-02-29"),
    ],
)
def test_clean(raw: str, ctx: CleanContext, expected: str) -> None:
    assert date.clean(raw, ctx) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1990-13-01", "month 13 out of range"),
        ("13/13/1990", "month 13 out of range"),
        ("32/01/1990", "day 32 out of range"),
        ("30/02/1990", "day 30 out of range for February 1990 (28 days)"),
        ("29/02/1900", "day 29 out of range for February 1900 (28 days)"),
        ("31/04/2001", "day 31 out of range for April 2001 (30 days)"),
        ("0950", "year 950 out of range (1000-2100)"),
        ("12/03/2150", "year 2150 out of range (1000-2100)"),
        ("12/03/90", "two-digit year 90 is ambiguous: give all four digits"),
        ("gisteren", "not a date: 'gisteren'"),
        ("12 foo 1990", "not a date: '12 foo 1990'"),
        ("mars 12 13 1990", "cannot read day and year in 'mars 12 13 1990'"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert date.validate(raw, DMY) == reason


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [
        ("1990-03-12", "1990-03-12", 1.0),
        ("1990", "1990-03-12", 0.8),
        ("1990-03", "1990-03-12", 0.8),
        ("1990-03-12", "1990-12-03", 0.7),
        ("1990-03-12", "1990-03-15", 0.6),
        ("1990-03-12", "1991-03-12", 0.4),
        ("1990-03-12", "1991-04-12", 0.0),
        ("1990", "1991", 0.0),
        ("1990-04", "1990-03-12", 0.0),
    ],
)
def test_compare(a: str, b: str, score: float) -> None:
    assert date.compare(a, b) == score
    assert date.compare(b, a) == score


def test_fingerprint_is_the_year() -> None:
    assert date.fingerprint("1990-03-12") == date.fingerprint("1990") == "1990"


days = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2100, 12, 31))
MONTH_NAMES = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
}  # fmt: skip


def _variants(day: dt.date) -> list[tuple[str, CleanContext]]:
    d, m, y = day.day, day.month, day.year
    return [
        (day.isoformat(), DMY),
        (f"{d:02d}/{m:02d}/{y}", DMY),
        (f"{d}.{m}.{y}", DMY),
        (f"{m:02d}/{d:02d}/{y}", MDY),
        (f"{y}/{m:02d}/{d:02d}", CleanContext(date_order="ymd")),
        (f"{day.isoformat()} 00:00:00", MDY),
        (f"{day.isoformat()}T12:00:00Z", DMY),
        (f"{y}{m:02d}{d:02d}", DMY),
        *[(f"{d} {names[m - 1]} {y}", DMY) for names in MONTH_NAMES.values()],
        (f"{MONTH_NAMES['en'][m - 1]} {d}, {y}", DMY),
        (f"{d}. {MONTH_NAMES['de'][m - 1]} {y}", DMY),
    ]


@SETTINGS
@given(days, st.data())
def test_format_variants_meet(day: dt.date, data: st.DataObject) -> None:
    raw, ctx = data.draw(st.sampled_from(_variants(day)))
    cleaned = date.clean(raw, ctx)
    assert cleaned == day.isoformat()
    assert date.clean(cleaned, ctx) == cleaned
    assert date.fingerprint(cleaned) == str(day.year)


partial = st.one_of(
    days.map(lambda d: d.isoformat()),
    days.map(lambda d: d.isoformat()[:7]),
    days.map(lambda d: d.isoformat()[:4]),
)


@SETTINGS
@given(partial, partial)
def test_compare_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert date.clean(a) == a
    assert date.compare(a, b) == date.compare(b, a)
    assert 0.0 <= date.compare(a, b) <= 1.0
    assert date.compare(a, a) == 1.0
