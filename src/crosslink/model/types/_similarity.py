"""Token-set similarity shared by names and addresses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import permutations

import jellyfish

TokenScore = Callable[[str, str], float]

# Exhaustive assignment is exact but factorial; beyond this many tokens a greedy pairing is
# close enough and keeps the cost bounded for long organisation names.
_EXACT_LIMIT = 6


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity, computed in a fixed argument order so it is symmetric."""
    if a == b:
        return 1.0
    first, second = sorted((a, b))
    return float(jellyfish.jaro_winkler_similarity(first, second))


def best_assignment(small: Sequence[str], large: Sequence[str], score: TokenScore) -> float:
    """Highest total score pairing each token of ``small`` with a distinct token of ``large``."""
    table = [[score(s, t) for t in large] for s in small]
    if len(large) <= _EXACT_LIMIT:
        return max(
            sum(table[i][j] for i, j in enumerate(choice))
            for choice in permutations(range(len(large)), len(small))
        )
    pairs = sorted(
        ((table[i][j], i, j) for i in range(len(small)) for j in range(len(large))),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_small: set[int] = set()
    used_large: set[int] = set()
    total = 0.0
    for value, i, j in pairs:
        if i not in used_small and j not in used_large:
            used_small.add(i)
            used_large.add(j)
            total += value
    return total


def token_set_similarity(
    a: Sequence[str], b: Sequence[str], score: TokenScore = jaro_winkler
) -> float:
    """Similarity of two token lists, ignoring order.

    Every token of the shorter list is paired with its best distinct partner; tokens left over
    in the longer list (a middle name, a second family name) lower the score only mildly,
    because sources often record fewer names than others.
    """
    if not a or not b:
        return 1.0 if not a and not b else 0.0
    small, large = (a, b) if (len(a), sorted(a)) <= (len(b), sorted(b)) else (b, a)
    mean = best_assignment(small, large, score) / len(small)
    coverage = len(small) / len(large)
    return max(0.0, min(1.0, mean * (0.7 + 0.3 * coverage)))
