"""k-anonymous micro-data, as CTDC publishes it: one row per counted person, no identifier,
and no combination of the published values describing fewer than ``k`` persons.

Local suppression: in the rows of too-small combinations, the value of the breakdown with the
most distinct values among them is replaced by ``*``, again and again; rows that still sit in
a too-small group when every value is ``*`` are left out (there are fewer than ``k`` of them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from crosslink.stats.count import Population
from crosslink.stats.errors import InvalidStatsRequest
from crosslink.stats.rules import CountingRules
from crosslink.stats.tables import TableSpec

SUPPRESSED = "*"


@dataclass(frozen=True)
class Microdata:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    k: int
    suppressed_values: int
    dropped_rows: int


def k_anonymous(population: Population, spec: TableSpec, rules: CountingRules, k: int) -> Microdata:
    spec.check(rules)
    if k < 2:
        raise InvalidStatsRequest("k is at least 2")
    chosen = [p for p in population.persons if p.role == spec.role]
    if spec.years:
        low, high = spec.years
        chosen = [
            p for p in chosen if p.values["year"].isdigit() and low <= int(p.values["year"]) <= high
        ]
    rows = [[p.values[d] for d in spec.dimensions] for p in chosen]
    suppressed = 0
    while True:
        sizes = Counter(tuple(r) for r in rows)
        rare = [r for r in rows if sizes[tuple(r)] < k]
        open_columns = [
            c for c in range(len(spec.dimensions)) if any(r[c] != SUPPRESSED for r in rare)
        ]
        if not rare or not open_columns:
            break
        column = max(open_columns, key=lambda c: (len({r[c] for r in rare}), -c))
        for row in rare:
            if row[column] != SUPPRESSED:
                row[column] = SUPPRESSED
                suppressed += 1
    sizes = Counter(tuple(r) for r in rows)
    kept = sorted(tuple(r) for r in rows if sizes[tuple(r)] >= k)
    return Microdata(spec.dimensions, tuple(kept), k, suppressed, len(rows) - len(kept))
