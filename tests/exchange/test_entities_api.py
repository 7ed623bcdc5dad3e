"""``GET /api/v1/entities/export`` through an in-process client, on both store backends."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crosslink.access import SystemClock, issue_token, load_subject
from crosslink.api import create_app
from crosslink.settings import Settings
from tests.api.helpers import Client
from tests.exchange.conftest import World

URL = "/api/v1/entities/export"


@pytest.fixture
def clients(world: World, tmp_path: Path) -> Iterator[dict[str, Client]]:
    app = create_app(Settings(data_dir=tmp_path, demo=True), store=world.store)
    made = {name: Client(app) for name in ("analyst", "inspector", "rapporteur", "anonymous")}
    for name, client in made.items():
        if name != "anonymous":
            client.login(name)
    yield made
    for client in made.values():
        client.close()


def _last_entry(world: World) -> tuple[str, str, str | None]:
    entry = world.last_entry()
    return entry.action, entry.actor, entry.justification


def _csv(text: str) -> dict[str, dict[str, str]]:
    return {line["source_key"]: line for line in csv.DictReader(io.StringIO(text))}


def test_csv_and_parquet_under_the_policy(clients: dict[str, Client], world: World) -> None:
    params = {"type": "Person", "justification": "JIT 4/2026"}
    response = clients["analyst"].get(URL, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="entities-Person.csv"' in response.headers["content-disposition"]
    rows = _csv(response.text)
    assert set(rows) == {"P1", "P2", "'=1+2", "I-7", "I-8"}
    assert rows["I-7"]["entity_id"] == rows["P1"]["entity_id"] == world.entity_of("P1")
    assert _last_entry(world) == ("disclosure", "analyst", "JIT 4/2026")

    response = clients["inspector"].get(URL, params={**params, "format": "parquet"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content)).to_pylist()
    assert {r["source_key"] for r in table} == {"I-7", "I-8"}
    assert {r["record_uid"] for r in table} == {world.uids["I-7"], world.uids["I-8"]}
    assert _last_entry(world) == ("disclosure", "inspector", "JIT 4/2026")


def test_refusals_are_problems_and_stay_in_the_audit_log(
    clients: dict[str, Client], world: World
) -> None:
    response = clients["anonymous"].get(URL, params={"type": "Person", "justification": "x"})
    assert response.status_code == 401
    response = clients["rapporteur"].get(URL, params={"type": "Person", "justification": "x"})
    assert response.status_code == 403
    assert "may not export" in response.json()["detail"]
    assert _last_entry(world)[:2] == ("denied", "rapporteur")
    response = clients["analyst"].get(URL, params={"type": "Person"})
    assert response.status_code == 422
    assert _last_entry(world)[:2] == ("denied", "analyst")
    for params in ({"type": "Car"}, {"type": "Person", "format": "xlsx"}):
        response = clients["analyst"].get(URL, params={**params, "justification": "x"})
        assert response.status_code == 422, params


def test_a_token_needs_the_export_scope(clients: dict[str, Client], world: World) -> None:
    with world.store.transaction() as conn:
        analyst = load_subject(conn, "analyst")
        reader = issue_token(conn, analyst, "reader", {"records:read"}, SystemClock())
        exporter = issue_token(conn, analyst, "exporter", {"records:export"}, SystemClock())
    params = {"type": "Person", "justification": "x", "source": "be-inspection"}
    client = clients["anonymous"]
    denied = client.get(URL, params=params, headers={"Authorization": f"Bearer {reader}"})
    assert denied.status_code == 403
    allowed = client.get(URL, params=params, headers={"Authorization": f"Bearer {exporter}"})
    assert allowed.status_code == 200, allowed.text
    assert set(_csv(allowed.text)) == {"I-7", "I-8"}
