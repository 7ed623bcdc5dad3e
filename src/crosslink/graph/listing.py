"""The networks a user may see, as a list: what ``crosslink network list`` and ``/networks`` show.

Read from :class:`~crosslink.graph.cache.NetworkCache` (so a list costs a policy query and a
cache read, not a build) and logged as one consultation naming every record behind the
networks listed, with the justification — the list names key players.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from crosslink.access.policy import Subject
from crosslink.clock import Clock
from crosslink.errors import JustificationRequired
from crosslink.graph._audit import log_network_access
from crosslink.graph._network import Network
from crosslink.graph.build import BuildOptions
from crosslink.graph.cache import NetworkCache
from crosslink.graph.summary import DetectedNetwork, NetworkOptions


@dataclass(frozen=True)
class Player:
    id: str
    label: str


@dataclass(frozen=True)
class NetworkRow:
    """One network in the list: its size, victims, reach, time span and key players."""

    id: str
    persons: int
    organisations: int
    ads: int
    victims: int
    countries: tuple[str, ...]
    first: str | None
    last: str | None
    agencies: tuple[str, ...]
    key_players: tuple[Player, ...]
    lead: str
    """Where its chart starts: the first key player, else the first member."""


@dataclass(frozen=True)
class Listing:
    network: Network
    detected: list[DetectedNetwork]
    membership: list[int]
    rows: list[NetworkRow]


def list_networks(
    conn: Connection,
    subject: Subject,
    cache: NetworkCache,
    *,
    justification: str | None,
    build: BuildOptions | None = None,
    detect: NetworkOptions | None = None,
    limit: int = 50,
    clock: Clock | None = None,
) -> Listing:
    """The largest ``limit`` networks ``subject`` may see, summarised; logged."""
    if not (justification or "").strip():
        raise JustificationRequired("listing networks needs a justification (LED art. 25)")
    built = cache.get(conn, subject, build)
    detected, membership = built.detect(detect or NetworkOptions())
    shown = detected[:limit]
    network = built.network
    log_network_access(
        conn,
        subject,
        network.records(i for d in shown for i in d.members),
        what={"query": "network list", "networks": [d.id for d in shown]},
        justification=justification,
        clock=clock,
    )
    return Listing(network, detected, membership, [_row(network, d) for d in shown])


def _row(network: Network, found: DetectedNetwork) -> NetworkRow:
    s = found.summary
    players = tuple(
        Player(network.nodes[p.node].id, network.nodes[p.node].label) for p in s.key_players
    )
    lead = players[0].id if players else network.nodes[found.members[0]].id
    return NetworkRow(
        id=s.id,
        persons=s.persons,
        organisations=s.organisations,
        ads=s.ads,
        victims=len(s.victims),
        countries=tuple(s.countries),
        first=s.first,
        last=s.last,
        agencies=tuple(s.agencies),
        key_players=players,
        lead=lead,
    )
