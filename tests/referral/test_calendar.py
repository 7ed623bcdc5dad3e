"""Working days per jurisdiction, from the ``holidays`` package: fixed cases and properties
across holidays and year ends."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from crosslink.clock import Calendar

ENGLAND = Calendar("GB", "Europe/London", "ENG")
BELGIUM = Calendar("BE", "Europe/Brussels")
NETHERLANDS = Calendar("NL", "Europe/Amsterdam")


def test_five_working_days_across_christmas_in_england() -> None:
    # Christmas Day, Boxing Day observed on Monday 28th, New Year's Day: all skipped.
    assert ENGLAND.add_working_days(dt.date(2026, 12, 23), 5) == dt.date(2027, 1, 4)


def test_five_working_days_across_easter_in_england() -> None:
    # Good Friday 3 April and Easter Monday 6 April 2026.
    assert ENGLAND.add_working_days(dt.date(2026, 4, 1), 5) == dt.date(2026, 4, 10)


def test_holidays_are_scoped_to_the_jurisdiction() -> None:
    kings_day = dt.date(2026, 4, 27)
    assert not NETHERLANDS.is_working_day(kings_day)
    assert BELGIUM.is_working_day(kings_day)
    assert not BELGIUM.is_working_day(dt.date(2026, 7, 21))  # Belgian national day
    assert NETHERLANDS.is_working_day(dt.date(2026, 7, 21))


def test_the_local_day_follows_the_time_zone() -> None:
    late = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert BELGIUM.local_date(late) == dt.date(2026, 7, 1)
    assert ENGLAND.local_date(late) == dt.date(2026, 7, 1)
    assert ENGLAND.local_date(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == dt.date(
        2026, 12, 31
    )


days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))
calendars = st.sampled_from([ENGLAND, BELGIUM, NETHERLANDS])


@given(calendars, days, st.integers(min_value=1, max_value=40))
def test_the_nth_working_day_is_a_working_day_n_working_days_on(
    calendar: Calendar, start: dt.date, n: int
) -> None:
    end = calendar.add_working_days(start, n)
    assert end > start
    assert calendar.is_working_day(end)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(calendar.is_working_day(d) for d in between) == n


@given(calendars, days, st.integers(min_value=0, max_value=20), st.integers(0, 20))
def test_working_days_add_up(calendar: Calendar, start: dt.date, a: int, b: int) -> None:
    once = calendar.add_working_days(start, a + b)
    twice = calendar.add_working_days(calendar.add_working_days(start, a), b)
    assert once == twice
