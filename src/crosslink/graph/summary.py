"""Networks as an analyst reads them: who, in what role, where, since when, known to whom.

:func:`detect_networks` cuts the visible graph into communities and keeps those with enough
persons; each gets a stable id (a digest of its members' node ids, so the same data gives the
same ids) and a :class:`NetworkSummary`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crosslink.graph._network import Network, Node
from crosslink.graph.analytics import (
    CentralityOptions,
    CommunityOptions,
    KeyPlayer,
    communities,
    groups,
    key_players,
)
from crosslink.graph.errors import InvalidGraphOption, UnknownNetwork

VICTIM = "victim"


@dataclass(frozen=True)
class NetworkOptions:
    communities: CommunityOptions = field(default_factory=CommunityOptions)
    centrality: CentralityOptions = field(default_factory=CentralityOptions)
    min_persons: int = 3
    """Smaller communities are not reported as networks."""
    top: int = 10
    """How many key players each summary names."""

    def check(self) -> NetworkOptions:
        if self.min_persons < 1 or self.top < 0:
            raise InvalidGraphOption("min_persons must be at least 1 and top not negative")
        self.communities.check()
        return self


@dataclass(frozen=True)
class Member:
    node: int
    id: str
    kind: str
    label: str
    roles: tuple[str, ...]
    categories: tuple[str, ...]
    countries: tuple[str, ...]


@dataclass
class NetworkSummary:
    id: str
    members: list[Member]
    persons: int
    organisations: int
    ads: int
    edges: int
    tie_kinds: dict[str, int]
    roles: dict[str, int]
    categories: dict[str, int]
    countries: list[str]
    nationalities: list[str]
    sectors: list[str]
    victims: list[str]
    """Node ids of victims in the network or tied to it."""
    first: str | None
    last: str | None
    agencies: list[str]
    sources: list[str]
    handling_codes: list[str]
    key_players: list[KeyPlayer]


@dataclass
class DetectedNetwork:
    id: str
    members: list[int]
    community: int
    summary: NetworkSummary


def network_id(network: Network, members: Sequence[int]) -> str:
    """``N`` and 10 hex digits of a digest of the sorted member node ids."""
    text = "\n".join(sorted(network.nodes[i].id for i in members))
    return "N" + hashlib.blake2b(text.encode(), digest_size=5).hexdigest()


def detect_networks(
    network: Network, options: NetworkOptions | None = None
) -> tuple[list[DetectedNetwork], list[int]]:
    """The networks (largest first) and the community membership of every node."""
    opts = (options or NetworkOptions()).check()
    membership = communities(network.graph(), opts.communities)
    found: list[DetectedNetwork] = []
    for number, members in enumerate(groups(membership)):
        persons = sum(1 for i in members if network.nodes[i].kind == "Person")
        if persons < opts.min_persons:
            continue
        summary = summarise(network, members, opts)
        found.append(DetectedNetwork(summary.id, members, number, summary))
    found.sort(key=lambda d: (-d.summary.persons, d.id))
    return found, membership


def find_network(detected: Sequence[DetectedNetwork], ref: str) -> DetectedNetwork:
    for candidate in detected:
        if candidate.id == ref.strip():
            return candidate
    raise UnknownNetwork(f"no network {ref!r} in the view you may see")


def summarise(
    network: Network, members: Sequence[int], options: NetworkOptions | None = None
) -> NetworkSummary:
    """Members and roles, countries, sectors, victims, time span and agencies of one group."""
    opts = options or NetworkOptions()
    chosen = set(members)
    nodes = [network.nodes[i] for i in members]
    kinds = Counter(n.kind for n in nodes)
    tie_kinds: Counter[str] = Counter()
    first = min((n.first for n in nodes if n.first), default=None)
    last = max((n.last for n in nodes if n.last), default=None)
    victims = {n.id for n in nodes if _is_victim(n)}
    graph = network.graph()
    internal = 0
    seen: set[int] = set()
    for i in members:
        for e in graph.incident(i):
            if e in seen:
                continue
            seen.add(e)
            edge = network.edges[e]
            other = edge.b if edge.a == i else edge.a
            if other not in chosen:
                if _is_victim(network.nodes[other]):
                    victims.add(network.nodes[other].id)
                continue
            internal += 1
            tie_kinds.update(list(edge.kinds))
            for evidence in edge.kinds.values():
                first = _earliest(first, evidence.first)
                last = _latest(last, evidence.last)
    players = key_players(network, list(members), opts.top, opts.centrality) if opts.top else []
    return NetworkSummary(
        id=network_id(network, members),
        members=[_member(i, network.nodes[i]) for i in members],
        persons=kinds.get("Person", 0),
        organisations=kinds.get("Organisation", 0),
        ads=kinds.get("Ad", 0),
        edges=internal,
        tie_kinds=dict(sorted(tie_kinds.items())),
        roles=_count(r for n in nodes for r in n.roles),
        categories=_count(c for n in nodes for c in n.categories),
        countries=sorted({c for n in nodes for c in n.countries}),
        nationalities=sorted({c for n in nodes for c in n.nationalities}),
        sectors=sorted({s for n in nodes for s in n.sectors}),
        victims=sorted(victims),
        first=first,
        last=last,
        agencies=sorted({a for n in nodes for a in n.agencies}),
        sources=sorted({s for n in nodes for s in n.sources}),
        handling_codes=sorted({h for n in nodes for h in n.handling_codes}),
        key_players=players,
    )


def _is_victim(node: Node) -> bool:
    return VICTIM in node.categories or VICTIM in node.roles


def _member(index: int, node: Node) -> Member:
    return Member(
        index,
        node.id,
        node.kind,
        node.label,
        tuple(sorted(node.roles)),
        tuple(sorted(node.categories)),
        tuple(sorted(node.countries)),
    )


def _count(items: Iterable[str]) -> dict[str, int]:
    counted: Counter[str] = Counter(items)
    return dict(counted.most_common())


def _earliest(a: str | None, b: str | None) -> str | None:
    return b if a is None or (b is not None and b < a) else a


def _latest(a: str | None, b: str | None) -> str | None:
    return b if a is None or (b is not None and b > a) else a
