"""Differentially private counts with OpenDP: the discrete Laplace mechanism on the histogram.

Each person is in exactly one cell, so adding or removing a person changes the histogram by 1
in L1; the epsilon recorded is OpenDP's own privacy map at that distance.
"""

from __future__ import annotations

import opendp.prelude as dp

from crosslink.stats.disclosure import Method, Published
from crosslink.stats.tables import Table


def noisy(table: Table, method: Method) -> Published:
    dp.enable_features("contrib")  # OpenDP's switch for its vetted-but-unproven mechanisms
    keys = list(table.cells)
    mechanism = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=1.0 / method.epsilon
    )
    spent = float(mechanism.map(1))  # type: ignore[no-untyped-call]
    values = [max(0, int(v)) for v in mechanism([table.cells[k] for k in keys])]
    cells: dict[tuple[str, ...], int | None] = dict(zip(keys, values, strict=True))
    margins: dict[tuple[str, ...], int | None] = {
        key: sum(int(cells[c] or 0) for c in members) for key, members in table.constraints()
    }
    return Published(Method("dp", epsilon=method.epsilon), cells, margins, epsilon=spent)
