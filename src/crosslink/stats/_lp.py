"""What an attacker can infer: the interval of a sum of unknown non-negative counts.

Linear programming over the published equalities and bounds (HiGHS through SciPy). For one
two-way table with its margins the constraint matrix is totally unimodular, so the bounds are
exact; for overlapping releases they are the LP relaxation's, i.e. never narrower than an
attacker's integer reasoning would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog


@dataclass(frozen=True)
class Bound:
    """``low <= sum(x[i] for i in members) <= high``."""

    members: tuple[int, ...]
    low: float
    high: float


def intervals(
    n: int, bounds: Sequence[Bound], targets: Sequence[Sequence[int]]
) -> list[tuple[float, float]] | None:
    """The (min, max) of each target sum; None when the bounds contradict each other."""
    rows_ub: list[np.ndarray] = []
    rhs_ub: list[float] = []
    for bound in bounds:
        row = np.zeros(n)
        row[list(bound.members)] = 1.0
        rows_ub += [row, -row]
        rhs_ub += [bound.high, -bound.low]
    a_ub = np.array(rows_ub) if rows_ub else None
    b_ub = np.array(rhs_ub) if rhs_ub else None
    found: list[tuple[float, float]] = []
    for target in targets:
        goal = np.zeros(n)
        goal[list(target)] = 1.0
        low = linprog(goal, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if low.status == 2:
            return None
        high = linprog(-goal, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        top = float("inf") if high.status == 3 else -float(high.fun)
        found.append((float(low.fun), top))
    return found
