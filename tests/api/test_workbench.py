"""The workbench through the real app: search lists people, the profile reads like a dossier
and exports as a logged disclosure, each role lands on its own home, the lists of agencies,
sources and permissions — and who may open what."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

from fastapi import FastAPI
from sqlalchemy import func, select

from crosslink.access.directory import load_subject
from crosslink.access.grants import PermissionGrant, grant_permission
from crosslink.access.schema import audit_log
from crosslink.resolve.schema import entity_members
from crosslink.store import Store
from crosslink.store.schema import record_values, records
from tests.api.helpers import Client

Make = Callable[..., Client]
WHY = "case BE-2024-17: workbench test"


def _store(app: FastAPI) -> Store:
    store: Store = app.state.services.store
    return store


def _police_person(app: FastAPI) -> tuple[str, str]:
    """(entity id, last name) of a person named by two or more police records."""
    m = entity_members.c
    with _store(app).engine.connect() as conn:
        entity_id = conn.execute(
            select(m.entity_id)
            .join(records, records.c.uid == m.record_uid)
            .where(records.c.source_id == "demo-be-police", records.c.schema == "Person")
            .group_by(m.entity_id)
            .having(func.count() >= 2)
            .order_by(m.entity_id)
            .limit(1)
        ).scalar_one()
        last = conn.execute(
            select(record_values.c.original)
            .join(entity_members, entity_members.c.record_uid == record_values.c.record_uid)
            .where(m.entity_id == entity_id, record_values.c.prop == "last_name")
            .limit(1)
        ).scalar_one()
    return str(entity_id), str(last)


def _justified(client: Client) -> Client:
    answer = client.post("/justification", data={"justification": WHY, "csrf": client.csrf})
    assert answer.status_code == 303, answer.text
    return client


def _last_entry(app: FastAPI) -> tuple[str, str, str | None]:
    with _store(app).engine.connect() as conn:
        e = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    return e.actor, e.action, e.justification


def test_search_page_lists_people_not_rows(client: Make, app: FastAPI) -> None:
    entity_id, last = _police_person(app)
    analyst = _justified(client("analyst"))
    html = analyst.get("/search", params={"q": last, "kind": "name"}).text
    refs = re.findall(r'<a href="/entities/([^"]+)" class="hit">', html)
    assert entity_id in refs
    assert len(refs) == len(set(refs)), "one row per entity"
    assert "born" in html and "Sources" in html


def test_profile_is_a_dossier_with_an_audited_export(client: Make, app: FastAPI) -> None:
    entity_id, _ = _police_person(app)
    analyst = _justified(client("analyst"))
    html = analyst.get(f"/entities/{entity_id}").text
    assert "Who this is" in html and 'class="summary"' in html
    records_shown = html.count('<details class="record"')
    assert records_shown >= 2 and '<details class="record" open' not in html
    assert "Legal category: unknown" not in html
    assert f'href="/entities/{entity_id}/export?format=csv"' in html
    exported = analyst.get(f"/entities/{entity_id}/export", params={"format": "csv"})
    assert exported.status_code == 200
    assert exported.headers["content-disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["section"] for r in rows} >= {"summary", "record"}
    assert _last_entry(app) == ("analyst", "disclosure", WHY)
    api = analyst.get(
        f"/api/v1/entities/{entity_id}/export", params={"format": "json", "justification": WHY}
    )
    assert api.status_code == 200 and json.loads(api.text)["entity_id"] == entity_id
    # without a reason, nothing leaves
    bare = client("analyst").get(f"/api/v1/entities/{entity_id}/export")
    assert bare.status_code == 422


def test_every_role_lands_on_its_work(client: Make, app: FastAPI) -> None:
    expected = {
        "analyst": ["/search", "/review", "list-recent_runs"],
        "inspector": ["/import", "list-my_feedback", "list-my_batches"],
        "municipal": ["/import", "list-my_feedback"],
        "caseworker": ["/search", "list-my_victims"],
        "rapporteur": ["/stats", "stats"],
        "admin": ["/admin/users", "/agencies", "/sources", "/permissions", "/admin/audit"],
    }
    for who, marks in expected.items():
        html = client(who).get("/").text
        for mark in marks:
            assert f'"{mark}"' in html, (who, mark)
        assert 'action="/tokens"' not in html  # the account is a page of its own
    # the menu links /stats for every role that may aggregate (the analyst too); the tile and
    # the dashboard are the rapporteur's
    analyst_home = client("analyst").get("/").text
    assert 'class="tile" href="/stats"' not in analyst_home
    assert "table-stats" not in analyst_home and 'class="stats"' not in analyst_home
    assert "tokens" in client("analyst").get("/account").text.lower()


def test_a_caseworkers_victims_need_a_reason_and_are_logged(client: Make, app: FastAPI) -> None:
    caseworker = client("caseworker")
    first = caseworker.get("/").text
    assert "give the reason you consult them" in first
    assert 'href="/entities/' not in first.split('id="list-my_victims"')[1]
    again = _justified(caseworker).get("/").text.split('id="list-my_victims"')[1]
    shown = re.findall(r'href="/entities/([^"]+)"', again)
    assert shown
    assert _last_entry(app)[1:] == ("consultation", WHY)


def test_agencies_sources_and_permissions(client: Make, app: FastAPI) -> None:
    admin = client("admin")
    assert "be-police" in admin.get("/agencies").text
    sources = admin.get("/sources").text
    assert "demo-be-police" in sources and "demo-nl-ftm" in sources
    assert "nl-police" not in client("inspector").get("/permissions").text
    with _store(app).transaction() as conn:
        grant_permission(
            conn,
            load_subject(conn, "inspector"),
            PermissionGrant("disseminate", "be-inspection", "nl-police"),
        )
    assert "nl-police" in client("inspector").get("/permissions").text
    assert "nl-police" in admin.get("/permissions").text
    # an agency the permission does not bind does not see it
    assert "nl-police" not in client("caseworker").get("/permissions").text


def test_pages_need_a_login(client: Make) -> None:
    anonymous = client()
    for path in ("/", "/agencies", "/sources", "/permissions", "/entities/E0/export"):
        answer = anonymous.get(path)
        assert answer.status_code in (303, 401), path
        assert "be-police" not in answer.text
