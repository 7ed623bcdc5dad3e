"""Positions for a link chart, worked out on the server with igraph.

Fruchterman–Reingold on the shown actors, weighted by tie strength and started from a
seeded random placement, so the same view always gets the same picture. The result is
scaled so neighbouring actors stand about :data:`SPACING` units apart — room for a label
under each — and centred on the origin; the browser fits it to the whole canvas. Actors of
separate pieces (there are none in an ego view, but a network may have several) are packed
side by side by igraph's component-wise layout rather than thrown to the edges.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import igraph as ig

from crosslink.graph._network import Network

SPACING = 110.0
"""Mean distance between tied actors in chart units (a label is about 140 units wide)."""
BOX = (120.0, 42.0)
"""Room one actor needs, its label under it: no two actors are left closer than this."""
ROUNDS = 60
SEED = 20_240_601


def layout(network: Network, shown: Sequence[int]) -> dict[str, tuple[float, float]]:
    """Node id -> (x, y) for the actors ``shown`` (indices into ``network.nodes``)."""
    if not shown:
        return {}
    graph = network.graph().induced_subgraph(list(shown))
    if graph.vcount() == 1:
        return {network.nodes[shown[0]].id: (0.0, 0.0)}
    rng = random.Random(SEED)
    start = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(graph.vcount())]
    # Unweighted: strong ties pulled actors onto each other, and their labels with them.
    coords = graph.layout_fruchterman_reingold(niter=500, seed=start, grid=False).coords
    points = _apart(_scaled(graph, [(float(x), float(y)) for x, y in coords]))
    order = graph.vs.indices
    return {network.nodes[shown[i]].id: points[i] for i in order}


def _scaled(graph: ig.Graph, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``points`` centred on the origin, with the mean tie length :data:`SPACING`."""
    lengths = [math.dist(points[a], points[b]) for a, b in graph.get_edgelist()]
    typical = sum(lengths) / len(lengths) if lengths else 0.0
    if typical <= 0:
        typical = max((math.hypot(x, y) for x, y in points), default=1.0) or 1.0
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    factor = SPACING / typical
    return [((x - cx) * factor, (y - cy) * factor) for x, y in points]


def _apart(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Actors pushed apart until no two stand within one :data:`BOX` of each other.

    Each round moves both actors of every overlapping pair half the overlap away from each
    other, along the axis where less is needed; a grid of box-sized cells finds the pairs.
    """
    width, height = BOX
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    for _ in range(ROUNDS):
        cells: dict[tuple[int, int], list[int]] = {}
        for i in range(len(xs)):
            cells.setdefault((int(xs[i] // width), int(ys[i] // height)), []).append(i)
        moved = False
        for (cx, cy), members in cells.items():
            near = [
                j
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for j in cells.get((cx + dx, cy + dy), ())
            ]
            for i in members:
                for j in near:
                    if j <= i:
                        continue
                    moved |= _push(xs, ys, i, j)
        if not moved:
            break
    return [(round(x, 1), round(y, 1)) for x, y in zip(xs, ys, strict=True)]


def _push(xs: list[float], ys: list[float], i: int, j: int) -> bool:
    width, height = BOX
    dx, dy = xs[j] - xs[i], ys[j] - ys[i]
    over_x, over_y = width - abs(dx), height - abs(dy)
    if over_x <= 0 or over_y <= 0:
        return False
    if over_x / width < over_y / height:
        step = over_x / 2 * (1 if dx > 0 or (dx == 0 and i < j) else -1)
        xs[i] -= step
        xs[j] += step
    else:
        step = over_y / 2 * (1 if dy > 0 or (dy == 0 and i < j) else -1)
        ys[i] -= step
        ys[j] += step
    return True
