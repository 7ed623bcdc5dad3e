"""Which scored pairs a run stores: enough to explain and connect every entity, no more."""

from __future__ import annotations

from itertools import combinations

from crosslink.resolve._kept import PER_RECORD, kept_edges
from crosslink.resolve._pairs import Edge
from tests.resolve.conftest import edges_within


def _connected(uids: set[str], edges: list[Edge]) -> bool:
    start = min(uids)
    seen, todo = {start}, [start]
    while todo:
        uid = todo.pop()
        for e in edges:
            for a, b in ((e.left, e.right), (e.right, e.left)):
                if a == uid and b not in seen:
                    seen.add(b)
                    todo.append(b)
    return seen == uids


def test_a_big_entity_keeps_a_connecting_forest_and_each_records_strongest_pairs() -> None:
    uids = [f"r{n:02d}" for n in range(12)]
    edges = [Edge(a, b, 0.95 + 0.0001 * (i % 7)) for i, (a, b) in enumerate(combinations(uids, 2))]
    members = dict.fromkeys(uids, "r00")
    kept = kept_edges(*edges_within(edges, members), 0.9, set(), set())
    stored = [edges[i] for i in kept]
    assert len(stored) < len(edges) // 2  # 66 pairs scored, the others explain nothing new
    assert _connected(set(uids), stored)
    for uid in uids:
        assert sum(uid in (e.left, e.right) for e in stored) >= PER_RECORD
    assert kept == sorted(kept)  # in the order given (the table's key order)


def _two_cliques_and_a_bridge() -> list[Edge]:
    """{a p q r} and {b s t u}, each pair strongly alike; one weaker pair a-b between."""
    edges = [Edge(x, y, 0.99) for x, y in combinations("apqr", 2)]
    edges += [Edge(x, y, 0.99) for x, y in combinations("bstu", 2)]
    return [*edges, Edge("a", "b", 0.91)]


def test_the_pair_holding_an_entity_together_is_kept_however_weak() -> None:
    edges = _two_cliques_and_a_bridge()
    members = dict.fromkeys("apqrbstu", "a")
    kept = kept_edges(*edges_within(edges, members), 0.9, set(), set())
    stored = [edges[i] for i in kept]
    assert _connected(set("apqrbstu"), stored)


def test_the_forest_follows_the_pairs_that_built_the_cluster_not_names_alone() -> None:
    # The two halves also agree on names alone, more strongly than on the bridge: that
    # pair did not join them, and must not stand in for the one that did.
    edges = [*_two_cliques_and_a_bridge(), Edge("a", "s", 0.995, supported=False)]
    members = dict.fromkeys("apqrbstu", "a")
    kept = kept_edges(*edges_within(edges, members), 0.9, set(), set())
    stored = {(edges[i].left, edges[i].right) for i in kept}
    assert ("a", "b") in stored


def test_sole_namesakes_and_queued_pairs_are_always_kept() -> None:
    edges = [
        Edge("a", "b", 0.99),
        Edge("a", "c", 0.99),
        Edge("b", "c", 0.99),
        Edge("a", "x", 0.4, supported=False),  # joined x as its sole namesake
        Edge("c", "y", 0.6),  # different entities, waits for review
        Edge("b", "y", 0.5),  # different entities, not queued: explains nothing
    ]
    members = {"a": "a", "b": "a", "c": "a", "x": "a", "y": "y"}
    kept = kept_edges(*edges_within(edges, members), 0.9, {("a", "x")}, {("c", "y")})
    assert kept == [0, 1, 2, 3, 4]
