"""Analytics on igraph: components, communities, key players, brokers, paths, ego networks.

The structure of these networks is used: components come first and every measure is worked
out per component (a community never spans two components, and a path never leaves one), so
the large sparse background costs little and the small dense networks are analysed exactly.

* Communities: Leiden with CPM (default) or per-component modularity, in **one** igraph call —
  per-component modularity is CPM with node weights ``strength / sqrt(2 m_component)`` — so a
  network's communities never depend on unrelated components. A fixed seed and the
  build's sorted node order make the result stable between runs on the same data.
* Betweenness: exact on all components up to ``exact_limit`` nodes (one call over their
  union), estimated from ``samples`` random sources on larger ones (scaled by ``n / samples``).
* Paths: fewest hops (or strongest ties, with ``weighted``), each hop with its evidence.
"""

from __future__ import annotations

import logging
import math
import random
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import igraph as ig

from crosslink.graph._network import Network, Node
from crosslink.graph._paths import Hop, Path, PathOptions, ego_network, shortest_paths
from crosslink.graph.errors import InvalidGraphOption

__all__ = [
    "Broker",
    "Centrality",
    "CentralityOptions",
    "CommunityOptions",
    "GraphStats",
    "Hop",
    "KeyPlayer",
    "Path",
    "PathOptions",
    "betweenness",
    "brokers",
    "centrality",
    "communities",
    "components",
    "ego_network",
    "graph_stats",
    "groups",
    "key_players",
    "seeded",
    "shortest_paths",
    "structural_betweenness",
]
logger = logging.getLogger(__name__)
OBJECTIVES = ("modularity", "cpm")
SUSPECTS = frozenset({"suspect", "convicted"})


_RNG_LOCK = threading.RLock()


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers from ``random.Random(seed)`` for the block, then as before.

    igraph has one generator per process: the server's threads take turns, or one would
    draw from (and reset) another's stream and the same data would give other communities.
    """
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def components(graph: ig.Graph) -> list[list[int]]:
    """Connected components, largest first (ties: lowest vertex first)."""
    found = [sorted(c) for c in graph.connected_components()]
    return sorted(found, key=lambda c: (-len(c), c[0] if c else 0))


@dataclass(frozen=True)
class CommunityOptions:
    """Leiden's settings. CPM (the default) has no resolution limit — a 20-person network is
    found as well in a million-node graph as in a small one — and its resolution is a density:
    a group is a community where its ties weigh more than ``resolution`` per pair of members.
    ``modularity`` is per component, with the usual resolution around 1.0."""

    resolution: float = 0.005
    objective: str = "cpm"
    seed: int = 20_240_601
    iterations: int = -1
    """Leiden passes; negative: until a pass changes nothing (the most stable result)."""
    min_component: int = 4
    """Components smaller than this are one community each, without running Leiden."""

    def check(self) -> CommunityOptions:
        if self.objective not in OBJECTIVES:
            raise InvalidGraphOption(f"objective must be one of {', '.join(OBJECTIVES)}")
        if self.resolution <= 0:
            raise InvalidGraphOption("resolution must be positive")
        return self


def communities(graph: ig.Graph, options: CommunityOptions | None = None) -> list[int]:
    """A community number per vertex, numbered by each community's lowest vertex."""
    opts = (options or CommunityOptions()).check()
    n = graph.vcount()
    membership = [-1] * n
    comp = graph.connected_components().membership
    sizes = Counter(comp)
    big = [v for v in range(n) if sizes[comp[v]] >= opts.min_component]
    for v in range(n):
        if sizes[comp[v]] < opts.min_component:
            membership[v] = n + comp[v]
    if big:
        sub = graph.induced_subgraph(big) if len(big) < n else graph
        weights = sub.es["weight"] if "weight" in sub.es.attributes() else None
        node_weights = _node_weights(sub, weights, opts.objective)
        with seeded(opts.seed):
            found = sub.community_leiden(
                objective_function="CPM",
                weights=weights,
                resolution=opts.resolution,
                node_weights=node_weights,
                n_iterations=opts.iterations,
            )
        for local, community in zip(big, found.membership, strict=True):
            membership[local] = community
    return _renumber(membership)


def _node_weights(sub: ig.Graph, weights: list[float] | None, objective: str) -> list[float]:
    if objective == "cpm":
        return [1.0] * sub.vcount()
    strength = sub.strength(weights=weights)
    comp = sub.connected_components().membership
    total: Counter[int] = Counter()
    for v, s in enumerate(strength):
        total[comp[v]] += s
    return [
        s / math.sqrt(total[comp[v]]) if total[comp[v]] else 0.0 for v, s in enumerate(strength)
    ]


def _renumber(membership: Sequence[int]) -> list[int]:
    order: dict[int, int] = {}
    return [order.setdefault(c, len(order)) for c in membership]


def groups(membership: Sequence[int]) -> list[list[int]]:
    """Members of each community (index = community number)."""
    found: dict[int, list[int]] = {}
    for v, c in enumerate(membership):
        found.setdefault(c, []).append(v)
    return [found[c] for c in sorted(found)]


@dataclass(frozen=True)
class CentralityOptions:
    exact_limit: int = 2_000
    """Components up to this many nodes get exact betweenness; larger ones are sampled."""
    samples: int = 64
    seed: int = 20_240_601
    eigenvector: bool = True


@dataclass
class Centrality:
    degree: list[int]
    strength: list[float]
    betweenness: list[float]
    eigenvector: list[float]
    """Per component, scaled so each component's most central node has 1."""
    coreness: list[int]
    sampled: bool = False


def centrality(graph: ig.Graph, options: CentralityOptions | None = None) -> Centrality:
    """Degree, strength, betweenness, eigenvector and k-core of every vertex, per component."""
    opts = options or CentralityOptions()
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else None
    parts = components(graph)
    between, sampled = _betweenness(graph, parts, opts)
    eigen = [0.0] * graph.vcount()
    if opts.eigenvector:
        for part in parts:
            if len(part) < 3:
                continue
            sub = graph.induced_subgraph(part)
            sub_weights = sub.es["weight"] if weights is not None else None
            with seeded(opts.seed):  # ARPACK's start vector is random
                values = sub.eigenvector_centrality(weights=sub_weights, scale=True)
            for v, value in zip(part, values, strict=True):
                eigen[v] = float(value)
    return Centrality(
        degree=[int(d) for d in graph.degree()],
        strength=[float(s) for s in graph.strength(weights=weights)],
        betweenness=between,
        eigenvector=eigen,
        coreness=[int(c) for c in graph.coreness()],
        sampled=sampled,
    )


def betweenness(graph: ig.Graph, options: CentralityOptions | None = None) -> list[float]:
    """Betweenness per vertex: exact on small components, sampled on large ones."""
    return _betweenness(graph, components(graph), options or CentralityOptions())[0]


def _betweenness(
    graph: ig.Graph, parts: list[list[int]], opts: CentralityOptions
) -> tuple[list[float], bool]:
    result = [0.0] * graph.vcount()
    small = [v for part in parts if 2 < len(part) <= opts.exact_limit for v in part]
    if small:
        sub = graph.induced_subgraph(small) if len(small) < graph.vcount() else graph
        for v, value in zip(small, sub.betweenness(directed=False), strict=True):
            result[v] = float(value)
    sampled = False
    rng = random.Random(opts.seed)
    for part in parts:
        if len(part) <= opts.exact_limit:
            continue
        sampled = True
        sub = graph.induced_subgraph(part) if len(part) < graph.vcount() else graph
        sources = sorted(rng.sample(range(len(part)), min(opts.samples, len(part))))
        scale = len(part) / len(sources)
        values = sub.betweenness(directed=False, sources=sources)
        for v, value in zip(part, values, strict=True):
            result[v] = float(value) * scale
        logger.info("betweenness of a %d-node component from %d sources", len(part), len(sources))
    return result, sampled


def structural_betweenness(
    graph: ig.Graph, membership: Sequence[int], options: CentralityOptions | None = None
) -> list[float]:
    """Betweenness that uses the communities: inside each one, plus the brokerage between them.

    Inside: betweenness on the ties within communities (each community is then a small
    component: exact up to ``exact_limit`` nodes, sampled above). Between: betweenness of the
    graph of communities (exact or sampled by the same rule), shared among each community's
    members in proportion to the weight of their ties to other communities. On a graph of
    many small dense networks in a large sparse background this costs a fraction of sampling
    the whole giant component; it is an estimate built for ranking brokers (those whose ties
    carry the paths between networks), not the same number as global betweenness.
    """
    opts = options or CentralityOptions()
    n = graph.vcount()
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else [1.0] * graph.ecount()
    ends = graph.get_edgelist()
    inside = [e for e, (a, b) in enumerate(ends) if membership[a] == membership[b]]
    intra = graph.subgraph_edges(inside, delete_vertices=False)
    result = betweenness(intra, opts)
    outward = [0.0] * n
    pairs: dict[tuple[int, int], float] = {}
    for e, (a, b) in enumerate(ends):
        ca, cb = membership[a], membership[b]
        if ca == cb:
            continue
        outward[a] += weights[e]
        outward[b] += weights[e]
        key = (ca, cb) if ca < cb else (cb, ca)
        pairs[key] = pairs.get(key, 0.0) + weights[e]
    count = max(membership, default=-1) + 1
    quotient = ig.Graph(n=count, edges=list(pairs))
    between = betweenness(quotient, opts) if pairs else [0.0] * count
    total = [0.0] * count
    for v in range(n):
        total[membership[v]] += outward[v]
    for v in range(n):
        c = membership[v]
        if outward[v] and total[c]:
            result[v] += float(between[c]) * outward[v] / total[c]
    return result


@dataclass(frozen=True)
class KeyPlayer:
    node: int
    score: float
    degree: int
    strength: float
    betweenness: float
    eigenvector: float
    coreness: int


def key_players(
    network: Network,
    members: Sequence[int] | None = None,
    top: int = 10,
    options: CentralityOptions | None = None,
    kinds: frozenset[str] = frozenset({"Person", "Organisation"}),
    suspect_bonus: float = 0.25,
) -> list[KeyPlayer]:
    """The most central actors of ``members`` (default: all), measured inside that group.

    Centrality is measured on the whole group, but only actors of ``kinds`` that are not
    known as victims are ranked: a victim named in every report is central, not a key player.
    The score is the mean of each measure's share of the group's maximum (degree, strength,
    betweenness, eigenvector, coreness), so no single measure dominates, plus
    ``suspect_bonus`` for an actor some source names as a suspect or convicted person.
    """
    chosen = list(members) if members is not None else list(range(len(network.nodes)))
    sub = network.graph().induced_subgraph(chosen)
    c = centrality(sub, options)
    columns: list[Sequence[float]] = [
        c.degree,
        c.strength,
        c.betweenness,
        c.eigenvector,
        c.coreness,
    ]
    peaks = [max(col, default=0.0) or 1.0 for col in columns]
    players = [
        KeyPlayer(
            node=v,
            score=sum(col[i] / peak for col, peak in zip(columns, peaks, strict=True))
            / len(columns)
            + (suspect_bonus if SUSPECTS & network.nodes[v].categories else 0.0),
            degree=c.degree[i],
            strength=c.strength[i],
            betweenness=c.betweenness[i],
            eigenvector=c.eigenvector[i],
            coreness=c.coreness[i],
        )
        for i, v in enumerate(chosen)
    ]
    players = [p for p in players if _may_lead(network.nodes[p.node], kinds)]
    players.sort(key=lambda p: (-p.score, network.nodes[p.node].id))
    return players[:top]


def _may_lead(node: Node, kinds: frozenset[str]) -> bool:
    return node.kind in kinds and not ({"victim"} & (node.categories | node.roles))


@dataclass(frozen=True)
class Broker:
    node: int
    communities: tuple[int, ...]
    """The other communities its ties reach (its own not counted)."""
    countries: tuple[str, ...]
    """The countries of the actors it is tied to, its own included."""
    external_share: float
    """Share of its tie weight that leaves its community."""
    betweenness: float


def brokers(
    network: Network,
    membership: Sequence[int],
    top: int = 20,
    between: Sequence[float] | None = None,
) -> list[Broker]:
    """Actors tying communities or countries together, most bridging first."""
    graph = network.graph()
    scores = list(between) if between is not None else betweenness(graph)
    found: list[Broker] = []
    for v, node in enumerate(network.nodes):
        total = outside = 0.0
        others: set[int] = set()
        countries = {node.country} if node.country else set()
        for e in graph.incident(v):
            edge = network.edges[e]
            u = edge.b if edge.a == v else edge.a
            total += edge.weight
            if membership[u] != membership[v]:
                outside += edge.weight
                others.add(membership[u])
            if network.nodes[u].country:
                countries.add(network.nodes[u].country)
        if others or len(countries) > 1:
            share = outside / total if total else 0.0
            found.append(
                Broker(v, tuple(sorted(others)), tuple(sorted(countries)), share, scores[v])
            )
    found.sort(key=lambda b: (-len(b.communities), -len(b.countries), -b.betweenness, b.node))
    return found[:top]


@dataclass(frozen=True)
class GraphStats:
    nodes: int
    edges: int
    density: float
    components: int
    largest_component: int
    degree_histogram: dict[int, int]
    mean_degree: float
    total_weight: float


def graph_stats(graph: ig.Graph) -> GraphStats:
    n, m = graph.vcount(), graph.ecount()
    degrees = [int(d) for d in graph.degree()]
    parts = components(graph)
    weights: list[Any] = graph.es["weight"] if "weight" in graph.es.attributes() else [1.0] * m
    return GraphStats(
        nodes=n,
        edges=m,
        density=(2.0 * m / (n * (n - 1))) if n > 1 else 0.0,
        components=len(parts),
        largest_component=len(parts[0]) if parts else 0,
        degree_histogram=dict(sorted(Counter(degrees).items())),
        mean_degree=(2.0 * m / n) if n else 0.0,
        total_weight=float(sum(weights)),
    )
