"""A scored pair of records, as clustering, review and writing see it."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Edge", "EdgeArrays", "Pair", "Roots", "pair_key", "positions"]

Pair = tuple[str, str]


def pair_key(a: str, b: str) -> Pair:
    """Pairs are stored once, smaller uid first."""
    return (a, b) if a <= b else (b, a)


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and a run makes
# millions of edges (at a million records, twice the time). Edges are not changed once made,
# and not hashable: sets and keys hold their pairs (``pair_key``).
@dataclass(slots=True)
class Edge:
    left: str
    right: str
    probability: float
    weight: float | None = None
    """Match weight in bits; derived from the probability when not given."""
    supported: bool = True
    """False when nothing but names (and nationality) agrees: no date of birth, shared key or
    address. It may be reviewed, and joins only as a sole candidate
    (:mod:`crosslink.resolve.namesakes`)."""

    @property
    def bits(self) -> float:
        if self.weight is not None:
            return self.weight
        p = min(max(self.probability, 1e-12), 1 - 1e-12)
        return math.log2(p / (1 - p))


class Roots:
    """Which part each record is in, as parts are joined (union-find, paths halved as they
    are walked): clusters rebuilt around pairs kept apart, the forest a run stores."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, uid: str) -> str:
        """The record that stands for ``uid``'s part (a record not yet joined: itself)."""
        parent = self._parent
        while (up := parent.get(uid, uid)) != uid:
            parent[uid] = parent.get(up, up)
            uid = up
        return uid

    def join(self, root: str, into: str) -> None:
        """Put the part of ``root`` (a :meth:`find` result) into the part of ``into``."""
        self._parent[root] = into


class EdgeArrays:
    """A run's edges as Arrow arrays, position by position (the order of its edge list), each
    record an index into ``nodes``: a pass over millions of pairs that only selects runs in
    Arrow, not pair by pair in Python (at a million records, 3.5 million pairs)."""

    def __init__(
        self,
        nodes: Sequence[str],
        left: pa.Array,
        right: pa.Array,
        probability: pa.Array,
        bits: pa.Array,
        supported: pa.Array,
    ) -> None:
        self.nodes = list(nodes)
        self._index: dict[str, int] | None = None  # uid -> position, made when first needed
        self._pair_codes: pa.Array | None = None  # left * len(nodes) + right, likewise
        self.left, self.right = left.cast(pa.int32()), right.cast(pa.int32())
        self.probability, self.bits = probability, bits
        self.supported = supported

    @classmethod
    def of(cls, edges: Sequence[Edge], nodes: Sequence[str] | None = None) -> EdgeArrays:
        """The arrays of ``edges``; ``nodes``: the uids of at least all their records (by
        default, theirs)."""
        if nodes is None:
            nodes = sorted({uid for e in edges for uid in (e.left, e.right)})
        index = {uid: i for i, uid in enumerate(nodes)}
        return cls(
            nodes,
            pa.array([index[e.left] for e in edges], pa.int32()),
            pa.array([index[e.right] for e in edges], pa.int32()),
            pa.array([e.probability for e in edges], pa.float64()),
            pa.array([e.bits for e in edges], pa.float64()),
            pa.array([e.supported for e in edges], pa.bool_()),
        )

    def __len__(self) -> int:
        return len(self.left)

    def ends(self, mask: pa.BooleanArray) -> list[tuple[int, int]]:
        """The (left, right) positions of the edges where ``mask`` holds, in their order:
        the edge list of a graph over ``nodes`` (igraph)."""
        at = pc.indices_nonzero(mask)
        lefts, rights = self.left.take(at).to_pylist(), self.right.take(at).to_pylist()
        return list(zip(lefts, rights, strict=True))

    def same(self, members: Mapping[str, str]) -> pa.BooleanArray:
        """Per edge: whether ``members`` (uid -> group) puts both its records in one group."""
        numbers: dict[str, int] = {}
        group = pa.array(
            [numbers.setdefault(members[uid], len(numbers)) for uid in self.nodes], pa.int32()
        )
        return pc.equal(group.take(self.left), group.take(self.right))

    def having(self, pairs: Collection[Pair]) -> pa.BooleanArray:
        """Per edge: whether its (left, right) is one of ``pairs``."""
        if self._index is None:
            self._index = {uid: i for i, uid in enumerate(self.nodes)}
        n, index = len(self.nodes), self._index
        wanted = [index[a] * n + index[b] for a, b in pairs if a in index and b in index]
        return pc.is_in(self._codes(), value_set=pa.array(wanted, pa.int64()))

    def _codes(self) -> pa.Array:
        if self._pair_codes is None:
            n = pa.scalar(len(self.nodes), pa.int64())
            left, right = self.left.cast(pa.int64()), self.right.cast(pa.int64())
            self._pair_codes = pc.add(pc.multiply(left, n), right)
        return self._pair_codes


def positions(mask: pa.BooleanArray) -> list[int]:
    """The positions where ``mask`` is true, in order."""
    return list(pc.indices_nonzero(mask).to_pylist())
