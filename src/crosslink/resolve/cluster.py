"""From scored pairs to clusters: connected components, then human constraints.

The components of a run's pairs (given as arrays) are igraph's, over the records' positions;
of pairs given one by one (forced by judgements), Splink's.

Analysts' judgements outrank the model: a *same* pair is an edge whatever the score; a
*different* pair is never an edge, and, because two records can still meet through others,
every cluster holding a *different* pair is rebuilt by adding its edges strongest first and
refusing any edge that would put the two on one side (a wrong merge is split where the
evidence is weakest).

Then, names alone (:mod:`crosslink.resolve.namesakes`): a group of records that carries
nothing to tell namesakes apart (no date of birth, no document) joins the one identified
group that bears its very name when no other group bears it, or the one it could be that
shares a tie with it (an employer, a phone, an account, an address) when no other does, or
the one bearing its name that appears with someone it appears with.
"""

from __future__ import annotations

import logging
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import igraph as ig
import pyarrow as pa
import pyarrow.compute as pc
from splink.clustering import cluster_pairwise_predictions_at_threshold

from crosslink.resolve._pairs import Edge, EdgeArrays, Pair, Roots, pair_key, positions
from crosslink.resolve.backend import Backend
from crosslink.resolve.namesakes import (
    Identities,
    attach_by_associates,
    attach_by_context,
    attach_names,
    attach_sole,
)

__all__ = [
    "Clustering",
    "Constraints",
    "Edge",
    "Identities",
    "attach_by_associates",
    "attach_by_context",
    "attach_sole",
    "cluster",
    "pair_key",
]

log = logging.getLogger(__name__)


@dataclass
class Constraints:
    """Pairs the clustering must join (``same``) or keep apart (``different``)."""

    same: set[Pair] = field(default_factory=set)
    different: set[Pair] = field(default_factory=set)


@dataclass(frozen=True)
class Clustering:
    members: dict[str, str]
    """Record uid -> cluster key (the smallest uid of its cluster), for every node."""
    sole: set[Pair] = field(default_factory=set)
    """The pairs, agreeing on names alone, that joined a group as its sole candidate (its
    very name, the ties it shares, or its associates)."""
    ties: dict[Pair, tuple[str, ...]] = field(default_factory=dict)
    """Of those, the pairs that joined on ties: the kinds of ties the two groups share
    (``associates`` for associates)."""


def cluster(
    backend: Backend,
    nodes: Iterable[str],
    edges: list[Edge],
    threshold: float,
    constraints: Constraints | None = None,
    conflicts: set[Pair] | None = None,
    check: Callable[[list[Pair]], set[Pair]] | None = None,
    max_check: int = 300,
    margin: float = 4.0,
    identities: Identities | None = None,
    arrays: EdgeArrays | None = None,
) -> Clustering:
    """The clusters of ``nodes``.

    ``conflicts`` are pairs the model finds clearly different; like pairs judged different
    they split a cluster that holds both (a judgement *same* overrides a conflict).
    ``check`` scores the pairs of a chained cluster (3 to ``max_check`` records) that were
    not blocked together and returns the conflicts among them: chains through records with
    little evidence join records that never met. A record that could join either of two
    entities kept apart, with evidence for one less than ``margin`` bits stronger than for
    the other, joins neither: precision comes first, and the review queue shows it.
    With ``identities``, groups without an identified record then join their sole
    namesake (:func:`attach_sole`), or the one they share ties with (:func:`attach_by_context`)
    or associates with (:func:`attach_by_associates`).
    ``arrays``: ``edges`` as arrays (:class:`EdgeArrays`), to select among them in Arrow.
    """
    rules = constraints or Constraints()
    apart = rules.different | {p for p in (conflicts or set()) if p not in rules.same}
    node_list = sorted(set(nodes))
    kept = edges
    if rules.different:  # few runs have judgements: no pass over millions of pairs
        kept = [e for e in edges if pair_key(e.left, e.right) not in rules.different]
    forced = [Edge(a, b, 1.0) for a, b in sorted(rules.same) if a != b]
    linked = [e for e in kept if e.probability >= threshold and e.supported] + forced
    if arrays is not None and kept is edges and not forced and arrays.nodes == node_list:
        joining = pc.and_(pc.greater_equal(arrays.probability, threshold), arrays.supported)
        components = _connected(arrays, joining)
    else:
        components = _components(backend, node_list, linked)
    if check is not None:
        if arrays is None:
            scored = {pair_key(e.left, e.right) for e in edges} | apart
        else:  # the edges of a run: smaller uid first already (no call per pair)
            scored = {(e.left, e.right) for e in edges} | apart
        found = check(_unscored(components, scored, max_check))
        apart |= {p for p in found if p not in rules.same}
    if apart:
        components = _split_conflicts(components, linked, apart, margin)
    if identities is None:
        return Clustering(components)
    # Both rules weigh only pairs between groups (groups only grow), and pass over them:
    # at 100,000 demo records one pair in six.
    if arrays is not None and kept is edges:
        between = [edges[i] for i in positions(pc.invert(arrays.same(components)))]
    else:
        between = [e for e in kept if components[e.left] != components[e.right]]
    joined, sole, ties = attach_names(components, between, threshold, identities, apart, margin)
    return Clustering(joined, sole, ties)


def _unscored(components: dict[str, str], scored: set[Pair], max_check: int) -> list[Pair]:
    """Pairs inside each cluster of 3 to ``max_check`` records that were never scored."""
    groups: dict[str, list[str]] = defaultdict(list)
    for uid, key in components.items():
        groups[key].append(uid)
    out: list[Pair] = []
    for group in groups.values():
        if 3 <= len(group) <= max_check:
            members = sorted(group)
            out += [
                (a, b)
                for i, a in enumerate(members)
                for b in members[i + 1 :]
                if (a, b) not in scored
            ]
    return out


def _connected(arrays: EdgeArrays, mask: pa.BooleanArray) -> dict[str, str]:
    """The connected components of the pairs of ``arrays`` where ``mask`` holds, each keyed
    by its smallest uid: by igraph on the records' positions (at a million records, 3 million
    pairs), where Splink's would make tables of their uids and join them round after round."""
    nodes = arrays.nodes
    graph = ig.Graph(n=len(nodes), edges=arrays.ends(mask))
    membership = graph.connected_components().membership
    first: dict[int, int] = {}  # component -> its first position: its smallest uid (sorted)
    for position, part in enumerate(membership):
        first.setdefault(part, position)
    return {uid: nodes[first[part]] for uid, part in zip(nodes, membership, strict=True)}


def _components(backend: Backend, nodes: list[str], edges: list[Edge]) -> dict[str, str]:
    if not edges:
        return {n: n for n in nodes}
    node_table = backend.register(pa.table({"unique_id": pa.array(nodes, pa.string())}), "_nodes")
    edge_table = backend.register(
        pa.table(
            {
                "unique_id_l": pa.array([e.left for e in edges], pa.string()),
                "unique_id_r": pa.array([e.right for e in edges], pa.string()),
                "match_probability": pa.array([e.probability for e in edges], pa.float64()),
            }
        ),
        "_edges",
    )
    result = cluster_pairwise_predictions_at_threshold(
        node_table, edge_table, backend.db_api, "unique_id"
    )
    table = backend.to_arrow(result)
    members: dict[str, list[str]] = defaultdict(list)
    # The record uids the edges hold (interned), not another copy of each.
    for uid, cid in zip(
        map(sys.intern, table["unique_id"].to_pylist()),
        table["cluster_id"].to_pylist(),
        strict=True,
    ):
        members[str(cid)].append(uid)
    for frame in (result, edge_table, node_table):
        frame.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    backend.release()
    out: dict[str, str] = {}
    for group in members.values():
        key = min(group)
        out.update(dict.fromkeys(group, key))
    return out


def _split_conflicts(
    components: dict[str, str], edges: list[Edge], apart_pairs: set[Pair], margin: float
) -> dict[str, str]:
    """Rebuild each cluster that holds a pair kept apart, strongest edges first; then take
    out the records torn between two of the rebuilt parts and rebuild without them."""
    broken = {
        components[a]
        for a, b in apart_pairs
        if a in components and b in components and components[a] == components[b]
    }
    if not broken:
        return components
    inside = [e for e in edges if components.get(e.left) in broken]
    inside.sort(key=lambda e: (-e.probability, -e.bits, e.left, e.right))
    members = [uid for uid, key in components.items() if key in broken]
    apart: dict[str, set[str]] = defaultdict(set)
    for a, b in apart_pairs:
        if a in components and b in components:
            apart[a].add(b)
            apart[b].add(a)
    groups = _greedy(members, inside, apart)
    torn = _torn(groups, inside, apart, margin)
    if torn:
        kept = [e for e in inside if e.left not in torn and e.right not in torn]
        groups = _greedy(members, kept, apart)
    out = dict(components)
    for group in groups:
        key = min(group)
        out.update(dict.fromkeys(group, key))
    log.info(
        "rebuilt %d clusters holding pairs kept apart (%d torn records left alone)",
        len(broken),
        len(torn),
    )
    return out


def _greedy(members: list[str], edges: list[Edge], apart: dict[str, set[str]]) -> list[set[str]]:
    """Union ``members`` along ``edges`` in order, refusing a union that joins a pair apart."""
    roots = Roots()
    groups = {uid: {uid} for uid in members}
    for edge in edges:
        ra, rb = roots.find(edge.left), roots.find(edge.right)
        if ra == rb:
            continue
        small, large = sorted((groups[ra], groups[rb]), key=len)
        if any(apart[m] & large for m in small):
            continue
        roots.join(rb, into=ra)
        groups[ra] |= groups.pop(rb)
    return list(groups.values())


def _torn(
    groups: list[set[str]], edges: list[Edge], apart: dict[str, set[str]], margin: float
) -> set[str]:
    """Records whose evidence for another part (one they do not conflict with themselves)
    is within ``margin`` bits of their evidence for their own: a record without a date of
    birth that names two namesakes' shared address belongs to neither for sure."""
    group_of = {uid: i for i, group in enumerate(groups) for uid in group}
    best: dict[tuple[str, int], float] = {}
    for edge in edges:
        for node, other in ((edge.left, edge.right), (edge.right, edge.left)):
            key = (node, group_of[other])
            best[key] = max(best.get(key, -math.inf), edge.bits)
    torn: set[str] = set()
    for (node, part), bits in best.items():
        own = group_of[node]
        if part == own or apart[node] & groups[part]:
            continue
        if bits >= best.get((node, own), -math.inf) - margin:
            torn.add(node)
    return torn
