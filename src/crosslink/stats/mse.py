"""Multiple systems estimation: the victims no list shows, from how the lists overlap.

Poisson log-linear models over the counts of each capture history (which lists saw a person),
main effects plus chosen two-way interactions (lists that see the same people more, or less,
than chance). The model is chosen by forward selection on AIC or BIC; the unseen count is the
fitted count of the history "on no list", ``exp(intercept)``, with a profile-likelihood
interval. Standard caveats are reported with every estimate: the model assumes a closed
population, persons matched correctly across lists, and no higher-order dependence than the
model allows; sparse overlaps make the choice of model, and so the estimate, fragile.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm
from scipy.optimize import brentq
from scipy.stats import chi2

from crosslink.stats.errors import EstimateRefused

MIN_PERSONS = 30
MIN_LIST = 5
SPARSE = 5
Criterion = Literal["aic", "bic"]
CAVEATS = (
    "assumes a closed population over the period, each person matched correctly across lists, "
    "and no dependence between lists beyond the chosen two-way interactions"
)


@dataclass(frozen=True)
class Estimate:
    lists: tuple[str, ...]
    observed: int
    hidden: float
    total: float
    low: float
    high: float
    level: float
    interactions: tuple[str, ...]
    criterion: str
    score: float
    warnings: tuple[str, ...]
    caveats: str = CAVEATS

    def as_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class _Fit:
    terms: tuple[tuple[int, int], ...]
    intercept: float
    llf: float
    score: float


def estimate(
    lists: Sequence[str],
    histories: Mapping[tuple[int, ...], int],
    *,
    criterion: Criterion = "bic",
    level: float = 0.95,
) -> Estimate:
    """Estimate the total from the counts of each capture history (tuples of 0/1 per list)."""
    width = len(lists)
    _refuse_small(lists, histories)
    cells = [h for h in itertools.product((0, 1), repeat=width) if any(h)]
    y = np.array([histories.get(h, 0) for h in cells], dtype=float)
    x = np.array(cells, dtype=float)
    pairs = [
        (i, j)
        for i, j in itertools.combinations(range(width), 2)
        if width > 2 and y[(x[:, i] == 1) & (x[:, j] == 1)].sum() > 0
    ]
    best = _fit(x, y, (), criterion)
    if best is None:
        raise EstimateRefused("the independence model cannot be fitted to these lists")
    while True:
        tried = [_fit(x, y, (*best.terms, p), criterion) for p in pairs if p not in best.terms]
        better = [f for f in tried if f is not None and f.score < best.score - 1e-9]
        if not better:
            break
        best = min(better, key=lambda f: f.score)
    observed = int(y.sum())
    low, high = _profile(x, y, best, level)
    notes = _warnings(lists, x, y, best, observed)
    return Estimate(
        tuple(lists),
        observed,
        math.exp(best.intercept),
        observed + math.exp(best.intercept),
        observed + low,
        observed + high,
        level,
        tuple(f"{lists[i]}×{lists[j]}" for i, j in best.terms),
        criterion,
        best.score,
        notes,
    )


def _refuse_small(lists: Sequence[str], histories: Mapping[tuple[int, ...], int]) -> None:
    if len(lists) < 2:
        raise EstimateRefused("an estimate needs at least two lists")
    if len(set(lists)) != len(lists):
        raise EstimateRefused("a list is named twice")
    total = sum(histories.values())
    if total < MIN_PERSONS:
        raise EstimateRefused(f"the lists hold {total} persons; an estimate needs {MIN_PERSONS}")
    for at, name in enumerate(lists):
        size = sum(n for h, n in histories.items() if h[at])
        if size < MIN_LIST:
            raise EstimateRefused(
                f"list {name} holds {size} persons (at least {MIN_LIST}): drop it or merge it"
            )
    if not any(n for h, n in histories.items() if sum(h) > 1):
        raise EstimateRefused(
            "the lists share no person, and only overlaps give an estimate "
            "(are the persons resolved?)"
        )
    if len(lists) == 2 and histories.get((1, 1), 0) == 0:
        raise EstimateRefused("the two lists share no person: the overlap gives no estimate")


def _design(x: np.ndarray, terms: Sequence[tuple[int, int]]) -> np.ndarray:
    columns = [x] + [(x[:, i] * x[:, j])[:, None] for i, j in terms]
    return np.hstack(columns)


def _fit(
    x: np.ndarray, y: np.ndarray, terms: tuple[tuple[int, int], ...], criterion: Criterion
) -> _Fit | None:
    design = sm.add_constant(_design(x, terms), has_constant="add")
    if design.shape[1] >= len(y):
        return None  # saturated: no degree of freedom left to judge the model
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = sm.GLM(y, design, family=sm.families.Poisson()).fit()
        except (Warning, ValueError, np.linalg.LinAlgError):
            return None  # diverging (an overlap of zero): not a usable model
    params = np.asarray(result.params)
    if not np.all(np.isfinite(params)) or abs(params[0]) > 25:
        return None
    k = design.shape[1]
    score = -2 * result.llf + (2 * k if criterion == "aic" else k * math.log(y.sum()))
    return _Fit(terms, float(params[0]), float(result.llf), float(score))


def _llf_at(x: np.ndarray, y: np.ndarray, terms: Sequence[tuple[int, int]], b0: float) -> float:
    design = _design(x, terms)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm.GLM(y, design, family=sm.families.Poisson(), offset=np.full(len(y), b0)).fit()
    return float(result.llf)


def _profile(x: np.ndarray, y: np.ndarray, best: _Fit, level: float) -> tuple[float, float]:
    """The interval of the unseen count where the profile deviance stays under chi2(1)."""
    cut = float(chi2.ppf(level, 1)) / 2

    def gap(b0: float) -> float:
        return best.llf - _llf_at(x, y, best.terms, b0) - cut

    ends = []
    for step in (-1.0, 1.0):
        far = best.intercept + step
        while gap(far) < 0 and abs(far - best.intercept) < 40:
            far += step * abs(far - best.intercept)
        if gap(far) < 0:
            ends.append(-math.inf if step < 0 else math.inf)
        else:
            ends.append(float(brentq(gap, *sorted((best.intercept, far)), xtol=1e-6)))
    return math.exp(ends[0]), math.exp(ends[1])


def _warnings(
    lists: Sequence[str], x: np.ndarray, y: np.ndarray, best: _Fit, observed: int
) -> tuple[str, ...]:
    notes = []
    for i, j in itertools.combinations(range(len(lists)), 2):
        both = int(y[(x[:, i] == 1) & (x[:, j] == 1)].sum())
        if both < SPARSE:
            notes.append(f"sparse overlap: {lists[i]} and {lists[j]} share {both} persons")
    if math.exp(best.intercept) > 5 * observed:
        notes.append("the unseen count is over five times the observed: treat it as unstable")
    return tuple(notes)
