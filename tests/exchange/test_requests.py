"""Requests and their legal clocks: hours in elapsed time, days in the answering agency's
calendar (across summer time and time zones), states, due and overdue lists."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crosslink.access import FixedClock
from crosslink.errors import AccessDenied, Conflict, InvalidValue
from crosslink.exchange.requests import (
    NewRequest,
    deadline,
    due_requests,
    register_request,
    set_state,
    show_request,
)
from crosslink.store import Store
from tests.exchange.conftest import last_entry
from tests.exchange.partners import BE, GB, make_side

UTC = dt.UTC


def test_the_directive_sets_8_hours_3_days_and_7_days() -> None:
    arrived = dt.datetime(2026, 3, 2, 22, 30, tzinfo=UTC)
    due = {
        u: deadline("eu-2023-977", u, arrived, "Europe/Brussels")
        for u in ("urgent-direct", "urgent-indirect", "standard")
    }
    assert due["urgent-direct"] == dt.datetime(2026, 3, 3, 6, 30, tzinfo=UTC)
    assert due["urgent-indirect"] == dt.datetime(2026, 3, 5, 22, 30, tzinfo=UTC)
    assert due["standard"] == dt.datetime(2026, 3, 9, 22, 30, tzinfo=UTC)


def test_days_are_calendar_days_where_the_answer_is_given() -> None:
    # 10:00 in Brussels on 22 October (summer time) is due 10:00 on 29 October (winter time):
    # one hour later in UTC than seven times 24 hours
    arrived = dt.datetime(2026, 10, 22, 8, 0, tzinfo=UTC)
    due = deadline("eu-2023-977", "standard", arrived, "Europe/Brussels")
    assert due == dt.datetime(2026, 10, 29, 9, 0, tzinfo=UTC)
    # the eight hours are eight hours, whatever the clocks on the wall do
    night = dt.datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert deadline(
        "eu-2023-977", "urgent-direct", night, "Europe/Brussels"
    ) == night + dt.timedelta(hours=8)
    # the same moment answered in London: the zone changes, the calendar rule does not
    assert deadline("eu-uk-tca", "standard", arrived, "Europe/London") == dt.datetime(
        2026, 11, 5, 9, 0, tzinfo=UTC
    )


def test_an_unknown_basis_or_urgency_is_refused_with_the_known_ones() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidValue, match="use one of eu-2023-977, eu-uk-tca"):
        deadline("gdpr", "standard", now, "UTC")
    with pytest.raises(InvalidValue, match="urgent-direct, urgent-indirect, standard"):
        deadline("eu-2023-977", "soon", now, "UTC")


def test_a_request_runs_its_course_and_turns_overdue(store: Store) -> None:
    side = make_side(store, BE, [GB], keys=False)
    analyst = side.subject("analyst")
    clock = FixedClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    new = NewRequest("in", GB.id, "NCA/2026/0042", "eu-uk-tca", "urgent-direct", "Ion Popescu?")
    with store.transaction() as conn:
        urgent = register_request(conn, analyst, new, clock=clock)
        slow = register_request(
            conn,
            analyst,
            NewRequest("in", GB.id, "NCA/2026/0043", "eu-uk-tca", "standard", "a boat"),
            clock=clock,
        )
        with pytest.raises(Conflict, match="registered already"):
            register_request(conn, analyst, new, clock=clock)
    assert urgent.due_at == dt.datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    clock.advance(dt.timedelta(hours=9))
    with store.transaction() as conn:
        listed = due_requests(conn, analyst, within=dt.timedelta(days=1), clock=clock)
        assert [(r.reference, r.status(clock.now())) for r in listed] == [
            ("NCA/2026/0042", "overdue")
        ]
        assert [r.id for r in due_requests(conn, analyst, clock=clock)] == [urgent.id, slow.id]
        set_state(conn, analyst, urgent.id, "in_progress", clock=clock)
        with pytest.raises(InvalidValue, match="needs its reason"):
            set_state(conn, analyst, urgent.id, "refused", clock=clock)
        set_state(conn, analyst, urgent.id, "refused", reason="art. 6(1)(a): would harm an inquiry")
        with pytest.raises(InvalidValue, match="is refused; next: none"):
            set_state(conn, analyst, urgent.id, "answered")
        assert [r.id for r in due_requests(conn, analyst, clock=clock)] == [slow.id]


def test_the_summary_is_shown_only_with_a_logged_consultation(store: Store) -> None:
    side = make_side(store, BE, [GB], keys=False)
    analyst = side.subject("analyst")
    new = NewRequest("out", GB.id, "BE-1", "eu-2023-977", "standard", "who is Ion Popescu?")
    with store.transaction() as conn:
        made = register_request(conn, analyst, new)
        assert made.time_zone == "Europe/London"  # the partner answers: its calendar counts
        _, summary = show_request(conn, analyst, made.id, "JIT 17")
        entry = last_entry(conn)
    assert summary == "who is Ion Popescu?"
    assert (entry.action, json.loads(entry.target), entry.justification) == (
        "consultation",
        {"request": made.id},
        "JIT 17",
    )


def test_only_roles_that_send_register_requests(store: Store) -> None:
    side = make_side(store, BE, [GB], keys=False)
    new = NewRequest("in", GB.id, "X", "eu-2023-977", "standard", "s")
    with store.transaction() as conn, pytest.raises(AccessDenied, match="may not register"):
        register_request(conn, side.subject("admin"), new)
