"""The caseworker's desk through the real app (in-process ASGI client, session and CSRF), on
both backends: the desk's deadlines, the referral page, a step, consent given and withdrawn,
hostile text escaped, refusals logged."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from crosslink.access.schema import audit_log
from crosslink.api import create_app
from crosslink.clock import FixedClock
from crosslink.referral import Move, NewReferral, move, open_referral
from crosslink.settings import Settings
from crosslink.store import Store
from tests.api.helpers import Client
from tests.referral.world import PASSWORD, T0, World, make_world

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def desk(store: Store, tmp_path: Path) -> Iterator[tuple[World, FixedClock, int, Client]]:
    w, clock = make_world(store), FixedClock(T0)
    with store.transaction() as conn:
        rid = open_referral(conn, w.payoke, NewReferral(w.be_victim, "BE", "payoke"), clock=clock)
        docs = {"left_environment": HOSTILE, "support_accepted": "form 2"}
        move(conn, w.payoke, rid, Move("accept", docs, reason=HOSTILE), clock=clock)
    clock.advance(dt.timedelta(days=44))
    app = create_app(Settings(data_dir=tmp_path), store=store, clock=clock)
    client = _justified(Client(app).login("ann", PASSWORD), "support")
    try:
        yield w, clock, rid, client
    finally:
        client.close()


def _justified(client: Client, why: str) -> Client:
    """Give the session's justification through its form, as a user does."""
    answer = client.request(
        "POST", "/justification", data={"csrf": client.csrf, "justification": why, "next": "/"}
    )
    assert answer.status_code == 303, answer.text
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_desk_lists_my_deadlines(desk: tuple[World, FixedClock, int, Client]) -> None:
    _, _, rid, client = desk
    page = client.get("/desk")
    assert page.status_code == 200, page.text
    assert f'href="/referrals/{rid}"' in page.text
    assert "Reflection period ends" in page.text and "2026-02-15" in page.text
    assert "due soon" in page.text


def test_the_referral_page_escapes_and_moves(
    desk: tuple[World, FixedClock, int, Client], store: Store
) -> None:
    _, _, rid, client = desk
    page = client.get(f"/referrals/{rid}")
    assert page.status_code == 200, page.text
    assert HOSTILE not in page.text and "&lt;script&gt;" in page.text
    assert (
        'value="statement"' in page.text and 'name="doc_kind" value="phase2_document"' in page.text
    )
    form = {
        "csrf": _csrf(page.text),
        "transition": "statement",
        "doc_kind": ["statement", "phase2_document"],
        "doc_ref": ["PV 2026/77", "OE-1"],
        "reason": "complaint made",
    }
    moved = client.request("POST", f"/referrals/{rid}/move", data=form)
    assert moved.status_code == 200, moved.text
    assert "Phase 2: document valid up to 3 months" in moved.text
    without_csrf = client.request("POST", f"/referrals/{rid}/move", data={**form, "csrf": ""})
    assert without_csrf.status_code == 403


def test_consent_given_and_withdrawn_in_the_page(
    desk: tuple[World, FixedClock, int, Client],
) -> None:
    w, _, rid, client = desk
    page = client.get(f"/referrals/{rid}")
    given = client.request(
        "POST",
        f"/referrals/{rid}/consent",
        data={
            "csrf": _csrf(page.text),
            "record_uid": w.be_victim,
            "recipient": "kind:police",
            "purpose": "investigation",
            "reference": "form 9",
        },
    )
    assert given.status_code == 303
    page = client.get(f"/referrals/{rid}")
    assert "kind:police" in page.text and "investigation" in page.text
    action = re.search(r'action="(/referrals/\d+/consents/\d+/withdraw)"', page.text)
    assert action is not None
    gone = client.request("POST", action.group(1), data={"csrf": _csrf(page.text)})
    assert gone.status_code == 303
    page = client.get(f"/referrals/{rid}")
    assert "/withdraw" not in page.text


def test_another_centre_is_refused_and_the_refusal_logged(
    desk: tuple[World, FixedClock, int, Client], store: Store, tmp_path: Path
) -> None:
    _, clock, rid, _ = desk
    app = create_app(Settings(data_dir=tmp_path), store=store, clock=clock)
    other = _justified(Client(app).login("pia", PASSWORD), "curious")
    try:
        page = other.get(f"/referrals/{rid}")
        assert page.status_code == 403
        assert "own centre" in page.text
        desk_page = other.get("/desk")
        assert f"/referrals/{rid}" not in desk_page.text
    finally:
        other.close()
    with store.engine.connect() as conn:
        denied = (
            conn.execute(select(audit_log.c.actor).where(audit_log.c.action == "denied"))
            .scalars()
            .all()
        )
    assert "pia" in denied


def test_the_json_api(desk: tuple[World, FixedClock, int, Client], store: Store) -> None:
    _, _, rid, client = desk
    listed = client.get("/api/v1/referrals")
    assert listed.status_code == 200, listed.text
    assert [r["id"] for r in listed.json()] == [rid]
    due = client.get("/api/v1/referrals/due", params={"within_days": 7})
    assert [(c["referral_id"], c["status"]) for c in due.json()] == [(rid, "due")]
    assert client.get(f"/api/v1/referrals/{rid}").status_code == 422  # no justification
    one = client.get(f"/api/v1/referrals/{rid}", params={"justification": "support"})
    assert one.status_code == 200, one.text
    assert one.json()["summary"]["state"] == "reflection"
    assert {n["transition"] for n in one.json()["next_steps"]} == {"statement", "transfer", "close"}
    body = {"transition": "statement", "documents": {"statement": "PV 1", "phase2_document": "OE"}}
    made = client.post(f"/api/v1/referrals/{rid}/steps", json=body)
    assert (made.status_code, made.json()) == (201, {"state": "document_3_months"})
    again = client.post(f"/api/v1/referrals/{rid}/steps", json=body)
    assert again.status_code == 422 and "cannot be made" in again.text
    assert client.get("/api/v1/referrals/999").status_code == 404
