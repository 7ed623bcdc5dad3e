"""Networks out: GraphML and GEXF (Gephi), FollowTheMoney entities, CSV edge lists (i2), pictures.

Every format carries the evidence summary of each tie (kinds, weight, sources, agencies,
handling codes, dates, record count) so the provenance travels with the picture. CSV cells go
through :func:`crosslink.store.export.safe_cell` (no formula injection in a spreadsheet).
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import igraph as ig

from crosslink.graph._network import Edge, Network, Node
from crosslink.graph._picture import PictureOptions, png, svg
from crosslink.graph.errors import InvalidGraphOption
from crosslink.store.export import safe_cell

FORMATS = ("graphml", "gexf", "ftm", "csv", "svg", "png")
CSV_HEADER = (
    "source_id",
    "source_label",
    "source_type",
    "target_id",
    "target_label",
    "target_type",
    "tie_kinds",
    "weight",
    "first_date",
    "last_date",
    "sources",
    "agencies",
    "handling_codes",
    "records",
    "via",
)
_FTM_NODE = {"Person": "Person", "Organisation": "Organization", "Ad": "Document"}


def _join(values: set[str] | list[str]) -> str:
    return ";".join(sorted(values))


def node_attributes(node: Node) -> dict[str, str]:
    return {
        "label": node.label or node.id,
        "kind": node.kind,
        "countries": _join(node.countries),
        "nationalities": _join(node.nationalities),
        "categories": _join(node.categories),
        "roles": _join(node.roles),
        "sectors": _join(node.sectors),
        "sources": _join(node.sources),
        "agencies": _join(node.agencies),
        "handling_codes": _join(node.handling_codes),
        "records": str(len(node.records)),
    }


def edge_attributes(edge: Edge) -> dict[str, str]:
    sets: dict[str, set[str]] = {"sources": set(), "agencies": set(), "handling_codes": set()}
    firsts, lasts = [], []
    for evidence in edge.kinds.values():
        sets["sources"] |= evidence.sources
        sets["agencies"] |= evidence.agencies
        sets["handling_codes"] |= evidence.handling_codes
        firsts += [evidence.first] if evidence.first else []
        lasts += [evidence.last] if evidence.last else []
    return {
        "kinds": edge.label,
        "sources": _join(sets["sources"]),
        "agencies": _join(sets["agencies"]),
        "handling_codes": _join(sets["handling_codes"]),
        "first": min(firsts, default=""),
        "last": max(lasts, default=""),
        "records": str(len(edge.records())),
    }


def write_graphml(network: Network, path: Path) -> None:
    graph = ig.Graph(n=len(network.nodes), edges=[(e.a, e.b) for e in network.edges])
    graph.vs["name"] = [n.id for n in network.nodes]
    for key in node_attributes(Node("", "")):
        graph.vs[key] = [node_attributes(n)[key] for n in network.nodes]
    graph.es["weight"] = [e.weight for e in network.edges]
    for key in edge_attributes(Edge(0, 0)):
        graph.es[key] = [edge_attributes(e)[key] for e in network.edges]
    graph.write_graphml(str(path))


def write_gexf(network: Network, path: Path) -> None:
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "Crosslink"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    node_keys = [k for k in node_attributes(Node("", "")) if k != "label"]
    edge_keys = list(edge_attributes(Edge(0, 0)))
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        block = ET.SubElement(graph, "attributes", {"class": cls})
        for i, key in enumerate(keys):
            ET.SubElement(block, "attribute", {"id": str(i), "title": key, "type": "string"})
    nodes = ET.SubElement(graph, "nodes")
    for node in network.nodes:
        attrs = node_attributes(node)
        element = ET.SubElement(nodes, "node", {"id": node.id, "label": attrs["label"]})
        _values(element, node_keys, attrs)
    edges = ET.SubElement(graph, "edges")
    for i, edge in enumerate(network.edges):
        element = ET.SubElement(
            edges,
            "edge",
            {
                "id": str(i),
                "source": network.nodes[edge.a].id,
                "target": network.nodes[edge.b].id,
                "weight": f"{edge.weight:.4f}",
                "label": edge.label,
            },
        )
        _values(element, edge_keys, edge_attributes(edge))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _values(element: ET.Element, keys: list[str], attrs: dict[str, str]) -> None:
    block = ET.SubElement(element, "attvalues")
    for i, key in enumerate(keys):
        ET.SubElement(block, "attvalue", {"for": str(i), "value": attrs[key]})


def ftm_entities(network: Network) -> Iterator[dict[str, Any]]:
    """FollowTheMoney entities: one per actor, one interval entity per tie kind."""
    for node in network.nodes:
        schema = _FTM_NODE.get(node.kind, "LegalEntity")
        props: dict[str, list[str]] = {"name": [node.label or node.id]}
        if schema == "Document":
            props = {"title": [node.label or node.id]}
        if node.countries and schema != "Document":
            props["country"] = sorted(c.lower() for c in node.countries)
        yield _ftm(schema, f"cl-{node.id}", props)
    for edge in network.edges:
        for kind, evidence in edge.kinds.items():
            a, b = network.nodes[edge.a], network.nodes[edge.b]
            if a.id in evidence.directed_from or b.id not in evidence.directed_from:
                src, dst = a, b
            else:
                src, dst = b, a
            schema, props = _ftm_tie(kind, src, dst)
            props["summary"] = [
                f"{kind}: {evidence.count} evidence, sources {_join(evidence.sources)}, "
                f"handling {_join(evidence.handling_codes)}"
            ]
            dates = [d for d in (evidence.first, evidence.last) if d]
            if dates:
                props["startDate"], props["endDate"] = [dates[0]], [dates[-1]]
            yield _ftm(schema, f"cl-{src.id}-{dst.id}-{kind}", props)


def _ftm_tie(kind: str, src: Node, dst: Node) -> tuple[str, dict[str, list[str]]]:
    s, d = f"cl-{src.id}", f"cl-{dst.id}"
    persons = src.kind == "Person" and dst.kind == "Person"
    if kind == "family" and persons:
        return "Family", {"person": [s], "relative": [d]}
    if persons and kind not in {"payment", "recruited", "transported", "exploited", "victim_of"}:
        return "Associate", {"person": [s], "associate": [d], "relationship": [kind]}
    if kind == "employment" and src.kind == "Person" and dst.kind == "Organisation":
        return "Employment", {"employee": [s], "employer": [d]}
    if kind == "directorship" and src.kind == "Person" and dst.kind == "Organisation":
        return "Directorship", {"director": [s], "organization": [d]}
    if kind == "payment" and "Ad" not in (src.kind, dst.kind):
        return "Payment", {"payer": [s], "beneficiary": [d]}
    return "UnknownLink", {"subject": [s], "object": [d], "role": [kind]}


def _ftm(schema: str, entity_id: str, props: dict[str, list[str]]) -> dict[str, Any]:
    # Imported here: the model takes a second to load, and only this export needs it.
    from followthemoney import model as ftm_model

    proxy = ftm_model.make_entity(schema)
    proxy.id = entity_id
    for prop, values in props.items():
        for value in values:
            proxy.add(prop, value)
    return dict(proxy.to_dict())


def write_ftm(network: Network, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for entity in ftm_entities(network):
            handle.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")


def write_edge_csv(network: Network, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for edge in network.edges:
            a, b = network.nodes[edge.a], network.nodes[edge.b]
            attrs = edge_attributes(edge)
            via = {v for ev in edge.kinds.values() for v in ev.via}
            labels = sorted(network.hub_labels.get(v, v) for v in via)
            row = (
                a.id,
                a.label,
                a.kind,
                b.id,
                b.label,
                b.kind,
                attrs["kinds"],
                f"{edge.weight:.4f}",
                attrs["first"],
                attrs["last"],
                attrs["sources"],
                attrs["agencies"],
                attrs["handling_codes"],
                _join(edge.records()),
                ";".join(labels),
            )
            writer.writerow([safe_cell(cell) for cell in row])


def write_svg(network: Network, path: Path, options: PictureOptions | None = None) -> None:
    path.write_text(svg(network, options), encoding="utf-8")


def write_png(network: Network, path: Path, options: PictureOptions | None = None) -> None:
    png(network, path, options)


_WRITERS: dict[str, Callable[[Network, Path], None]] = {
    "graphml": write_graphml,
    "gexf": write_gexf,
    "ftm": write_ftm,
    "csv": write_edge_csv,
    "svg": write_svg,
    "png": write_png,
}


def export_network(network: Network, path: Path, fmt: str) -> None:
    """Write ``network`` to ``path`` in one of :data:`FORMATS`."""
    writer = _WRITERS.get(fmt.lower())
    if writer is None:
        raise InvalidGraphOption(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    writer(network, path)
