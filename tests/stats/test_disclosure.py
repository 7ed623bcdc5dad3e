"""Disclosure control: no withheld cell can be recovered from the margins, nor by differencing.

The checks here are independent of the LP the library uses: a withheld cell is recoverable
from published equalities exactly when its indicator vector lies in their row space (linear
algebra, ignoring that counts are non-negative, which only helps an attacker less).
"""

from __future__ import annotations

import itertools
import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosslink.stats.count import CountedPerson, Population
from crosslink.stats.differencing import Sheet, compare
from crosslink.stats.disclosure import Method, Published, protect, round_down, suppress
from crosslink.stats.rules import load_rules
from crosslink.stats.tables import Key, Table, TableSpec, build_table

RULES = load_rules()
YEARS = ("2021", "2022", "2023")
FORMS = ("labour", "sexual", "other")
SEXES = ("female", "male")


def _table(counts: list[int], rows: int, cols: int) -> Table:
    keys = [(f"r{i}", f"c{j}") for i in range(rows) for j in range(cols)]
    categories = (tuple(f"r{i}" for i in range(rows)), tuple(f"c{j}" for j in range(cols)))
    spec = TableSpec("victim", ("sex", "form"))
    return Table(spec, categories, dict(zip(keys, counts, strict=True)), "t", None, ("test",))


def _recoverable(fine: list[Key], equalities: list[set[Key]], target: set[Key]) -> bool:
    """Is the sum over ``target`` fixed by the published sums over ``equalities``?"""
    index = {k: i for i, k in enumerate(fine)}
    matrix = np.zeros((len(equalities), len(fine)))
    for row, members in enumerate(equalities):
        matrix[row, [index[k] for k in members]] = 1
    goal = np.zeros(len(fine))
    goal[[index[k] for k in target]] = 1
    if not equalities:
        return False
    rank = np.linalg.matrix_rank(matrix)
    return bool(np.linalg.matrix_rank(np.vstack([matrix, goal])) == rank)


def _published_sums(table: Table, published: Published) -> list[set[Key]]:
    sums = [{k} for k, v in published.cells.items() if v is not None]
    margins = [
        set(cells) for key, cells in table.constraints() if published.margins[key] is not None
    ]
    return sums + margins


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(2, 4).flatmap(
            lambda cols: st.tuples(
                st.just(rows),
                st.just(cols),
                st.lists(st.integers(0, 14), min_size=rows * cols, max_size=rows * cols),
            )
        )
    )
)
def test_no_withheld_cell_can_be_recovered_from_the_margins(
    shape: tuple[int, int, list[int]],
) -> None:
    rows, cols, counts = shape
    table = _table(counts, rows, cols)
    published = suppress(table, threshold=5)
    for key, value in table.cells.items():
        if 0 < value < 5:
            assert published.cells[key] is None, "every small cell is withheld"
    sums = _published_sums(table, published)
    for key, shown in published.cells.items():
        if shown is None:
            assert not _recoverable(list(table.cells), sums, {key})
        else:
            assert shown == table.cells[key]
    for key, cells in table.constraints():
        assert published.margins[key] in (None, sum(table.cells[c] for c in cells))


def test_a_lone_small_cell_takes_a_partner() -> None:
    table = _table([3, 40, 50, 60], 2, 2)
    published = suppress(table, threshold=5)
    withheld = {k for k, v in published.cells.items() if v is None}
    assert len(withheld) == 4  # one small cell in a 2x2 table with margins hides all four
    assert published.primary == {("r0", "c0")}


def test_rounding_goes_down_to_the_base_and_keeps_the_method() -> None:
    table = _table([3, 40, 57, 60], 2, 2)
    published = round_down(table, 10)
    assert list(published.cells.values()) == [0, 40, 50, 60]
    assert published.margins[("*", "*")] == 160
    assert published.method.params() == {"method": "round", "base": 10}


def test_noise_spends_the_epsilon_asked_and_keeps_counts_whole() -> None:
    table = _table([3, 40, 57, 60], 2, 2)
    published = protect(table, Method("dp", epsilon=0.5))
    assert published.epsilon == 0.5
    assert all(isinstance(v, int) and v >= 0 for v in published.cells.values())
    assert published.margins[("*", "*")] == sum(v or 0 for v in published.cells.values())


def _population(seed: int, size: int) -> Population:
    rng = random.Random(seed)
    persons = tuple(
        CountedPerson(
            f"p{i}",
            "victim",
            frozenset({"a"}),
            {"year": rng.choice(YEARS), "form": rng.choice(FORMS), "sex": rng.choice(SEXES)},
        )
        for i in range(size)
    )
    return Population(persons, "t", None, ("test",))


def _sheet(ident: str, table: Table, published: Published) -> Sheet:
    spec = table.spec
    base = published.method.base if published.method.name == "round" else 1
    return Sheet(
        ident,
        spec.dimensions,
        spec.years,
        published.method.name,
        base,
        published.cells,
        published.margins,
    )


def _fine_sums(sheet: Sheet) -> tuple[list[Key], list[set[Key]], list[set[Key]]]:
    """Published equalities and withheld cells of a sheet, over (year, form, sex) cells."""
    fine: list[Key] = list(itertools.product(YEARS, FORMS, SEXES))
    dims = ("year", "form", "sex")

    def covered(key: Key) -> set[Key]:
        return {
            f
            for f in fine
            if (sheet.years is None or sheet.years[0] <= int(f[0]) <= sheet.years[1])
            and all(
                key[at] == "*" or f[dims.index(d)] == key[at]
                for at, d in enumerate(sheet.dimensions)
            )
        }

    shown = [covered(k) for k, v in [*sheet.cells.items(), *sheet.margins.items()] if v is not None]
    hidden = [covered(k) for k, v in sheet.cells.items() if v is None]
    return fine, shown, hidden


SPECS = [
    TableSpec("victim", ("year", "form")),
    TableSpec("victim", ("form",), (2021, 2022)),
    TableSpec("victim", ("form", "sex")),
    TableSpec("victim", ("sex",), (2023, 2023)),
    TableSpec("victim", ("year",)),
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(20, 90), st.sampled_from(SPECS), st.sampled_from(SPECS))
def test_a_release_the_check_lets_through_reveals_nothing_by_differencing(
    seed: int, size: int, first: TableSpec, second: TableSpec
) -> None:
    population = _population(seed, size)
    old_table = build_table(population, first, RULES)
    new_table = build_table(population, second, RULES)
    old = _sheet("1", old_table, suppress(old_table, 5))
    new = _sheet("new", new_table, suppress(new_table, 5))
    verdict = compare(new, [old], YEARS)
    assert not verdict.not_comparable  # same data: always comparable
    fine, shown_old, hidden_old = _fine_sums(old)
    _, shown_new, hidden_new = _fine_sums(new)
    recoverable = [
        target
        for target in hidden_old + hidden_new
        if _recoverable(fine, shown_old + shown_new, target)
    ]
    if not verdict.revealed:
        assert not recoverable
    if recoverable:
        assert verdict.revealed


def test_an_exact_slice_beside_a_suppressed_table_is_caught() -> None:
    """A year's counts published exactly (rounded to a base of 1) pin that year's withheld
    cells of an earlier year-by-form table."""
    population = _population(3, 20)
    by_year = build_table(population, TableSpec("victim", ("year", "form")), RULES)
    one_year = build_table(population, TableSpec("victim", ("form",), (2023, 2023)), RULES)
    earlier = suppress(by_year, 5)
    hidden = [k for k, v in earlier.cells.items() if v is None and k[0] == "2023"]
    assert hidden
    verdict = compare(
        _sheet("new", one_year, round_down(one_year, 1)), [_sheet("1", by_year, earlier)], YEARS
    )
    assert verdict.revealed
    assert any(name.startswith("release 1 cell 2023/") for name in verdict.revealed)
    coarse = compare(
        _sheet("new", one_year, round_down(one_year, 10)), [_sheet("1", by_year, earlier)], YEARS
    )
    assert not coarse.revealed
