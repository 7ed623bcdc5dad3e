"""Paths between two subjects with each hop's evidence, and k-hop ego networks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from crosslink.graph._network import Evidence, Network
from crosslink.graph.errors import InvalidGraphOption


@dataclass(frozen=True)
class Hop:
    source: int
    target: int
    weight: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Path:
    nodes: tuple[int, ...]
    hops: tuple[Hop, ...] = field(default_factory=tuple)

    @property
    def length(self) -> int:
        return len(self.hops)


@dataclass(frozen=True)
class PathOptions:
    k: int = 1
    weighted: bool = False
    """False: fewest hops. True: strongest ties (cost of a tie = 1 / weight)."""
    max_hops: int | None = None


def shortest_paths(
    network: Network, source: str, target: str, options: PathOptions | None = None
) -> list[Path]:
    """Up to ``k`` shortest paths between two subjects, each hop with its evidence."""
    opts = options or PathOptions()
    if opts.k < 1:
        raise InvalidGraphOption("k must be at least 1")
    a, b = network.find(source), network.find(target)
    if a == b:
        return [Path((a,))]
    graph = network.graph()
    if b not in set(graph.subcomponent(a)):
        return []
    costs = [1.0 / max(e.weight, 1e-9) for e in network.edges] if opts.weighted else None
    raw = cast(
        list[list[int]],
        graph.get_k_shortest_paths(a, to=b, k=opts.k, weights=costs, mode="all"),
    )
    found: list[Path] = []
    for vertices in raw:
        if not vertices or (opts.max_hops is not None and len(vertices) - 1 > opts.max_hops):
            continue
        hops = []
        for u, w in zip(vertices, vertices[1:], strict=False):
            edge = network.edge(u, w)
            hops.append(Hop(u, w, edge.weight, tuple(edge.kinds.values())))
        found.append(Path(tuple(vertices), tuple(hops)))
    return found


def ego_network(network: Network, ref: str, hops: int = 1) -> Network:
    """The actors within ``hops`` ties of a subject, with the ties among them."""
    if hops < 0:
        raise InvalidGraphOption("hops must not be negative")
    center = network.find(ref)
    reached = cast(list[int], network.graph().neighborhood(center, order=hops))
    return network.subnetwork([center, *sorted(v for v in reached if v != center)])
