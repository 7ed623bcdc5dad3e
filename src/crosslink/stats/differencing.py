"""Differencing: could a new release, set beside an earlier one, reveal a withheld cell?

Both releases are sums over the same finest cells (every dimension either uses, and the
year). Their published figures become bounds on those unknown counts: exact for suppression,
``[v, v + base - 1]`` for rounding down, none for noisy counts (differential privacy covers
them). A withheld cell of either release that the joint bounds pin to one value is revealed.
An earlier release the current counts contradict was made on other data and is reported as
not comparable (the check cannot speak for it).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from crosslink.stats._lp import Bound, intervals
from crosslink.stats.errors import DisclosureRefused
from crosslink.stats.tables import Key

MAX_FINE_CELLS = 20_000


@dataclass(frozen=True)
class Sheet:
    """One release as the check sees it: what it published over which dimensions."""

    ident: str
    dimensions: tuple[str, ...]
    years: tuple[int, int] | None
    method: str
    base: int
    cells: dict[Key, int | None]
    margins: dict[Key, int | None]


@dataclass(frozen=True)
class Verdict:
    revealed: tuple[str, ...]
    not_comparable: tuple[str, ...]


def compare(new: Sheet, earlier: Sequence[Sheet], years: Sequence[str]) -> Verdict:
    """Check ``new`` against each earlier release; ``years`` are the reference years known."""
    revealed: list[str] = []
    apart: list[str] = []
    for old in earlier:
        found = _pair(new, old, years)
        if found is None:
            apart.append(old.ident)
        else:
            revealed.extend(found)
    return Verdict(tuple(revealed), tuple(apart))


def _pair(new: Sheet, old: Sheet, years: Sequence[str]) -> list[str] | None:
    dims = tuple(dict.fromkeys(("year", *new.dimensions, *old.dimensions)))
    values = {d: _categories(d, (new, old), years) for d in dims}
    fine = list(itertools.product(*(values[d] for d in dims)))
    if len(fine) > MAX_FINE_CELLS:
        raise DisclosureRefused(
            f"the check against release {old.ident} needs {len(fine)} cells "
            f"(at most {MAX_FINE_CELLS}): choose fewer or coarser dimensions"
        )
    bounds: list[Bound] = []
    targets: list[tuple[str, tuple[int, ...]]] = []
    for sheet in (new, old):
        for key, value in [*sheet.cells.items(), *sheet.margins.items()]:
            members = tuple(i for i, f in enumerate(fine) if _covers(sheet, dims, key, f))
            if value is None:
                targets.append((f"release {sheet.ident} cell {'/'.join(key)}", members))
            elif sheet.method == "suppress":
                bounds.append(Bound(members, value, value))
            elif sheet.method == "round":
                bounds.append(Bound(members, value, value + sheet.base - 1))
    found = intervals(len(fine), bounds, [members for _, members in targets])
    if found is None:
        return None
    return [name for (name, _), (low, high) in zip(targets, found, strict=True) if high - low < 1]


def _categories(dim: str, sheets: Sequence[Sheet], years: Sequence[str]) -> list[str]:
    seen = set(years) if dim == "year" else set()
    for sheet in sheets:
        if dim in sheet.dimensions:
            at = sheet.dimensions.index(dim)
            seen |= {k[at] for k in sheet.cells}
    return sorted(seen)


def _covers(sheet: Sheet, dims: tuple[str, ...], key: Key, fine: Key) -> bool:
    year = fine[dims.index("year")]
    if sheet.years is not None and not (
        year.isdigit() and sheet.years[0] <= int(year) <= sheet.years[1]
    ):
        return False
    for at, dim in enumerate(sheet.dimensions):
        if key[at] != "*" and fine[dims.index(dim)] != key[at]:
            return False
    return True
