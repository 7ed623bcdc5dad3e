"""The requests page in headless Chromium: the analyst's agency's open requests by deadline,
an overdue one marked, a hostile reference shown as text, no summary on the page."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect
from sqlalchemy import select

from crosslink.access import load_subject
from crosslink.access.schema import agencies
from crosslink.exchange.requests import NewRequest, register_request
from crosslink.web.labels import EN
from tests.web.conftest import HOSTILE_NAME, Login, Served, shot

SUMMARY = "Is Ion Popescu known to you?"


def test_open_requests_by_deadline_with_the_overdue_marked(login: Login, served: Served) -> None:
    with served.store.transaction() as conn:
        analyst = load_subject(conn, "analyst")
        partner = conn.execute(
            select(agencies.c.id).where(agencies.c.id != analyst.agency_id).limit(1)
        ).scalar_one()
        two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
        late = NewRequest(
            "in", partner, HOSTILE_NAME, "eu-2023-977", "urgent-direct", SUMMARY, two_days_ago
        )
        register_request(conn, analyst, late)
        register_request(
            conn, analyst, NewRequest("out", partner, "BE-77", "eu-2023-977", "standard", SUMMARY)
        )
    page = login("analyst")
    page.click("header.top nav a:has-text('Requests')")
    expect(page.locator("h1")).to_have_text("Open requests")
    rows = page.locator("table.requests tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(3)).to_have_text(HOSTILE_NAME)  # escaped, as text
    expect(rows.nth(0).locator("td.status")).to_have_text("OVERDUE")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("BE-77")
    expect(rows.nth(1).locator("td.status")).to_have_text("received")
    assert SUMMARY not in page.content()
    shot(page, "exchange-requests")


def test_every_state_and_direction_has_its_label() -> None:
    keys = [f"requests.state.{s}" for s in ("received", "in_progress", "overdue")]
    keys += [f"requests.dir.{d}" for d in ("in", "out")]
    assert [k for k in keys if k not in EN] == []
