"""The JSON API in-process, on SQLite and PostgreSQL: login, the policy in every answer,
consultations logged with their justification, problem details, tokens, imports, review."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select

from crosslink.access.schema import audit_log
from crosslink.store import Store
from crosslink.store.schema import batches, record_values, records
from tests.api.helpers import Client

Make = Callable[..., Client]
WHY = "case BE-2024-17: test"


def _store(app: FastAPI) -> Store:
    store = app.state.services.store
    assert isinstance(store, Store)
    return store


def _reception_victim(app: FastAPI) -> tuple[str, str]:
    """(uid, last name) of a person from the reception centre's intakes (H2, victims)."""
    with _store(app).transaction() as conn:
        row = conn.execute(
            select(records.c.uid, record_values.c.original)
            .join(record_values, record_values.c.record_uid == records.c.uid)
            .where(
                records.c.source_id == "demo-be-reception",
                records.c.schema == "Person",
                record_values.c.prop == "last_name",
            )
            .order_by(records.c.uid)
            .limit(1)
        ).one()
    return str(row.uid), str(row.original)


def test_login_me_and_bad_password(client: Make) -> None:
    anonymous = client()
    refused = anonymous.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["title"] == "Authentication failed"
    wrong = anonymous.request(
        "POST", "/api/v1/session", json={"username": "analyst", "password": "wrong-password"}
    )
    assert wrong.status_code == 401 and wrong.json()["status"] == 401
    me = client("analyst").get("/api/v1/me").json()
    assert me["roles"] == ["analyst"] and me["capabilities"]["view_records"] is True
    assert client("rapporteur").get("/api/v1/me").json()["capabilities"] == {
        "view_records": False,
        "importing": False,
        "audit": False,
        "users": False,
    }


def _police_name(app: FastAPI) -> tuple[str, str]:
    """(first name, last name) of a person in the police reports (the analyst's agency)."""
    with _store(app).transaction() as conn:
        uid = conn.execute(
            select(records.c.uid)
            .where(records.c.source_id == "demo-be-police", records.c.schema == "Person")
            .order_by(records.c.uid)
            .limit(1)
        ).scalar_one()
        values = dict(
            conn.execute(
                select(record_values.c.prop, record_values.c.original).where(
                    record_values.c.record_uid == uid,
                    record_values.c.prop.in_(["first_name", "last_name"]),
                )
            ).all()
        )
    return str(values["first_name"]), str(values["last_name"])


def test_search_needs_a_justification_and_is_logged(client: Make, app: FastAPI) -> None:
    first, last = _police_name(app)
    analyst = client("analyst")
    needs = analyst.get("/api/v1/search", params={"q": last, "kind": "name"})
    assert needs.status_code == 422
    assert needs.json()["title"] == "Justification required"
    page = analyst.get("/api/v1/search", params={"q": f"{first} {last}", "justification": WHY})
    assert page.status_code == 200
    body = page.json()
    assert set(body) == {"items", "page", "per_page", "has_more", "total", "capped", "read_as"}
    assert body["items"] and "name" in body["read_as"]
    # one item per entity: no record is in two items, and each says who the person is
    refs = [h["ref"] for h in body["items"]]
    records = [u for h in body["items"] for u in h["records"]]
    assert len(refs) == len(set(refs)) and len(records) == len(set(records))
    person = next(h for h in body["items"] if h["schema"] == "Person")
    assert person["names"][0]["name"] == person["label"] and person["sources"]
    # the same name typed in capitals and in another order finds the same records
    again = analyst.get(
        "/api/v1/search", params={"q": f"{last.upper()}  {first}", "justification": WHY}
    ).json()
    assert {h["ref"] for h in again["items"]} == {h["ref"] for h in body["items"]}
    with _store(app).transaction() as conn:
        logged = conn.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.actor == "analyst", audit_log.c.justification == WHY)
        ).scalar_one()
    assert logged >= 2


def test_roles_see_what_the_policy_allows(client: Make, app: FastAPI) -> None:
    uid, name = _reception_victim(app)
    params = {"q": name, "kind": "name", "justification": WHY, "per_page": 100}
    seen = {
        who: {
            u
            for h in client(who).get("/api/v1/search", params=params).json()["items"]
            for u in h["records"]
        }
        for who in ("caseworker", "analyst", "rapporteur", "admin")
    }
    assert uid in seen["caseworker"]
    assert uid not in seen["analyst"]  # H2 victim intake of another agency, no consent
    assert seen["rapporteur"] == set() and seen["admin"] == set()
    refused = client("analyst").get(f"/api/v1/entities/{uid}", params={"justification": WHY})
    assert refused.status_code == 404
    assert refused.json()["detail"].startswith("no entity or record")


def test_profile_shows_provenance_links_and_timeline(client: Make, app: FastAPI) -> None:
    analyst = client("analyst")
    _, last = _police_name(app)
    hits = analyst.get(
        "/api/v1/search", params={"q": last, "kind": "name", "justification": WHY}
    ).json()["items"]
    person = next(h for h in hits if h["schema"] == "Person" and h["entity_id"])
    profile = analyst.get(f"/api/v1/entities/{person['entity_id']}", params={"justification": WHY})
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert body["entity_id"] == person["entity_id"]
    first = body["records"][0]
    for key in ("source_id", "file_name", "row_number", "batch_id", "handling_code"):
        assert first[key] not in (None, "")
    assert first["source_grade"] and first["info_grade"]
    assert body["links"] and body["timeline"]
    without = analyst.get(f"/api/v1/entities/{person['entity_id']}")
    assert without.status_code == 422
    assert without.json()["title"] == "Justification required"


def test_review_and_judge(client: Make, app: FastAPI) -> None:
    analyst = client("analyst")
    pairs = analyst.get("/api/v1/review", params={"justification": WHY, "limit": 5})
    assert pairs.status_code == 200
    items = pairs.json()
    assert items, "the resolved demo world has uncertain pairs"
    pair = items[0]
    assert pair["comparisons"] and "weight" in pair["comparisons"][0]
    body = {
        "left": pair["left"]["uid"],
        "right": pair["right"]["uid"],
        "verdict": "different",
        "reason": "different birth dates",
    }
    no_csrf = analyst.request("POST", "/api/v1/judgements", json=body)
    assert no_csrf.status_code == 403
    made = analyst.post("/api/v1/judgements", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["verdict"] == "different" and made.json()["author"] == "analyst"
    again = analyst.get("/api/v1/review", params={"justification": WHY, "limit": 5}).json()
    assert (pair["left"]["uid"], pair["right"]["uid"]) not in {
        (p["left"]["uid"], p["right"]["uid"]) for p in again
    }


def _small_police_file(world: Path, folder: Path, marker: str) -> Path:
    source = (world / "partners" / "be_police_reports.csv").read_text(encoding="utf-8-sig")
    lines = source.splitlines()
    header, row = lines[0], lines[1].split(";")
    row[8] = marker
    path = folder / "new_reports.csv"
    path.write_text("\n".join([header, ";".join(row)]) + "\n", encoding="utf-8")
    return path


def test_import_dry_run_then_commit(
    client: Make, app: FastAPI, world_dir: Path, tmp_path: Path
) -> None:
    path = _small_police_file(world_dir, tmp_path, "ZWARTEWEGHE")
    investigator = client("investigator")
    assert "demo-be-police" in {s["id"] for s in investigator.get("/api/v1/sources").json()}

    def send(dry_run: bool) -> dict[str, Any]:
        with path.open("rb") as handle:
            response = investigator.post(
                "/api/v1/imports",
                files={"file": ("new reports.csv", handle, "text/csv")},
                data={
                    "mapping": "demo-be-police",
                    "source_id": "demo-be-police",
                    "dry_run": str(dry_run).lower(),
                },
            )
        assert response.status_code == 200, response.text
        return dict(response.json())

    with _store(app).transaction() as conn:
        before = conn.execute(select(func.count()).select_from(batches)).scalar_one()
    dry = send(True)
    assert dry["dry_run"] is True and dry["rows_read"] == 1 and dry["batch_id"] is None
    with _store(app).transaction() as conn:
        assert conn.execute(select(func.count()).select_from(batches)).scalar_one() == before
    done = send(False)
    assert done["batch_id"] is not None and done["records_added"] >= 1
    found = investigator.get(
        "/api/v1/search", params={"q": "Zwarteweghe", "kind": "name", "justification": WHY}
    ).json()["items"]
    assert found
    caseworker = client("caseworker")
    with path.open("rb") as handle:
        refused = caseworker.post(
            "/api/v1/imports",
            files={"file": ("x.csv", handle, "text/csv")},
            data={"mapping": "demo-be-police", "source_id": "demo-be-police"},
        )
    assert refused.status_code == 403


def test_admin_users_and_audit(client: Make) -> None:
    admin = client("admin")
    names = {u["username"] for u in admin.get("/api/v1/users").json()}
    assert {"analyst", "caseworker", "rapporteur"} <= names
    made = admin.post(
        "/api/v1/users",
        json={
            "username": "new.analyst",
            "agency_id": "be-police",
            "roles": ["analyst"],
            "password": "a long enough password",
        },
    )
    assert made.status_code == 201, made.text
    entries = admin.get("/api/v1/audit", params={"target": "new.analyst"}).json()
    assert any(e["action"] == "administration" for e in entries)
    assert client("analyst").get("/api/v1/users").status_code == 403
    assert client("analyst").get("/api/v1/audit").status_code == 403
    off = admin.put("/api/v1/users/new.analyst/active", json={"active": False})
    assert off.status_code == 204
    assert (
        client()
        .request(
            "POST",
            "/api/v1/session",
            json={"username": "new.analyst", "password": "a long enough password"},
        )
        .status_code
        == 401
    )


def test_api_tokens(client: Make) -> None:
    analyst = client("analyst")
    issued = analyst.post("/api/v1/tokens", json={"name": "script", "scopes": ["records:read"]})
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    script = client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/me", headers=bearer).json()["username"] == "analyst"
    assert script.get("/api/v1/sources", headers=bearer).status_code == 403  # no import scope
    assert script.get("/api/v1/users", headers=bearer).status_code == 401  # sessions only
    token_id = analyst.get("/api/v1/tokens").json()[0]["id"]
    assert analyst.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    assert script.get("/api/v1/me", headers=bearer).status_code == 401


def test_problems_and_headers(client: Make) -> None:
    anonymous = client()
    missing = anonymous.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert json.loads(missing.text)["status"] == 404
    invalid = client("analyst").get("/api/v1/search", params={"q": "x", "per_page": 0})
    assert invalid.status_code == 422 and invalid.json()["errors"]
    page = anonymous.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert anonymous.get("/api/v1/openapi.json").json()["info"]["title"] == "Crosslink"
