"""Networks: from resolved entities and links to criminal networks, key players and brokers.

Named parts: :mod:`~crosslink.graph.build` (the network a subject may see, typed and weighted
ties with their evidence), :mod:`~crosslink.graph.analytics` (components, Leiden communities,
key players, brokers, paths, ego networks on igraph), :mod:`~crosslink.graph.summary` (the
networks and what is known of each), :mod:`~crosslink.graph.export` (GraphML, GEXF,
FollowTheMoney, CSV, SVG and PNG) and :mod:`~crosslink.graph.evaluate` (against a known truth).
"""

from __future__ import annotations

from crosslink.graph._audit import log_network_access
from crosslink.graph._kinds import DEFAULT_WEIGHTS
from crosslink.graph._network import BuildReport, Edge, Evidence, Network, Node
from crosslink.graph.analytics import (
    Broker,
    Centrality,
    CentralityOptions,
    CommunityOptions,
    GraphStats,
    Hop,
    KeyPlayer,
    Path,
    PathOptions,
    brokers,
    centrality,
    communities,
    components,
    ego_network,
    graph_stats,
    key_players,
    shortest_paths,
)
from crosslink.graph.build import (
    BuildOptions,
    build_network,
    load_edge_csv,
    network_from_edges,
)
from crosslink.graph.errors import GraphError, InvalidGraphOption, UnknownNetwork, UnknownNode
from crosslink.graph.export import FORMATS, export_network
from crosslink.graph.summary import (
    DetectedNetwork,
    NetworkOptions,
    NetworkSummary,
    detect_networks,
    find_network,
    summarise,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "FORMATS",
    "Broker",
    "BuildOptions",
    "BuildReport",
    "Centrality",
    "CentralityOptions",
    "CommunityOptions",
    "DetectedNetwork",
    "Edge",
    "Evidence",
    "GraphError",
    "GraphStats",
    "Hop",
    "InvalidGraphOption",
    "KeyPlayer",
    "Network",
    "NetworkOptions",
    "NetworkSummary",
    "Node",
    "Path",
    "PathOptions",
    "UnknownNetwork",
    "UnknownNode",
    "brokers",
    "build_network",
    "centrality",
    "communities",
    "components",
    "detect_networks",
    "ego_network",
    "export_network",
    "find_network",
    "graph_stats",
    "key_players",
    "load_edge_csv",
    "log_network_access",
    "network_from_edges",
    "shortest_paths",
    "summarise",
]
