"""Tables: counted persons of one role, cross-tabulated by the dimensions the user chooses."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from crosslink.stats.count import Population
from crosslink.stats.errors import InvalidStatsRequest
from crosslink.stats.rules import CountingRules

Key = tuple[str, ...]
MAX_DIMENSIONS = 3


@dataclass(frozen=True)
class TableSpec:
    role: str
    dimensions: tuple[str, ...]
    years: tuple[int, int] | None = None
    """Only persons whose reference year is in this closed range (unknown years drop out)."""

    def check(self, rules: CountingRules) -> TableSpec:
        if self.role not in rules.roles:
            known = ", ".join(rules.roles)
            raise InvalidStatsRequest(f"unknown role {self.role!r}; use one of {known}")
        if not 1 <= len(self.dimensions) <= MAX_DIMENSIONS:
            raise InvalidStatsRequest(f"choose 1 to {MAX_DIMENSIONS} dimensions")
        if len(set(self.dimensions)) != len(self.dimensions):
            raise InvalidStatsRequest("a dimension is named twice")
        for name in self.dimensions:
            if name not in rules.dimensions:
                known = ", ".join(rules.dimensions)
                raise InvalidStatsRequest(f"unknown dimension {name!r}; use one of {known}")
        if self.years and self.years[0] > self.years[1]:
            raise InvalidStatsRequest(f"year range {self.years[0]}-{self.years[1]} is empty")
        return self

    def as_dict(self) -> dict[str, object]:
        return {
            "role": self.role,
            "dimensions": list(self.dimensions),
            "years": list(self.years) if self.years else None,
        }


@dataclass(frozen=True)
class Table:
    """Exact counts: never shown as they are; :mod:`crosslink.stats.disclosure` publishes them."""

    spec: TableSpec
    categories: tuple[tuple[str, ...], ...]
    cells: dict[Key, int]
    """Every combination of the categories, zeros included."""
    rules_version: str
    resolve_run: int | None
    inputs: tuple[str, ...]

    def keys(self) -> list[Key]:
        return list(self.cells)

    def constraints(self) -> Iterator[tuple[Key, list[Key]]]:
        """Each published margin: its key (``*`` where summed) and the cells it sums.

        The grand total, and every sum over one dimension with the others fixed; a sum over
        one category is the cell itself, not a margin.
        """
        yield ("*",) * len(self.categories), list(self.cells)
        if len(self.categories) < 2:
            return
        for axis in range(len(self.categories)):
            if len(self.categories[axis]) < 2:
                continue
            others = [c for i, c in enumerate(self.categories) if i != axis]
            for fixed in itertools.product(*others):
                key = (*fixed[:axis], "*", *fixed[axis:])
                yield key, [k for k in self.cells if _matches(key, k)]


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``2024`` or ``2022-2024``; empty is every year."""
    if not text or not text.strip():
        return None
    low, _, high = text.strip().partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise InvalidStatsRequest(f"years {text!r}: write YEAR or FROM-TO (2022-2024)") from None


def _matches(margin: Key, cell: Key) -> bool:
    return all(m == "*" or m == c for m, c in zip(margin, cell, strict=True))


def _order(rules: CountingRules, name: str, seen: set[str]) -> tuple[str, ...]:
    dim = rules.dimensions[name]
    known = [b.label for b in dim.bands] if dim.bands else sorted(seen - {rules.unknown})
    ordered = [v for v in known if v in seen or dim.bands]
    return tuple(ordered + [v for v in sorted(seen) if v not in ordered])


def build_table(population: Population, spec: TableSpec, rules: CountingRules) -> Table:
    spec.check(rules)
    chosen = [p for p in population.persons if p.role == spec.role]
    if spec.years:
        low, high = spec.years
        chosen = [
            p for p in chosen if p.values["year"].isdigit() and low <= int(p.values["year"]) <= high
        ]
    counts = Counter(tuple(p.values[d] for d in spec.dimensions) for p in chosen)
    categories = tuple(
        _order(rules, d, {key[i] for key in counts}) for i, d in enumerate(spec.dimensions)
    )
    cells = {key: counts.get(key, 0) for key in itertools.product(*categories)}
    return Table(
        spec, categories, cells, population.rules_version, population.resolve_run, population.inputs
    )
