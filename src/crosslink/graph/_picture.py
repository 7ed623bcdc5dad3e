"""A picture of a network for reports, drawn offline: SVG by hand, PNG with Pillow."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw

from crosslink.graph._network import Network
from crosslink.graph.analytics import seeded

COLOURS = {"Person": "#1f77b4", "Organisation": "#ff7f0e", "Ad": "#2ca02c"}
SUSPECT, VICTIM = "#d62728", "#9467bd"
EDGE = "#999999"


@dataclass(frozen=True)
class PictureOptions:
    width: int = 1200
    height: int = 900
    margin: int = 60
    labels: bool = True
    seed: int = 7
    title: str = ""


@dataclass(frozen=True)
class _Placed:
    x: list[float]
    y: list[float]
    radius: list[float]
    colour: list[str]


def _place(network: Network, opts: PictureOptions) -> _Placed:
    n = len(network.nodes)
    graph = network.graph()
    if n == 0:
        return _Placed([], [], [], [])
    with seeded(opts.seed):
        layout = graph.layout_fruchterman_reingold(weights="weight" if graph.ecount() else None)
    coords: Sequence[Sequence[float]] = layout.coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    inner_w, inner_h = opts.width - 2 * opts.margin, opts.height - 2 * opts.margin
    degrees = graph.degree()
    return _Placed(
        [opts.margin + (x - min(xs)) / span_x * inner_w for x in xs],
        [opts.margin + (y - min(ys)) / span_y * inner_h for y in ys],
        [4.0 + 2.0 * math.sqrt(d) for d in degrees],
        [_colour(network, i) for i in range(n)],
    )


def _colour(network: Network, i: int) -> str:
    node = network.nodes[i]
    if {"suspect", "convicted"} & node.categories:
        return SUSPECT
    if "victim" in node.categories or "victim" in node.roles:
        return VICTIM
    return COLOURS.get(node.kind, "#7f7f7f")


def _label(network: Network, i: int) -> str:
    node = network.nodes[i]
    return (node.label or node.id)[:28]


def svg(network: Network, options: PictureOptions | None = None) -> str:
    opts = options or PictureOptions()
    placed = _place(network, opts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{opts.width}" '
        f'height="{opts.height}" viewBox="0 0 {opts.width} {opts.height}">',
        f'<rect width="{opts.width}" height="{opts.height}" fill="#ffffff"/>',
    ]
    if opts.title:
        parts.append(
            f'<text x="10" y="24" font-size="16" font-family="sans-serif">'
            f"{escape(opts.title)}</text>"
        )
    for edge in network.edges:
        width = min(6.0, 0.5 + edge.weight / 2)
        parts.append(
            f'<line x1="{placed.x[edge.a]:.1f}" y1="{placed.y[edge.a]:.1f}" '
            f'x2="{placed.x[edge.b]:.1f}" y2="{placed.y[edge.b]:.1f}" stroke="{EDGE}" '
            f'stroke-width="{width:.1f}"><title>{escape(edge.label)}</title></line>'
        )
    for i in range(len(network.nodes)):
        parts.append(
            f'<circle cx="{placed.x[i]:.1f}" cy="{placed.y[i]:.1f}" r="{placed.radius[i]:.1f}" '
            f'fill="{placed.colour[i]}"><title>{escape(_label(network, i))}</title></circle>'
        )
        if opts.labels:
            parts.append(
                f'<text x="{placed.x[i] + placed.radius[i] + 2:.1f}" y="{placed.y[i] + 4:.1f}" '
                f'font-size="11" font-family="sans-serif">{escape(_label(network, i))}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def png(network: Network, path: Path, options: PictureOptions | None = None) -> None:
    opts = options or PictureOptions()
    placed = _place(network, opts)
    image = Image.new("RGB", (opts.width, opts.height), "white")
    draw = ImageDraw.Draw(image)
    if opts.title:
        draw.text((10, 10), opts.title, fill="black")
    for edge in network.edges:
        width = max(1, min(6, round(0.5 + edge.weight / 2)))
        draw.line(
            [(placed.x[edge.a], placed.y[edge.a]), (placed.x[edge.b], placed.y[edge.b])],
            fill=EDGE,
            width=width,
        )
    for i in range(len(network.nodes)):
        r = placed.radius[i]
        x, y = placed.x[i], placed.y[i]
        draw.ellipse([x - r, y - r, x + r, y + r], fill=placed.colour[i])
        if opts.labels:
            draw.text((x + r + 2, y - 5), _label(network, i), fill="black")
    image.save(path, format="PNG")
