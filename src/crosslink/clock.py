"""The clock behind every expiry, rate limit and deadline: real in service, fixed in tests;
and the working-day calendars that deadlines count in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until told to move: for expiry and lock-out tests."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        self._now += delta


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as aware UTC (SQLite hands back naive values, written in UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


@dataclass(frozen=True)
class Calendar:
    """Working days where a procedure runs: weekends and the public holidays of one country
    (and subdivision, where holidays differ inside it), from the maintained ``holidays``
    package, in that place's time zone."""

    country: str
    timezone: str
    subdivision: str | None = None

    def local_date(self, at: dt.datetime) -> dt.date:
        """The calendar day ``at`` falls on where the procedure runs."""
        return as_utc(at).astimezone(ZoneInfo(self.timezone)).date()

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in _holidays(self.country, self.subdivision, day.year)

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
        if count < 0:
            raise ValueError("count must be zero or more")
        day = start
        while count:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day


@cache
def _holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(found.keys())
