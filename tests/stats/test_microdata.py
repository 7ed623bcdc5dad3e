"""k-anonymous micro-data: every published combination describes at least k persons."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.stats.count import CountedPerson, Population
from crosslink.stats.microdata import SUPPRESSED, k_anonymous
from crosslink.stats.rules import load_rules
from crosslink.stats.tables import TableSpec

RULES = load_rules()
SPEC = TableSpec("victim", ("year", "sex", "form"))


def _population(seed: int, size: int) -> Population:
    rng = random.Random(seed)
    persons = tuple(
        CountedPerson(
            f"p{i}",
            "victim",
            frozenset({"a"}),
            {
                "year": rng.choice(["2021", "2022", "2023"]),
                "sex": rng.choice(["female", "male", "unknown"]),
                "form": rng.choices(["sexual", "labour", "other"], [5, 4, 1])[0],
            },
        )
        for i in range(size)
    )
    return Population(persons, "t", None, ("test",))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 300), st.integers(2, 15))
def test_no_published_combination_describes_fewer_than_k(seed: int, size: int, k: int) -> None:
    population = _population(seed, size)
    found = k_anonymous(population, SPEC, RULES, k)
    assert all(n >= k for n in Counter(found.rows).values())
    assert len(found.rows) + found.dropped_rows == size
    assert found.dropped_rows < k or size < k
    # What stays is true: each published value is the person's own or withheld.
    truth = Counter(tuple(p.values[d] for d in SPEC.dimensions) for p in population.persons)
    for row in found.rows:
        assert any(
            all(v in (SUPPRESSED, t) for v, t in zip(row, key, strict=True)) for key in truth
        )


def test_a_large_group_is_published_whole() -> None:
    population = _population(1, 400)
    found = k_anonymous(population, TableSpec("victim", ("sex",)), RULES, 11)
    assert found.suppressed_values == 0
    assert len(found.rows) == 400
