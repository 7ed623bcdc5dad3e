"""Which scored pairs a run stores: those that explain its entities, and those for review.

An entity's explanation needs, for each record, the evidence that joined it, not every pair
of its records that scored high: one person's forty records make 780 such pairs, and at a
million demo records two pairs in three were of that kind (most of the writing, and rows no
analyst reads). A run keeps:

- the pairs that hold each entity together: a maximum spanning forest, built the way the
  clusters were (pairs with evidence beyond names first, then those agreeing on names
  alone, as a sole namesake's pair does; strongest first), so that the stored pairs
  connect every entity the way it was joined;
- each record's :data:`PER_RECORD` strongest deciding pairs besides;
- every sole namesake's pair, and every pair in the review queue.
"""

from __future__ import annotations

from collections.abc import Collection

import pyarrow as pa
import pyarrow.compute as pc

from crosslink.resolve._pairs import EdgeArrays, Pair, positions

__all__ = ["PER_RECORD", "kept_edges"]

PER_RECORD = 3
"""The strongest deciding pairs kept for each record, beyond those of the forest."""


def kept_edges(
    edges: EdgeArrays,
    within: pa.BooleanArray,
    threshold: float,
    sole: Collection[Pair],
    queued: Collection[Pair],
) -> list[int]:
    """The positions of the ``edges`` a run stores, in their order (see the module).
    ``within``: per edge, whether its records are in one entity (:meth:`EdgeArrays.same`)."""
    named = edges.having(sole)
    keep = set(positions(pc.or_(named, edges.having(queued))))
    # The pairs that decided an entity, selected and ordered in Arrow: millions at scale.
    deciding = pc.or_(named, pc.greater_equal(edges.probability, threshold))
    chosen = pc.indices_nonzero(pc.and_(deciding, within))
    order = _strongest_first(edges, chosen)
    counts = [0] * len(edges.nodes)
    parent = list(range(len(edges.nodes)))  # union-find over node positions
    lefts, rights = edges.left.take(order).to_pylist(), edges.right.take(order).to_pylist()
    for i, left, right in zip(order.to_pylist(), lefts, rights, strict=True):
        a, b = _root(parent, left), _root(parent, right)
        spans = a != b  # joins two parts: a pair of the forest
        if spans:
            parent[a] = b
        seen_left, seen_right = counts[left], counts[right]
        if spans or seen_left < PER_RECORD or seen_right < PER_RECORD:
            keep.add(i)
            counts[left], counts[right] = seen_left + 1, seen_right + 1
    return sorted(keep)


def _root(parent: list[int], node: int) -> int:
    """The node standing for ``node``'s part (paths halved as they are walked)."""
    while (up := parent[node]) != node:
        parent[node] = parent[up]
        node = up
    return node


def _strongest_first(edges: EdgeArrays, at: pa.Array) -> pa.Array:
    """``at`` reordered as the clusters were built: pairs with evidence beyond names, then
    those agreeing on names alone (a sole namesake's pair), each strongest first; ties
    keep the order of ``at`` (Arrow's sort is stable)."""
    table = pa.table(
        {
            "names_alone": pc.invert(edges.supported.take(at)),
            "probability": edges.probability.take(at),
            "bits": edges.bits.take(at),
        }
    )
    ranks = pc.sort_indices(
        table,
        sort_keys=[
            ("names_alone", "ascending"),
            ("probability", "descending"),
            ("bits", "descending"),
        ],
    )
    return at.take(ranks)
