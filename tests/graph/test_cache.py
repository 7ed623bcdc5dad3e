"""The network cache: one entry per store state and policy view, never another user's view.

On both backends, with the hand-made store of ``test_access`` (H is an H2 record of the Dutch
police that the Belgian analyst ana may not see; nina may).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Connection

from crosslink.access import load_subject
from crosslink.graph import Network, build_network
from crosslink.graph.cache import SUFFIX, NetworkCache
from crosslink.graph.errors import NetworkBuilding
from crosslink.store import Store
from crosslink.store.schema import record_values
from tests.access.helpers import RecordSpec, insert_records, make_batch, make_source, uid_of
from tests.graph.test_access import A, H, _link, _world


@pytest.fixture
def world(store: Store) -> Store:
    with store.transaction() as conn:
        _world(conn)
    return store


def _shape(network: Network) -> tuple[list[str], list[tuple[str, str, list[str]]], set[str]]:
    """Node ids, ties with the records behind them, and every record: what a reader sees."""
    ties = [
        (network.nodes[e.a].id, network.nodes[e.b].id, sorted(e.records())) for e in network.edges
    ]
    return [n.id for n in network.nodes], ties, network.records()


def test_a_cached_view_is_the_view_the_policy_gives(world: Store, tmp_path: Path) -> None:
    cache = NetworkCache(tmp_path)
    with world.transaction() as conn:
        ana, nina = load_subject(conn, "ana"), load_subject(conn, "nina")
        # nina's wider view is cached first: ana must not be handed it.
        wide = cache.get(conn, nina)
        narrow = cache.get(conn, ana)
        assert cache.get(conn, ana) is narrow and cache.get(conn, nina) is wide
        assert _shape(narrow.network) == _shape(build_network(conn, ana))
        assert _shape(wide.network) == _shape(build_network(conn, nina))
    assert H in wide.network.records() and H not in narrow.network.records()
    assert len(list(tmp_path.glob(f"*{SUFFIX}"))) == 2


def test_an_entry_on_disk_is_read_not_rebuilt(
    world: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with world.transaction() as conn:
        ana = load_subject(conn, "ana")
        first = NetworkCache(tmp_path).get(conn, ana)
        caplog.set_level(logging.INFO, logger="crosslink.graph.build")
        again = NetworkCache(tmp_path).get(conn, ana)  # another process, the same directory
    assert not [r for r in caplog.records if "network built" in r.getMessage()]
    assert again is not first and _shape(again.network) == _shape(first.network)
    assert again.detections.keys() == first.detections.keys()


def _add_record(conn: Connection) -> str:
    new = uid_of("person", "N")
    make_source(conn, "s-be-2", "fedpol")
    batch = make_batch(conn, "s-be-2", "ana")
    insert_records(conn, [RecordSpec(new, "s-be-2", batch, row_number=9)])
    conn.execute(
        record_values.insert().values(
            record_uid=new, prop="name", idx=0, original="Nora New", cleaned="Nora New"
        )
    )
    _link(conn, "s-be-2", batch, (A, new), "H0")
    return new


def test_a_new_batch_gives_a_new_entry_and_the_old_one_is_deleted(
    world: Store, tmp_path: Path
) -> None:
    cache = NetworkCache(tmp_path)
    with world.transaction() as conn:
        ana = load_subject(conn, "ana")
        before = cache.get(conn, ana)
        old_files = set(tmp_path.glob(f"*{SUFFIX}"))
        new = _add_record(conn)
        after = cache.get(conn, ana)
    assert new not in before.network.records() and new in after.network.records()
    assert "Nora New" in {n.label for n in after.network.nodes}
    files = set(tmp_path.glob(f"*{SUFFIX}"))
    assert len(files) == 1 and not files & old_files


def test_an_unreadable_entry_is_rebuilt(world: Store, tmp_path: Path) -> None:
    with world.transaction() as conn:
        ana = load_subject(conn, "ana")
        first = NetworkCache(tmp_path).get(conn, ana)
        (entry,) = tmp_path.glob(f"*{SUFFIX}")
        entry.write_bytes(b"not a pickle")
        again = NetworkCache(tmp_path).get(conn, ana)
    assert _shape(again.network) == _shape(first.network)


def test_a_build_apart_answers_within_its_budget_and_is_kept(world: Store, tmp_path: Path) -> None:
    # No budget: the request is answered at once (the build needs queries, this needs none).
    cache = NetworkCache(tmp_path, apart=world, budget=0.0)
    with world.engine.connect() as conn, conn.begin():
        ana = load_subject(conn, "ana")
        with pytest.raises(NetworkBuilding, match="being built"):
            cache.get(conn, ana)
        cache.budget = 60.0  # the next request waits for the build already under way
        built = cache.get(conn, ana)
        assert cache.get(conn, ana) is built
        assert _shape(built.network) == _shape(build_network(conn, ana))
    assert H not in built.network.records()
