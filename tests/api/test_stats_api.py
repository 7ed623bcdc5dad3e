"""The rapporteur's statistics over the API: aggregates only, protected, audited; never a
record, by any route."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select

from crosslink.access.audit import rows
from crosslink.store import Store
from crosslink.store.schema import record_values, records
from tests.api.helpers import Client

Make = Callable[[str | None], Client]


def _last_entries(store: Store, count: int) -> list[tuple[str, str, str]]:
    with store.transaction() as conn:
        found = [(e.actor, e.action, e.target) for e in rows(conn)]
    return found[-count:]


def test_the_rapporteur_builds_a_table_and_it_is_audited(client: Make, web_store: Store) -> None:
    rapporteur = client("rapporteur")
    response = rapporteur.get("/api/v1/stats/table", params={"by": ["year", "sex"]})
    assert response.status_code == 200, response.text
    table = response.json()
    assert table["disclosure"]["method"] == "suppress"
    assert table["resolve_run"] is not None
    total = next(m["count"] for m in table["margins"] if m["key"] == ["*", "*"])
    assert total > 0
    assert all(c["count"] is None or c["count"] == 0 or c["count"] >= 10 for c in table["cells"])
    actor, action, target = _last_entries(web_store, 1)[0]
    assert (actor, action) == ("rapporteur", "consultation")
    assert '"statistics":"table"' in target


def test_releases_keep_their_method_and_spend_the_budget(client: Make, web_store: Store) -> None:
    rapporteur = client("rapporteur")
    made = rapporteur.post(
        "/api/v1/stats/releases",
        json={"title": "Victims by year", "by": ["year"], "method": "dp", "epsilon": 0.5},
    )
    assert made.status_code == 201, made.text
    assert made.json()["disclosure"] == {"method": "dp", "epsilon": 0.5}
    too_much = rapporteur.post(
        "/api/v1/stats/releases",
        json={"title": "Again", "by": ["sex"], "method": "dp", "epsilon": 3.9},
    )
    assert too_much.status_code == 409
    assert "privacy budget" in too_much.json()["detail"]
    actor, action, target = _last_entries(web_store, 1)[0]
    assert (actor, action) == ("rapporteur", "denied") and '"title":"Again"' in target
    listed = rapporteur.get("/api/v1/stats/releases").json()
    assert [r["title"] for r in listed] == ["Victims by year"]
    assert listed[0]["epsilon"] == 0.5


def test_other_roles_are_refused_and_the_refusal_is_logged(client: Make, web_store: Store) -> None:
    response = client("investigator").get("/api/v1/stats/table", params={"by": ["year"]})
    assert response.status_code == 403
    assert "may not aggregate" in response.json()["detail"]
    actor, action, _ = _last_entries(web_store, 1)[0]
    assert (actor, action) == ("investigator", "denied")


def test_a_bad_request_says_why(client: Make) -> None:
    rapporteur = client("rapporteur")
    unknown = rapporteur.get("/api/v1/stats/table", params={"by": ["shoe_size"]})
    assert unknown.status_code == 422
    assert "unknown dimension 'shoe_size'" in unknown.json()["detail"]
    years = rapporteur.get("/api/v1/stats/table", params={"by": ["sex"], "years": "soon"})
    assert years.status_code == 422


def test_the_rapporteur_reaches_no_record_by_any_route(
    client: Make, app: FastAPI, web_store: Store
) -> None:
    with web_store.transaction() as conn:
        sample = conn.execute(
            select(records.c.uid, record_values.c.original)
            .join(record_values, record_values.c.record_uid == records.c.uid)
            .where(records.c.schema == "Person", record_values.c.prop == "last_name")
            .limit(1)
        ).one()
    uid, surname = sample
    rapporteur = client("rapporteur")
    reached = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or set()):
            continue
        path = re.sub(r"\{[^}]+\}", uid, route.path)
        response = rapporteur.get(path, params={"q": surname, "justification": "test"})
        if response.status_code == 200 and (uid in response.text or surname in response.text):
            reached.append(path)
    assert reached == []
    # The same probe finds the record for a role that may see it: the probe can fail.
    control = client("analyst").get(
        "/api/v1/search", params={"q": surname, "justification": "test"}
    )
    assert control.status_code == 200
    assert surname in control.text
