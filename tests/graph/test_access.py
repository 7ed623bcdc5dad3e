"""Access: a user sees only the nodes and ties behind records they may see, and the analytics
differ accordingly; every view is logged. On both backends, with a hand-made store:

    A --(s-be)-- B          A --(s-nl, H2)-- H --(s-nl, H2)-- C

H is an H2 record of the Dutch police: the Belgian analyst may not see it, so for her there is
no path from A to C at all, and A has one tie, not two.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import igraph as ig
import pytest
from sqlalchemy import Connection, select
from typer.testing import CliRunner

from crosslink.access.schema import audit_log
from crosslink.cli import app
from crosslink.errors import JustificationRequired
from crosslink.graph import (
    build_network,
    centrality,
    log_network_access,
    shortest_paths,
)
from crosslink.graph.errors import UnknownNode
from crosslink.store import Store
from crosslink.store.schema import links, record_values
from tests.access.helpers import (
    T0,
    RecordSpec,
    insert_records,
    make_agency,
    make_batch,
    make_source,
    make_user,
    uid_of,
)

A, B, C, H = (uid_of("person", x) for x in "ABCH")
NAMES = {A: "Anton Alpha", B: "Berta Beta", C: "Carl Gamma", H: "Hidden Hendrik"}


def _link(conn: Connection, source_id: str, batch: int, ends: Sequence[str], code: str) -> None:
    conn.execute(
        links.insert().values(
            uid=uid_of("link", *ends),
            source_id=source_id,
            batch_id=batch,
            link_type="associate",
            source_uid=ends[0],
            target_uid=ends[1],
            file_name=f"{source_id}.csv",
            row_number=2,
            handling_code=code,
            source_grade="B",
            info_grade="2",
            start_date="2024-03-01",
            created_at=T0,
        )
    )


def _world(conn: Connection) -> None:
    make_agency(conn, "fedpol", "police")
    make_agency(conn, "nlpol", "police")
    make_user(conn, "ana", "fedpol", ["analyst"])
    make_user(conn, "nina", "nlpol", ["analyst"])
    make_source(conn, "s-be", "fedpol")
    make_source(conn, "s-nl", "nlpol")
    be, nl = make_batch(conn, "s-be", "ana"), make_batch(conn, "s-nl", "nina")
    insert_records(
        conn,
        [
            RecordSpec(A, "s-be", be, row_number=2),
            RecordSpec(B, "s-be", be, row_number=3),
            RecordSpec(C, "s-be", be, row_number=4),
            RecordSpec(H, "s-nl", nl, handling_code="H2"),
        ],
    )
    conn.execute(
        record_values.insert(),
        [
            {"record_uid": uid, "prop": "name", "idx": 0, "original": name, "cleaned": name}
            for uid, name in NAMES.items()
        ],
    )
    _link(conn, "s-be", be, (A, B), "H0")
    _link(conn, "s-nl", nl, (A, H), "H2")
    _link(conn, "s-nl", nl, (H, C), "H2")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's data directory (its network cache) in the test's own directory."""
    monkeypatch.setenv("CROSSLINK_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def world(store: Store) -> Store:
    with store.transaction() as conn:
        _world(conn)
    return store


def test_hidden_record_gives_no_node_no_tie_no_path(world: Store) -> None:
    from crosslink.access import load_subject

    with world.transaction() as conn:
        ana, nina = load_subject(conn, "ana"), load_subject(conn, "nina")
        full = build_network(conn, nina)
        seen = build_network(conn, ana)
    assert {n.label for n in full.nodes} == set(NAMES.values())
    assert [len(p.hops) for p in shortest_paths(full, A, C)] == [2]
    assert "Hidden Hendrik" not in {n.label for n in seen.nodes}
    assert H not in seen.records() and H in full.records()
    assert all(H not in e.records() for e in seen.edges)
    assert shortest_paths(seen, A, C) == []
    with pytest.raises(UnknownNode) as hidden:
        seen.find(H)
    with pytest.raises(UnknownNode) as missing:
        seen.find("f" * 32)
    assert str(hidden.value).replace(H, "X") == str(missing.value).replace("f" * 32, "X")
    a_full, a_seen = full.find(A), seen.find(A)
    assert centrality(full.graph()).degree[a_full] == 2
    assert centrality(seen.graph()).degree[a_seen] == 1
    assert centrality(full.graph()).betweenness[a_full] > 0
    assert centrality(seen.graph()).betweenness[a_seen] == 0


def test_views_are_logged_with_a_justification(world: Store) -> None:
    from crosslink.access import load_subject

    with world.transaction() as conn:
        ana = load_subject(conn, "ana")
        network = build_network(conn, ana)
        with pytest.raises(JustificationRequired):
            log_network_access(conn, ana, network.records(), what={}, justification=" ")
        log_network_access(
            conn, ana, network.records(), what={"query": "test"}, justification="case 7"
        )
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "consultation"
    assert A in last.target and H not in last.target and last.justification == "case 7"


def _run(store: Store, *args: str) -> tuple[int, str]:
    url = store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--database-url", url, "network", *args])
    return result.exit_code, result.output + str(result.exception or "")


def test_cli_network_commands(world: Store, tmp_path: Path) -> None:
    code, out = _run(world, "path", A, C, "--as", "ana")
    assert code != 0 and "justification" in out
    code, out = _run(world, "path", A, C, "--as", "ana", "-j", "case 7")
    assert code == 0 and "no path" in out, out
    code, out = _run(world, "path", A, C, "--as", "nina", "-j", "case 7")
    assert code == 0 and "2 hops" in out and "Hidden Hendrik" in out and "s-nl" in out, out
    code, out = _run(world, "ego", A, "--as", "ana", "-j", "case 7", "--hops", "2")
    assert code == 0 and "Berta Beta" in out and "Hidden" not in out, out
    code, out = _run(world, "list", "--as", "nina", "-j", "case 7", "--min-persons", "1")
    assert code == 0 and "\nN" in out, out
    network_id = next(
        line.split()[0] for line in out.splitlines() if line.startswith("N") and "\t" in line
    )
    code, out = _run(
        world, "show", network_id, "--as", "nina", "-j", "case 7", "--min-persons", "1"
    )
    assert code == 0 and "key player" in out and "member" in out, out
    target = tmp_path / "ego.graphml"
    code, out = _run(
        world,
        "export",
        "--ego",
        A,
        "--hops",
        "2",
        "-f",
        "graphml",
        "-o",
        str(target),
        "--as",
        "ana",
        "-j",
        "JIT request",
        "--recipient",
        "NL police",
    )
    assert code == 0, out
    graph = ig.Graph.Read_GraphML(str(target))
    assert sorted(graph.vs["label"]) == ["Anton Alpha", "Berta Beta"]
    with world.transaction() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "disclosure" and "NL police" in last.recipients
