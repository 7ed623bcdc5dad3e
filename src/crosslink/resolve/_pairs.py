"""A scored pair of records, as clustering, review and writing see it."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Edge", "Pair", "Roots", "pair_key"]

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
