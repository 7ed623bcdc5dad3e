"""Real data: the London gang network (54 members, 315 ties), checked against plain Python."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from crosslink.graph import (
    CommunityOptions,
    communities,
    components,
    graph_stats,
    key_players,
    load_edge_csv,
)
from tests.conftest import shared_file


def _plain(path: Path) -> tuple[set[str], set[frozenset[str]]]:
    nodes: set[str] = set()
    ties: set[frozenset[str]] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = row["source"].strip(), row["target"].strip()
            nodes |= {a, b}
            if a != b:
                ties.add(frozenset((a, b)))
    return nodes, ties


def _plain_components(nodes: set[str], ties: set[frozenset[str]]) -> list[int]:
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for tie in ties:
        a, b = tuple(tie)
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[str] = set()
    sizes = []
    for start in sorted(nodes):
        if start in seen:
            continue
        stack, size = [start], 0
        seen.add(start)
        while stack:
            size += 1
            for other in neighbours[stack.pop()]:
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        sizes.append(size)
    return sorted(sizes, reverse=True)


@pytest.fixture(scope="module")
def london() -> Path:
    return shared_file("networks", "london_gang_edges.csv")


def test_density_degrees_and_components_match_plain_python(london: Path) -> None:
    nodes, ties = _plain(london)
    network = load_edge_csv(london)
    stats = graph_stats(network.graph())
    assert (stats.nodes, stats.edges) == (len(nodes), len(ties)) == (54, 315)
    n = len(nodes)
    assert stats.density == pytest.approx(2 * len(ties) / (n * (n - 1)))
    degree: Counter[str] = Counter()
    for tie in ties:
        degree.update(tie)
    histogram = Counter(degree[v] for v in nodes)
    assert stats.degree_histogram == dict(sorted(histogram.items()))
    assert stats.mean_degree == pytest.approx(2 * len(ties) / n)
    sizes = [len(c) for c in components(network.graph())]
    assert sizes == _plain_components(nodes, ties)
    assert stats.components == len(sizes)


def test_communities_are_stable_and_key_players_central(london: Path) -> None:
    network = load_edge_csv(london)
    first = communities(
        network.graph(), CommunityOptions(seed=3, objective="modularity", resolution=1.0)
    )
    again = communities(
        load_edge_csv(london).graph(),
        CommunityOptions(seed=3, objective="modularity", resolution=1.0),
    )
    assert first == again
    assert 2 <= len(set(first)) < 20
    finer = communities(
        network.graph(), CommunityOptions(seed=3, objective="modularity", resolution=3.0)
    )
    assert len(set(finer)) >= len(set(first))
    top = key_players(network, top=5)
    degrees = network.graph().degree()
    assert len(top) == 5
    assert degrees[top[0].node] >= sorted(degrees, reverse=True)[9]
