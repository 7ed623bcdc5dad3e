"""The network view's JSON API on SQLite and PostgreSQL: the ego network of an entity with the
evidence of each tie, filters, key players, the one access policy and the audit log.

The subjects are chosen from the data through the library (never hard-coded), so each
assertion can fail."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from crosslink.access import load_subject
from crosslink.access.filters import visible_records
from crosslink.access.schema import audit_log
from crosslink.graph import Network, build_network, detect_networks
from crosslink.store import Store
from crosslink.store.schema import records
from tests.api.helpers import Client

Make = Callable[..., Client]
WHY = "case BE-2024-17: network test"


def _store(app: FastAPI) -> Store:
    store = app.state.services.store
    assert isinstance(store, Store)
    return store


def _network(app: FastAPI, username: str) -> tuple[Network, set[str]]:
    """The network ``username`` may see, and the uids of the records they may view."""
    with _store(app).transaction() as conn:
        subject = load_subject(conn, username)
        network = build_network(conn, subject)
        visible = set(conn.execute(visible_records(subject)).scalars())
    return network, visible


def _busiest(network: Network) -> str:
    """The actor with the most ties (ties: the first in id order)."""
    degree = network.graph().degree()
    best = max(range(len(network.nodes)), key=lambda i: (degree[i], -i))
    return network.nodes[best].id


def _hidden_evidence(app: FastAPI, wider: str, narrower: str) -> tuple[str, str, str]:
    """(centre, other end, record uid): a tie both users see the ends of, whose evidence holds
    a record ``wider`` may see and ``narrower`` may not."""
    wide, _ = _network(app, wider)
    narrow, narrow_visible = _network(app, narrower)
    for edge in wide.edges:
        a, b = wide.nodes[edge.a].id, wide.nodes[edge.b].id
        hidden = sorted(edge.records() - narrow_visible)
        if a in narrow.index and b in narrow.index and hidden:
            return a, b, hidden[0]
    raise AssertionError(f"the demo world has no tie that {narrower} sees only in part")


def _view(who: Client, ref: str, **params: Any) -> dict[str, Any]:
    response = who.get(f"/api/v1/network/{ref}", params={"justification": WHY, **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _evidence_records(body: dict[str, Any]) -> set[str]:
    return {uid for edge in body["edges"] for ev in edge["evidence"] for uid in ev["records"]}


def test_ego_network_nodes_edges_evidence_and_audit(client: Make, app: FastAPI) -> None:
    network, visible = _network(app, "analyst")
    center = _busiest(network)
    body = _view(client("analyst"), center)
    ids = {node["id"] for node in body["nodes"]}
    assert body["center"] == center and center in ids
    assert [n["id"] for n in body["nodes"] if n["center"]] == [center]
    neighbours = {network.nodes[v].id for v in network.graph().neighbors(network.index[center])}
    assert ids == neighbours | {center}
    assert body["edges"], "the busiest actor has ties"
    for edge in body["edges"]:
        assert {edge["source"], edge["target"]} <= ids
        assert edge["evidence"] and set(edge["kinds"]) == {ev["kind"] for ev in edge["evidence"]}
        for ev in edge["evidence"]:
            assert ev["records"] and ev["sources"] and ev["handling_codes"]
    assert _evidence_records(body) <= visible
    assert set(body["kinds"]) == {k for e in body["edges"] for k in e["kinds"]}
    players = {n["id"] for n in body["nodes"] if n["key_player"]}
    # key players are those `crosslink network show` names, each detected network's
    named = {
        network.nodes[p.node].id for d in detect_networks(network)[0] for p in d.summary.key_players
    }
    assert players and players == named & ids
    # every actor has a place of its own in the server's layout
    assert len({(n["x"], n["y"]) for n in body["nodes"]}) == len(body["nodes"])
    assert all(n["kind"] in ("Person", "Organisation") for n in body["nodes"] if n["id"] in players)
    with _store(app).transaction() as conn:
        logged = conn.execute(
            select(audit_log.c.target).where(
                audit_log.c.actor == "analyst",
                audit_log.c.action == "consultation",
                audit_log.c.justification == WHY,
            )
        ).scalars()
        targets = [json.loads(t) for t in logged]
    shown = next(t for t in targets if t.get("query") == "network view")
    assert shown["subject"] == center and _evidence_records(body) <= set(shown["records"])


def test_needs_a_justification_and_unknown_or_hidden_is_404(client: Make, app: FastAPI) -> None:
    network, _ = _network(app, "analyst")
    analyst = client("analyst")
    center = _busiest(network)
    needs = analyst.get(f"/api/v1/network/{center}")
    assert needs.status_code == 422 and needs.json()["title"] == "Justification required"
    missing = analyst.get("/api/v1/network/Enot0a0real0id", params={"justification": WHY})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    caseworker_net, _ = _network(app, "caseworker")
    hidden = next(n.id for n in caseworker_net.nodes if n.id not in network.index)
    refused = analyst.get(f"/api/v1/network/{hidden}", params={"justification": WHY})
    assert refused.status_code == 404
    assert refused.json()["title"] == missing.json()["title"]
    assert _view(client("caseworker"), hidden)["center"] == hidden
    assert client().get(f"/api/v1/network/{center}").status_code == 401
    assert client("rapporteur").get(
        f"/api/v1/network/{center}", params={"justification": WHY}
    ).status_code in (403, 404)


def test_a_record_the_user_may_not_read_is_never_in_the_evidence(
    client: Make, app: FastAPI
) -> None:
    center, _, record = _hidden_evidence(app, "analyst", "inspector")
    wide = _view(client("analyst"), center)
    assert record in _evidence_records(wide)
    narrow = _view(client("inspector"), center)
    assert record not in _evidence_records(narrow)
    _, inspector_visible = _network(app, "inspector")
    assert _evidence_records(narrow) <= inspector_visible
    with _store(app).transaction() as conn:
        seen = set(conn.execute(select(records.c.uid).where(records.c.uid == record)).scalars())
    assert seen == {record}, "the record exists: it is hidden, not missing"


def test_filters_by_kind_agency_dates_and_hops(client: Make, app: FastAPI) -> None:
    network, _ = _network(app, "analyst")
    center = _busiest(network)
    analyst = client("analyst")
    everything = _view(analyst, center)
    kind = everything["kinds"][0]
    only = _view(analyst, center, kind=kind)
    assert only["edges"] and {k for e in only["edges"] for k in e["kinds"]} == {kind}
    assert len(only["edges"]) <= len(everything["edges"])
    agency = everything["agencies"][-1]
    by_agency = _view(analyst, center, agency=agency)
    for edge in by_agency["edges"]:
        assert all(agency in ev["agencies"] for ev in edge["evidence"])
    dated = sorted(ev["first"] for e in everything["edges"] for ev in e["evidence"] if ev["first"])
    cut = dated[len(dated) // 2]
    later = _view(analyst, center, start=cut)
    for edge in later["edges"]:
        for ev in edge["evidence"]:
            assert ev["last"] is None or ev["last"] >= cut
    wider = _view(analyst, center, hops=2)
    assert len(wider["nodes"]) >= len(everything["nodes"])
    assert {n["id"] for n in everything["nodes"]} <= {n["id"] for n in wider["nodes"]}
    bad_kind = analyst.get(
        f"/api/v1/network/{center}", params={"justification": WHY, "kind": "no_such_kind"}
    )
    assert bad_kind.status_code == 422 and bad_kind.json()["title"] == "Invalid network option"
    backwards = analyst.get(
        f"/api/v1/network/{center}",
        params={"justification": WHY, "start": "2024-01-02", "end": "2024-01-01"},
    )
    assert backwards.status_code == 422
    assert analyst.get(f"/api/v1/network/{center}", params={"hops": 9}).status_code == 422
