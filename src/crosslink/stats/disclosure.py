"""Disclosure control, one method per output, recorded with it.

- ``suppress``: cells from 1 to ``threshold - 1`` are withheld (primary), then more cells
  (secondary, complementary) until no withheld cell can be recovered from the published
  margins: each one's feasible interval is at least one person wide. Margins and zeros are
  published (a margin below the threshold says only that the line is small).
- ``round``: every cell and margin rounded down to a multiple of ``base`` (CTDC's reporting
  resolution).
- ``dp``: every cell plus discrete Laplace noise of scale 1/epsilon (OpenDP); the margins are
  sums of the noisy cells (post-processing spends no budget). Epsilon is charged to the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crosslink.stats._lp import Bound, intervals
from crosslink.stats.errors import InvalidStatsRequest
from crosslink.stats.tables import Key, Table

MethodName = Literal["suppress", "round", "dp"]
METHODS: tuple[MethodName, ...] = ("suppress", "round", "dp")


@dataclass(frozen=True)
class Method:
    name: MethodName = "suppress"
    threshold: int = 10
    base: int = 10
    epsilon: float = 1.0

    def check(self) -> Method:
        if self.name not in METHODS:
            raise InvalidStatsRequest(f"unknown method {self.name!r}; use one of {METHODS}")
        if self.threshold < 2 or self.base < 2:
            raise InvalidStatsRequest("threshold and base are at least 2")
        if not 0 < self.epsilon <= 10:
            raise InvalidStatsRequest("epsilon is above 0 and at most 10")
        return self

    def params(self) -> dict[str, object]:
        chosen: dict[str, dict[str, object]] = {
            "suppress": {"threshold": self.threshold},
            "round": {"base": self.base},
            "dp": {"epsilon": self.epsilon},
        }
        return {"method": self.name, **chosen[self.name]}


@dataclass(frozen=True)
class Published:
    """What may leave: cells (None = withheld) and margins, with the method that made them."""

    method: Method
    cells: dict[Key, int | None]
    margins: dict[Key, int | None]
    primary: frozenset[Key] = frozenset()
    """The cells withheld for their own sake (kept in the store, never published)."""
    epsilon: float = 0.0


def protect(table: Table, method: Method) -> Published:
    method.check()
    if method.name == "suppress":
        return suppress(table, method.threshold)
    if method.name == "round":
        return round_down(table, method.base)
    from crosslink.stats._dp import noisy

    return noisy(table, method)


def round_down(table: Table, base: int) -> Published:
    margins = {key: sum(table.cells[c] for c in cells) for key, cells in table.constraints()}
    return Published(
        Method("round", base=base),
        {k: v - v % base for k, v in table.cells.items()},
        {k: v - v % base for k, v in margins.items()},
    )


def suppress(table: Table, threshold: int) -> Published:
    primary = {k for k, v in table.cells.items() if 0 < v < threshold}
    withheld = set(primary)
    while True:
        exposed = exposed_cells(table, withheld)
        if not exposed:
            break
        partner = _complement(table, withheld, exposed[0])
        if partner is None:  # nothing left to withhold beside it: withhold every cell
            withheld |= set(table.cells)
            break
        withheld.add(partner)
    # Too few cells to hide one among others (a table of one line, say): the margins go too.
    hide_margins = bool(exposed_cells(table, withheld))
    margins: dict[Key, int | None] = {
        key: None if hide_margins else sum(table.cells[c] for c in cells)
        for key, cells in table.constraints()
    }
    cells = {k: (None if k in withheld else v) for k, v in table.cells.items()}
    return Published(Method("suppress", threshold=threshold), cells, margins, frozenset(primary))


def exposed_cells(table: Table, withheld: set[Key]) -> list[Key]:
    """Withheld cells an attacker could pin down from the published cells and margins."""
    if not withheld:
        return []
    order = [k for k in table.cells if k in withheld]
    index = {k: i for i, k in enumerate(order)}
    bounds = []
    for _, cells in table.constraints():
        hidden = tuple(index[c] for c in cells if c in index)
        if hidden:
            rest = sum(table.cells[c] for c in cells) - sum(
                table.cells[c] for c in cells if c not in index
            )
            bounds.append(Bound(hidden, rest, rest))
    found = intervals(len(order), bounds, [(i,) for i in range(len(order))])
    assert found is not None  # the true counts satisfy their own margins
    return [key for key, (low, high) in zip(order, found, strict=True) if high - low < 1]


def _complement(table: Table, withheld: set[Key], cell: Key) -> Key | None:
    """The cell to withhold beside ``cell``: in a margin with it, smallest first (least lost),
    preferring a non-zero one (a withheld zero protects little)."""
    candidates = {
        other
        for _, cells in table.constraints()
        if cell in cells
        for other in cells
        if other not in withheld
    }
    if not candidates:
        return None
    return min(candidates, key=lambda k: (table.cells[k] == 0, table.cells[k], k))
