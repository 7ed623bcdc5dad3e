"""The network view: an actor's ego network as the user may see it, for the link chart.

:func:`ego_view` is plain library code, called by the JSON route below and by the page
(``crosslink.web.network``). The network is built by :func:`crosslink.graph.build_network`
from the records the user may view — the one access policy, in SQL — so a record the user may
not read gives no node, no tie and never appears in the evidence. What is shown is logged by
:func:`crosslink.graph.log_network_access`, naming every record behind it, with the
justification.

The network comes from :class:`crosslink.graph.cache.NetworkCache` (built once per store
state and policy view). Scores and communities are worked out on the centre's whole component
(not on the part shown), so every view of one component — the first one and each expansion —
agrees on them; the actors marked as key players are those ``crosslink network show`` names
(each detected network's). Positions come from :func:`crosslink.graph.layout.layout`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Query
from sqlalchemy import Connection

from crosslink.access import Clock, Subject
from crosslink.api import schemas
from crosslink.api.deps import ReadUser, Svc, UoW
from crosslink.api.search import record_labels
from crosslink.api.v1 import Justification, problems
from crosslink.errors import JustificationRequired
from crosslink.graph import (
    DEFAULT_WEIGHTS,
    BuildOptions,
    Edge,
    Evidence,
    InvalidGraphOption,
    Network,
    NetworkOptions,
    communities,
    key_players,
    log_network_access,
)
from crosslink.graph.cache import Built, NetworkCache, cache_dir, shared_cache
from crosslink.graph.layout import layout

MAX_HOPS = 3
MAX_NODES = 250
"""One view shows at most this many actors (nearest first): a chart beyond it is unreadable."""
KINDS = frozenset(DEFAULT_WEIGHTS) | {"shared"}


@dataclass(frozen=True)
class EgoQuery:
    """Whose ego network, how far, and which ties count (empty sets: every kind, agency)."""

    ref: str
    hops: int = 1
    kinds: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None

    def check(self) -> EgoQuery:
        if not 1 <= self.hops <= MAX_HOPS:
            raise InvalidGraphOption(f"hops must be between 1 and {MAX_HOPS}")
        unknown = sorted(self.kinds - KINDS)
        if unknown:
            raise InvalidGraphOption(f"unknown kind of tie: {', '.join(unknown)}")
        return self


@dataclass(frozen=True)
class NodeView:
    id: str
    label: str
    kind: str
    center: bool
    key_player: bool
    score: float
    community: int
    degree: int
    roles: tuple[str, ...]
    categories: tuple[str, ...]
    countries: tuple[str, ...]
    agencies: tuple[str, ...]
    x: float
    y: float


@dataclass(frozen=True)
class EvidenceView:
    kind: str
    weight: float
    count: int
    records: tuple[str, ...]
    links: tuple[str, ...]
    sources: tuple[str, ...]
    agencies: tuple[str, ...]
    handling_codes: tuple[str, ...]
    via: tuple[str, ...]
    directed_from: tuple[str, ...]
    first: str | None
    last: str | None


@dataclass(frozen=True)
class EdgeView:
    id: str
    source: str
    target: str
    weight: float
    kinds: tuple[str, ...]
    agencies: tuple[str, ...]
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class EgoView:
    center: str
    label: str
    hops: int
    truncated: bool
    kinds: tuple[str, ...]
    agencies: tuple[str, ...]
    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]


@dataclass(frozen=True)
class _Measures:
    """Per node id, on the centre's component: score, key-player flag, community, degree."""

    score: dict[str, float]
    key: frozenset[str]
    community: dict[str, int]
    degree: dict[str, int]


def ego_view(
    conn: Connection,
    subject: Subject,
    query: EgoQuery,
    *,
    justification: str | None,
    clock: Clock | None = None,
    cache: NetworkCache | None = None,
) -> EgoView:
    """The actors within ``query.hops`` ties of ``query.ref`` that ``subject`` may see; logged.

    An unknown subject and one the user may not see both raise
    :class:`~crosslink.graph.UnknownNode` (404) with the same message.
    """
    query = query.check()
    # Checked before the build (the costly part); the audit entry below checks it again.
    if not (justification or "").strip():
        raise JustificationRequired("viewing a network needs a justification (LED art. 25)")
    options = BuildOptions(start=query.start, end=query.end)
    built = (cache or NetworkCache(None)).get(conn, subject, options)
    network = _only(built.network, query.kinds, query.agencies)
    center = network.find(query.ref)
    shown, truncated = _nearest(network, center, query.hops)
    view = _view(
        network,
        shown,
        (center, query.hops, truncated),
        _measures(network, center, _named_key_players(built)),
        _labels(conn, network, shown),
    )
    log_network_access(
        conn,
        subject,
        network.records(shown),
        what={
            "query": "network view",
            "subject": view.center,
            "hops": query.hops,
            "kinds": sorted(query.kinds),
            "agencies": sorted(query.agencies),
            "from": query.start.isoformat() if query.start else None,
            "to": query.end.isoformat() if query.end else None,
        },
        justification=justification,
        clock=clock,
    )
    return view


def _only(network: Network, kinds: frozenset[str], agencies: frozenset[str]) -> Network:
    """The network with only the evidence of ``kinds`` given by ``agencies`` (empty: all)."""
    if not kinds and not agencies:
        return network
    edges: list[Edge] = []
    for edge in network.edges:
        kept = {
            kind: evidence
            for kind, evidence in edge.kinds.items()
            if (not kinds or kind in kinds) and (not agencies or evidence.agencies & agencies)
        }
        if kept:
            edges.append(Edge(edge.a, edge.b, kept))
    return Network(network.nodes, edges, network.record_node, network.hub_labels, network.report)


def _nearest(network: Network, center: int, hops: int) -> tuple[list[int], bool]:
    """Node indices within ``hops`` of ``center``, nearest first, at most :data:`MAX_NODES`."""
    graph = network.graph()
    reach = set(cast(list[int], graph.neighborhood(center, order=hops)))
    order = [v for v in cast(list[int], graph.bfs(center)[0]) if v in reach]
    return order[:MAX_NODES], len(order) > MAX_NODES


def _named_key_players(built: Built) -> frozenset[str]:
    """The key players `crosslink network show` names: each detected network's, by node id."""
    detected, _ = built.detect(NetworkOptions())
    return frozenset(
        built.network.nodes[p.node].id for found in detected for p in found.summary.key_players
    )


def _measures(network: Network, center: int, named: frozenset[str]) -> _Measures:
    """Scores, communities and degrees on the centre's component; key players as named."""
    graph = network.graph()
    members = sorted(cast(list[int], graph.subcomponent(center)))
    ids = [network.nodes[v].id for v in members]
    players = key_players(network, members, top=len(members))
    membership = communities(graph.induced_subgraph(members))
    degrees = cast(list[int], graph.degree(members))
    return _Measures(
        score={network.nodes[p.node].id: round(p.score, 4) for p in players},
        key=named & frozenset(ids),
        community=dict(zip(ids, membership, strict=True)),
        degree=dict(zip(ids, degrees, strict=True)),
    )


def _labels(conn: Connection, network: Network, shown: list[int]) -> dict[str, str]:
    """Each actor's name as its sources write it most often (a misspelling is rare), as
    search and profiles show it; among equally frequent spellings the fullest, then the first.

    The network's own labels are built from cleaned values, made for matching, not reading.
    """
    found = record_labels(conn, (uid for i in shown for uid in sorted(network.nodes[i].records)))
    labels: dict[str, str] = {}
    for i in shown:
        node = network.nodes[i]
        names = Counter(found[uid] for uid in node.records if found.get(uid, uid) != uid)
        best = min(names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]), default=None)
        labels[node.id] = best[0] if best else node.label or node.id
    return labels


def _view(
    network: Network,
    shown: list[int],
    where: tuple[int, int, bool],
    measures: _Measures,
    labels: dict[str, str],
) -> EgoView:
    """The view of ``shown``; ``where`` is (centre index, hops, truncated)."""
    center, hops, truncated = where
    chosen = set(shown)
    places = layout(network, shown)
    nodes = []
    for i in shown:
        node = network.nodes[i]
        x, y = places[node.id]
        nodes.append(
            NodeView(
                id=node.id,
                label=labels[node.id],
                kind=node.kind,
                center=i == center,
                key_player=node.id in measures.key,
                score=measures.score.get(node.id, 0.0),
                community=measures.community.get(node.id, 0),
                degree=measures.degree.get(node.id, 0),
                roles=tuple(sorted(node.roles)),
                categories=tuple(sorted(node.categories)),
                countries=tuple(sorted(node.countries)),
                agencies=tuple(sorted(node.agencies)),
                x=x,
                y=y,
            )
        )
    edges = [
        _edge_view(network, edge) for edge in network.edges if edge.a in chosen and edge.b in chosen
    ]
    return EgoView(
        center=network.nodes[center].id,
        label=labels[network.nodes[center].id],
        hops=hops,
        truncated=truncated,
        kinds=tuple(sorted({k for e in edges for k in e.kinds})),
        agencies=tuple(sorted({a for e in edges for a in e.agencies})),
        nodes=tuple(nodes),
        edges=tuple(edges),
    )


def _edge_view(network: Network, edge: Edge) -> EdgeView:
    a, b = sorted((network.nodes[edge.a].id, network.nodes[edge.b].id))
    evidence = tuple(_evidence_view(network, ev) for ev in edge.kinds.values())
    return EdgeView(
        id=f"{a}|{b}",
        source=a,
        target=b,
        weight=round(edge.weight, 4),
        kinds=tuple(sorted(edge.kinds)),
        agencies=tuple(sorted({x for ev in evidence for x in ev.agencies})),
        evidence=evidence,
    )


def _evidence_view(network: Network, ev: Evidence) -> EvidenceView:
    return EvidenceView(
        kind=ev.kind,
        weight=round(ev.weight, 4),
        count=ev.count,
        records=tuple(sorted(ev.records)),
        links=tuple(sorted(ev.links)),
        sources=tuple(sorted(ev.sources)),
        agencies=tuple(sorted(ev.agencies)),
        handling_codes=tuple(sorted(ev.handling_codes)),
        via=tuple(sorted(network.hub_labels.get(v, v) for v in ev.via)),
        directed_from=tuple(sorted(ev.directed_from)),
        first=ev.first,
        last=ev.last,
    )


router = APIRouter(prefix="/api/v1", tags=["network"])

Kinds = Annotated[
    list[str],
    Query(max_length=30, description="Only ties of these kinds (repeat; default: every kind)."),
]
Agencies = Annotated[
    list[str],
    Query(max_length=30, description="Only ties some of these agencies' sources show."),
]


@router.get(
    "/network/{ref}",
    response_model=schemas.NetworkOut,
    responses=problems(401, 403, 404, 422, 500, 503),
)
def network_view(
    ref: Annotated[str, Path(min_length=1, max_length=64)],
    user: ReadUser,
    uow: UoW,
    services: Svc,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 1,
    kind: Kinds = [],  # noqa: B006 - FastAPI copies query defaults; never mutated
    agency: Agencies = [],  # noqa: B006
    start: Annotated[dt.date | None, Query(description="Evidence from this day.")] = None,
    end: Annotated[dt.date | None, Query(description="Evidence up to this day.")] = None,
    justification: Justification = None,
) -> Any:
    """The ego network of an entity: actors, typed ties and the evidence of each, key players."""
    query = EgoQuery(ref, hops, frozenset(kind), frozenset(agency), start, end)
    cache = shared_cache(cache_dir(services.settings.data_dir), services.store)
    view = ego_view(
        uow.conn, user, query, justification=justification, clock=services.clock, cache=cache
    )
    return schemas.NetworkOut.model_validate(view)
