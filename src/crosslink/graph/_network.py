"""The network's data: actors (nodes), typed ties (edges) and the evidence behind each tie.

A :class:`Network` is what one subject may see, built by :mod:`crosslink.graph.build`. Nodes
are actors — persons, organisations and ads — identified by their resolved entity id (or their
record uid when unresolved); everything they share (phones, addresses, accounts, vehicles,
reports) becomes a typed edge between them whose :class:`Evidence` names the records, links,
sources, agencies, dates and handling codes behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph as ig

from crosslink.graph.errors import UnknownNode


@dataclass
class Evidence:
    """Why two actors are tied by one kind of edge: every fact behind it, with provenance."""

    kind: str
    weight: float = 0.0
    count: int = 0
    links: set[str] = field(default_factory=set)
    """Link uids; a tie read from a record's own property is named ``record_uid#prop``."""
    records: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)
    handling_codes: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)
    """The shared things (phone, address, account, report …) the tie goes through."""
    directed_from: set[str] = field(default_factory=set)
    """For directed relations (recruited, payment …): the node ids the tie starts from."""
    first: str | None = None
    last: str | None = None

    def add_date(self, start: str | None, end: str | None) -> None:
        for day in (start, end):
            if day:
                self.first = day if self.first is None or day < self.first else self.first
                self.last = day if self.last is None or day > self.last else self.last

    def merge(self, other: Evidence) -> None:
        self.weight += other.weight
        self.count += other.count
        for mine, theirs in (
            (self.links, other.links),
            (self.records, other.records),
            (self.sources, other.sources),
            (self.agencies, other.agencies),
            (self.handling_codes, other.handling_codes),
            (self.via, other.via),
            (self.directed_from, other.directed_from),
        ):
            mine |= theirs
        self.add_date(other.first, other.last)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "weight": round(self.weight, 4),
            "count": self.count,
            "links": sorted(self.links),
            "records": sorted(self.records),
            "sources": sorted(self.sources),
            "agencies": sorted(self.agencies),
            "handling_codes": sorted(self.handling_codes),
            "via": sorted(self.via),
            "directed_from": sorted(self.directed_from),
            "first": self.first,
            "last": self.last,
        }


@dataclass
class Node:
    """One actor: a person, organisation or ad, with what its visible records say."""

    id: str
    kind: str
    label: str = ""
    records: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    """Where the actor is seen: addresses, places, reports, the sources' jurisdictions."""
    nationalities: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    handling_codes: set[str] = field(default_factory=set)
    first: str | None = None
    last: str | None = None

    def add_date(self, day: str | None) -> None:
        if day:
            self.first = day if self.first is None or day < self.first else self.first
            self.last = day if self.last is None or day > self.last else self.last

    @property
    def country(self) -> str:
        """One country to place the actor (the first in order), or ``""``."""
        return min(self.countries) if self.countries else ""


@dataclass
class Edge:
    """An undirected tie between nodes ``a < b`` (indices), one :class:`Evidence` per kind."""

    a: int
    b: int
    kinds: dict[str, Evidence] = field(default_factory=dict)

    @property
    def weight(self) -> float:
        return sum(e.weight for e in self.kinds.values())

    @property
    def label(self) -> str:
        return ";".join(sorted(self.kinds))

    def records(self) -> set[str]:
        found: set[str] = set()
        for evidence in self.kinds.values():
            found |= evidence.records
        return found


@dataclass
class BuildReport:
    """What the build did: counts, and the shared things too common to make ties."""

    records: int = 0
    links: int = 0
    attachments: int = 0
    skipped_hubs: dict[str, int] = field(default_factory=dict)
    filtered_by_date: int = 0


@dataclass
class Network:
    """Nodes, edges and lookups; :meth:`graph` gives the igraph view for analytics."""

    nodes: list[Node]
    edges: list[Edge]
    record_node: dict[str, str] = field(default_factory=dict)
    """Record uid -> node id, for every record behind a node (to find a subject by record)."""
    hub_labels: dict[str, str] = field(default_factory=dict)
    report: BuildReport = field(default_factory=BuildReport)
    index: dict[str, int] = field(init=False)
    _pairs: dict[tuple[int, int], int] = field(init=False, repr=False)
    _graph: ig.Graph | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {node.id: i for i, node in enumerate(self.nodes)}
        self._pairs = {(e.a, e.b): i for i, e in enumerate(self.edges)}

    def graph(self) -> ig.Graph:
        """The undirected igraph graph (vertex order = :attr:`nodes`, attribute ``weight``)."""
        if self._graph is None:
            graph = ig.Graph(n=len(self.nodes), edges=[(e.a, e.b) for e in self.edges])
            graph.es["weight"] = [e.weight for e in self.edges]
            self._graph = graph
        return self._graph

    def edge(self, i: int, j: int) -> Edge:
        a, b = (i, j) if i < j else (j, i)
        return self.edges[self._pairs[(a, b)]]

    def find(self, ref: str) -> int:
        """The node index for an entity id, a record uid or a key such as ``Phone:+3245…``."""
        ref = ref.strip()
        if ref in self.index:
            return self.index[ref]
        node_id = self.record_node.get(ref)
        if node_id is not None:
            return self.index[node_id]
        raise UnknownNode(f"no subject {ref!r} in the network you may see")

    def records(self, indices: Iterable[int] | None = None) -> set[str]:
        """Every record uid behind the given nodes and the edges among them (default: all)."""
        chosen = set(range(len(self.nodes)) if indices is None else indices)
        found: set[str] = set()
        for i in chosen:
            found |= self.nodes[i].records
        for edge in self.edges:
            if edge.a in chosen and edge.b in chosen:
                found |= edge.records()
        return found

    def subnetwork(self, indices: Sequence[int]) -> Network:
        """The network induced by ``indices`` (nodes in the given order)."""
        order = list(dict.fromkeys(indices))
        where = {old: new for new, old in enumerate(order)}
        edges = [
            _reindexed(edge, where[edge.a], where[edge.b])
            for edge in self.edges
            if edge.a in where and edge.b in where
        ]
        nodes = [self.nodes[i] for i in order]
        keep = {node.id for node in nodes}
        record_node = {uid: nid for uid, nid in self.record_node.items() if nid in keep}
        return Network(nodes, edges, record_node, dict(self.hub_labels), self.report)


def _reindexed(edge: Edge, a: int, b: int) -> Edge:
    lo, hi = (a, b) if a < b else (b, a)
    return Edge(lo, hi, edge.kinds)
