"""The network of a small demo world: accuracy against the truth, stability, evidence, exports."""

from __future__ import annotations

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig
from followthemoney import model as ftm_model
from sqlalchemy import Connection

from crosslink.graph import (
    BuildOptions,
    PathOptions,
    brokers,
    build_network,
    detect_networks,
    ego_network,
    export_network,
    shortest_paths,
)
from crosslink.graph.evaluate import evaluate
from tests.graph.conftest import GraphWorld

# Measured on this world (seed 11, scale 2000, eight networks): ARI 0.89, NMI 0.89, 9 of 16
# leaders among the top-10 key players. The bounds leave room for harmless changes.
MIN_ARI, MIN_NMI, MIN_LEADER_SHARE = 0.75, 0.75, 0.3


def test_recovered_networks_match_the_true_ones(
    graph_world: GraphWorld, world_conn: Connection
) -> None:
    network = build_network(world_conn, None)
    detected, _ = detect_networks(network)
    accuracy = evaluate(network, detected, graph_world.truth, graph_world.members())
    assert accuracy.true_networks == 8
    assert accuracy.members_seen > 200
    assert accuracy.ari >= MIN_ARI
    assert accuracy.nmi >= MIN_NMI
    assert accuracy.leader_share >= MIN_LEADER_SHARE
    biggest = detected[0].summary
    assert biggest.persons >= 10 and biggest.victims and biggest.agencies
    assert biggest.countries and biggest.first and biggest.last
    assert biggest.key_players and biggest.edges > 0


def test_communities_are_stable_between_runs(world_conn: Connection) -> None:
    first = detect_networks(build_network(world_conn, None))[0]
    again = detect_networks(build_network(world_conn, None))[0]
    assert [d.id for d in first] == [d.id for d in again]
    assert [d.members for d in first] == [d.members for d in again]


def test_paths_carry_their_evidence(world_conn: Connection) -> None:
    network = build_network(world_conn, None)
    detected, membership = detect_networks(network)
    members = detected[0].members
    far = max(members, key=lambda v: len(network.graph().get_shortest_path(members[0], v)))
    a, b = network.nodes[members[0]].id, network.nodes[far].id
    paths = shortest_paths(network, a, b, PathOptions(k=3))
    assert paths and paths[0].length >= 2
    assert [p.length for p in paths] == sorted(p.length for p in paths)
    for path in paths:
        assert path.nodes[0] == members[0] and path.nodes[-1] == far
        for hop in path.hops:
            assert hop.evidence and hop.weight > 0
            for evidence in hop.evidence:
                assert evidence.records and evidence.sources and evidence.handling_codes
                assert evidence.agencies and evidence.count >= 1
    ego = ego_network(network, a, 1)
    assert ego.nodes[0].id == a and len(ego.nodes) == network.graph().degree(members[0]) + 1
    found = brokers(network, membership, top=10)
    assert all(b.communities or len(b.countries) > 1 for b in found)


def test_time_filters_drop_later_evidence(world_conn: Connection) -> None:
    everything = build_network(world_conn, None)
    dated = build_network(world_conn, None, BuildOptions(include_undated=False))
    early = build_network(
        world_conn, None, BuildOptions(as_of=dt.date(2022, 6, 30), include_undated=False)
    )
    window = build_network(
        world_conn,
        None,
        BuildOptions(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), include_undated=False),
    )
    assert len(early.edges) < len(dated.edges) <= len(everything.edges)
    for net, last_ok in ((early, "2022-06-30"), (window, "2023-12-31")):
        for edge in net.edges:
            for evidence in edge.kinds.values():
                assert evidence.first is not None and evidence.first <= last_ok
    assert early.report.filtered_by_date > 0


def test_exports_parse_back(world_conn: Connection, tmp_path: Path) -> None:
    network = build_network(world_conn, None)
    detected, _ = detect_networks(network)
    sub = network.subnetwork(detected[0].members)
    for fmt in ("graphml", "gexf", "ftm", "csv", "svg", "png"):
        export_network(sub, tmp_path / f"n.{fmt}", fmt)
    graph = ig.Graph.Read_GraphML(str(tmp_path / "n.graphml"))
    assert (graph.vcount(), graph.ecount()) == (len(sub.nodes), len(sub.edges))
    assert set(graph.vs["name"]) == {n.id for n in sub.nodes}
    assert all(graph.es["kinds"]) and all(graph.es["sources"])
    gexf = ET.parse(tmp_path / "n.gexf").getroot()
    ns = {"g": "http://gexf.net/1.3"}
    assert len(gexf.findall(".//g:node", ns)) == len(sub.nodes)
    assert len(gexf.findall(".//g:edge", ns)) == len(sub.edges)
    lines = (tmp_path / "n.ftm").read_text(encoding="utf-8").splitlines()
    schemata = set()
    for line in lines:
        data = json.loads(line)
        schema = ftm_model.get(data["schema"])
        assert schema is not None
        schema.validate(data)
        proxy = ftm_model.get_proxy(data)
        schemata.add(proxy.schema.name)
        assert proxy.id
    assert "Person" in schemata and len(lines) > len(sub.nodes)
    with (tmp_path / "n.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(sub.edges)
    assert all(r["sources"] and r["handling_codes"] and r["records"] for r in rows)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    assert (tmp_path / "n.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "n.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
