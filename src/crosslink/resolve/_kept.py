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

from crosslink.resolve._pairs import Edge, Pair, Roots

__all__ = ["PER_RECORD", "kept_edges"]

PER_RECORD = 3
"""The strongest deciding pairs kept for each record, beyond those of the forest."""


def kept_edges(
    edges: list[Edge],
    members: dict[str, str],
    threshold: float,
    sole: Collection[Pair],
    queued: Collection[Pair],
) -> list[int]:
    """The positions of the ``edges`` a run stores, in their order (see the module)."""

    keep = bytearray(len(edges))
    chosen: list[int] = []  # the pairs that decided an entity
    for i, edge in enumerate(edges):
        key = (edge.left, edge.right)
        named = key in sole
        if named or key in queued:
            keep[i] = 1
        if (named or edge.probability >= threshold) and members[key[0]] == members[key[1]]:
            chosen.append(i)
    counts: dict[str, int] = {}
    roots = Roots()
    for i in _strongest_first(edges, chosen):
        left, right = edges[i].left, edges[i].right
        a, b = roots.find(left), roots.find(right)
        seen_left, seen_right = counts.get(left, 0), counts.get(right, 0)
        spans = a != b  # joins two parts: a pair of the forest
        if spans:
            roots.join(a, into=b)
        if spans or seen_left < PER_RECORD or seen_right < PER_RECORD:
            keep[i] = 1
            counts[left], counts[right] = seen_left + 1, seen_right + 1
    return [i for i, kept in enumerate(keep) if kept]


def _strongest_first(edges: list[Edge], at: list[int]) -> list[int]:
    """``at`` reordered as the clusters were built: pairs with evidence beyond names, then
    those agreeing on names alone (a sole namesake's pair), each strongest first; ties
    keep the order of ``at``. Sorted by Arrow: millions of pairs."""
    chosen = [edges[i] for i in at]
    table = pa.table(
        {
            "names_alone": pa.array([not e.supported for e in chosen], pa.bool_()),
            "probability": pa.array([e.probability for e in chosen], pa.float64()),
            "bits": pa.array([e.bits for e in chosen], pa.float64()),
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
    return [at[r] for r in ranks.to_pylist()]
