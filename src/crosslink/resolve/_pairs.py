"""A scored pair of records, as clustering, review and writing see it."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Edge", "Pair", "pair_key"]

Pair = tuple[str, str]


def pair_key(a: str, b: str) -> Pair:
    """Pairs are stored once, smaller uid first."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True, slots=True)
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
