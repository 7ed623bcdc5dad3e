"""Multiple systems estimation: real six-list counts, and simulated lists of known size."""

from __future__ import annotations

import csv
import random
from collections import Counter

import pytest

from crosslink.stats.errors import EstimateRefused
from crosslink.stats.mse import estimate
from tests.conftest import shared_file
from tests.stats.conftest import StatsWorld


def _netherlands() -> tuple[list[str], dict[tuple[int, ...], int]]:
    path = shared_file("mse", "netherlands_lists.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lists = [k for k in rows[0] if k != "frequency"]
    return lists, {tuple(int(r[n]) for n in lists): int(r["frequency"]) for r in rows}


@pytest.mark.parametrize("criterion", ["aic", "bic"])
def test_the_dutch_six_lists_give_an_estimate_with_its_interval(criterion: str) -> None:
    lists, histories = _netherlands()
    found = estimate(lists, histories, criterion=criterion)  # type: ignore[arg-type]
    assert found.observed == sum(histories.values())
    assert found.observed < found.low < found.total < found.high
    assert found.interactions  # these lists are far from independent
    assert any("sparse overlap" in w for w in found.warnings)


def _simulate(
    rng: random.Random, size: int, chances: list[float], tie: float = 0.0
) -> Counter[tuple[int, ...]]:
    """Lists of a population of ``size``; with ``tie`` the second list follows the first."""
    seen: Counter[tuple[int, ...]] = Counter()
    for _ in range(size):
        history = [int(rng.random() < p) for p in chances]
        if tie and history[0] and rng.random() < tie:
            history[1] = 1
        if any(history):
            seen[tuple(history)] += 1
    return seen


@pytest.mark.parametrize("tie", [0.0, 0.3])
def test_the_interval_holds_the_known_size_in_nine_of_ten_repetitions(tie: float) -> None:
    size, chances, repeats = 1500, [0.2, 0.25, 0.3, 0.2], 40
    hits = 0
    for seed in range(repeats):
        found = estimate(["a", "b", "c", "d"], _simulate(random.Random(seed), size, chances, tie))
        hits += found.low <= size <= found.high
    assert hits >= 0.9 * repeats


def test_lists_drawn_from_the_demo_worlds_true_victims(stats_world: StatsWorld) -> None:
    """Three agencies' lists of the world's true victims (its truth: their real number)."""
    victims = [p for p, role in stats_world.true_roles().items() if role == "victim"]
    size, hits, repeats = len(victims) * 10, 0, 30  # the world's victims over ten years
    for seed in range(repeats):
        found = estimate(
            ["police", "centres", "immigration"],
            _simulate(random.Random(seed), size, [0.3, 0.25, 0.35]),
        )
        hits += found.low <= size <= found.high
    assert hits >= 0.9 * repeats


def test_too_few_or_disjoint_lists_are_refused_with_the_reason() -> None:
    with pytest.raises(EstimateRefused, match="at least two lists"):
        estimate(["a"], {(1,): 100})
    with pytest.raises(EstimateRefused, match="an estimate needs 30"):
        estimate(["a", "b"], {(1, 0): 10, (0, 1): 5, (1, 1): 2})
    with pytest.raises(EstimateRefused, match="share no person"):
        estimate(["a", "b"], {(1, 0): 50, (0, 1): 40})
    with pytest.raises(EstimateRefused, match="list b holds 2 persons"):
        estimate(["a", "b", "c"], {(1, 0, 0): 50, (0, 1, 0): 2, (0, 0, 1): 40, (1, 0, 1): 9})
