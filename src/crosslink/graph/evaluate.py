"""Recovered networks against a known truth (the demo world's): ARI, NMI, leaders found.

``truth`` maps node ids to true person ids; ``true_networks`` maps true person ids to their
network and role (``members.csv`` of the demo world). Scores are computed over the true
network members that appear in the network; a member absent from every detected network
counts as a singleton, so missing a network costs recall.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import igraph as ig

from crosslink.graph._network import Network
from crosslink.graph.summary import DetectedNetwork

LEADERS = frozenset({"boss", "lieutenant"})


@dataclass(frozen=True)
class TrueMember:
    network: str
    role: str


@dataclass(frozen=True)
class Accuracy:
    members_seen: int
    true_networks: int
    detected_networks: int
    ari: float
    nmi: float
    leaders: int
    leaders_in_top: int

    @property
    def leader_share(self) -> float:
        """Share of the true leaders (boss, lieutenants) among their network's key players."""
        return self.leaders_in_top / self.leaders if self.leaders else 0.0


def evaluate(
    network: Network,
    detected: Sequence[DetectedNetwork],
    truth: Mapping[str, str],
    true_networks: Mapping[str, TrueMember],
) -> Accuracy:
    where = {i: d for d in detected for i in d.members}
    true_labels: list[str] = []
    found_labels: list[str] = []
    for i, node in enumerate(network.nodes):
        member = true_networks.get(truth.get(node.id, ""))
        if member is None:
            continue
        true_labels.append(member.network)
        found = where.get(i)
        found_labels.append(found.id if found is not None else f"alone:{node.id}")
    leaders = in_top = 0
    for d in detected:
        top = {network.nodes[p.node].id for p in d.summary.key_players}
        majority = Counter(
            true_networks[truth[network.nodes[i].id]].network
            for i in d.members
            if truth.get(network.nodes[i].id, "") in true_networks
        ).most_common(1)
        if not majority:
            continue
        for i in d.members:
            member = true_networks.get(truth.get(network.nodes[i].id, ""))
            if member and member.network == majority[0][0] and member.role in LEADERS:
                leaders += 1
                in_top += network.nodes[i].id in top
    return Accuracy(
        members_seen=len(true_labels),
        true_networks=len(set(true_labels)),
        detected_networks=len(detected),
        ari=_compare(true_labels, found_labels, "adjusted_rand"),
        nmi=_compare(true_labels, found_labels, "nmi"),
        leaders=leaders,
        leaders_in_top=in_top,
    )


def _compare(a: Sequence[str], b: Sequence[str], method: str) -> float:
    if not a:
        return 0.0
    codes_a = {x: i for i, x in enumerate(sorted(set(a)))}
    codes_b = {x: i for i, x in enumerate(sorted(set(b)))}
    return float(
        ig.compare_communities([codes_a[x] for x in a], [codes_b[x] for x in b], method=method)
    )
