"""The network from resolved entities and links: actors, and typed, weighted ties with evidence.

Identity of a record's node: its resolved entity (``entity_members``); else, for phones,
emails, bank accounts, online accounts and identity documents, the cleaned key value
(``Phone:+32470…``), so the same phone in two sources is one thing; else the record itself.

Actors (persons, organisations, ads) are the nodes. Everything else is a *shared thing* that
ties the actors attached to it: two persons using one phone get a ``shared_phone`` edge, two
named in one report a ``same_report`` edge. Links between actors (employment, family, payment,
recruited …) become edges of their own kind. Each edge keeps, per kind, its :class:`Evidence`.

Weights: each kind has a base weight (:data:`DEFAULT_WEIGHTS`, overridable). A shared thing
attached to ``n`` actors gives each pair ``1 / (n - 1)`` of it (a hostel address ties its
residents less than a phone ties two people), and a kind's repeated evidence adds up with
diminishing returns: ``base × x`` for ``x ≤ 1``, ``base × (1 + ln x)`` beyond.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from sqlalchemy import Connection

from crosslink.access.policy import Subject
from crosslink.graph._describe import Hub, describe_actor, describe_hub
from crosslink.graph._kinds import (
    ACTOR_TYPES,
    DEFAULT_WEIGHTS,
    DIRECT,
    DIRECTED,
    HUB_KINDS,
    INLINE,
    KEYED_TYPES,
    VICTIM_LINKS,
)
from crosslink.graph._load import LinkRow, Loaded, RecordRow, load_visible
from crosslink.graph._network import BuildReport, Edge, Evidence, Network, Node
from crosslink.graph.errors import InvalidGraphOption

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """What to build: for which action, over which dates, with which weights.

    ``as_of``: only evidence dated on or before that day (the picture as it stood then).
    ``start``/``end``: only evidence whose dates overlap the range. Undated evidence (most
    shared phones and addresses) is kept unless ``include_undated`` is false.
    """

    action: str = "view"
    as_of: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    include_undated: bool = True
    max_hub_actors: int = 60
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    default_weight: float = 1.0

    def check(self) -> BuildOptions:
        if self.max_hub_actors < 2:
            raise InvalidGraphOption("max_hub_actors must be at least 2")
        if self.start and self.end and self.start > self.end:
            raise InvalidGraphOption("the date range starts after it ends")
        if any(w < 0 for w in self.weights.values()) or self.default_weight < 0:
            raise InvalidGraphOption("edge weights must not be negative")
        return self

    def keeps(self, start: str | None, end: str | None) -> bool:
        """Does evidence dated ``start``–``end`` (ISO text, either may be missing) count?"""
        if not start and not end:
            return self.include_undated
        first = start or end or ""
        last = end or start or ""
        if self.as_of is not None and first > self.as_of.isoformat():
            return False
        if self.end is not None and first > self.end.isoformat():
            return False
        return not (self.start is not None and last < self.start.isoformat())

    def weight(self, kind: str) -> float:
        return float(self.weights.get(kind, self.default_weight))


def build_network(
    conn: Connection, subject: Subject | None, options: BuildOptions | None = None
) -> Network:
    """The network ``subject`` may see (``options.action``, default view), as of the options.

    ``subject=None`` builds from every record: for system jobs and benchmarks only.
    """
    opts = (options or BuildOptions()).check()
    loaded = load_visible(conn, subject, opts.action)
    network = _Builder(loaded, opts).build()
    logger.info(
        "network built: %d nodes, %d edges from %d records and %d links",
        len(network.nodes),
        len(network.edges),
        network.report.records,
        network.report.links,
    )
    return network


def network_from_edges(rows: Iterable[tuple[str, str, float]], kind: str = "associate") -> Network:
    """A network from a plain weighted edge list (external data such as a published study)."""
    nodes: dict[str, Node] = {}
    pairs: dict[tuple[str, str], Evidence] = {}
    for a, b, weight in rows:
        for name in (a, b):
            nodes.setdefault(name, Node(name, "Person", name))
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        evidence = pairs.setdefault(key, Evidence(kind))
        evidence.weight += weight
        evidence.count += 1
    ordered = sorted(nodes)
    where = {name: i for i, name in enumerate(ordered)}
    edges = [Edge(where[a], where[b], {kind: ev}) for (a, b), ev in sorted(pairs.items())]
    return Network([nodes[n] for n in ordered], edges)


def load_edge_csv(path: Path, kind: str = "associate") -> Network:
    """:func:`network_from_edges` over a CSV with ``source``, ``target`` and optional ``weight``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            (r["source"].strip(), r["target"].strip(), float(r.get("weight") or 1.0))
            for r in csv.DictReader(handle)
        ]
    return network_from_edges(rows, kind)


@dataclass(frozen=True)
class _Attach:
    actor: str
    link: str
    records: tuple[str, ...]
    sources: tuple[str, ...]
    handling: tuple[str, ...]
    start: str | None
    end: str | None
    ad: bool


class _Builder:
    def __init__(self, loaded: Loaded, options: BuildOptions) -> None:
        self.data = loaded
        self.opts = options
        self.nodes: dict[str, Node] = {}
        self.hubs: dict[str, Hub] = {}
        self.attached: dict[str, list[_Attach]] = defaultdict(list)
        self.payments: list[LinkRow] = []
        self.ties: dict[tuple[str, str], dict[str, Evidence]] = defaultdict(dict)
        self.report = BuildReport(records=len(loaded.records), links=len(loaded.links))
        self.record_node: dict[str, str] = {}

    def node_of(self, record: RecordRow) -> str:
        entity = self.data.membership.get(record.uid)
        if entity is not None:
            return entity
        key = KEYED_TYPES.get(record.schema)
        if key is not None:
            found = self.data.values.get(record.uid, {}).get(key)
            if found:
                return f"{record.schema}:{found[0]}"
        return record.uid

    def build(self) -> Network:
        for record in self.data.records.values():
            self._record(record)
        for link in self.data.links:
            self._link(link)
        for hub_id, attachments in self.attached.items():
            self._project(hub_id, attachments)
        for link in self.payments:
            self._account_payment(link)
        return self._finish()

    def _record(self, record: RecordRow) -> None:
        values = self.data.values.get(record.uid, {})
        node_id = self.node_of(record)
        source = self.data.sources.get(record.source_id)
        if record.schema not in ACTOR_TYPES:
            hub = self.hubs.setdefault(node_id, Hub(record.schema))
            describe_hub(hub, values)
            return
        node = self.nodes.setdefault(node_id, Node(node_id, record.schema))
        self.record_node[record.uid] = node_id
        node.records.add(record.uid)
        node.sources.add(record.source_id)
        node.handling_codes.add(record.handling_code)
        if source is not None:
            node.agencies |= source.agencies
            node.countries.add(source.jurisdiction)
        if record.person_category:
            node.categories.add(record.person_category)
        describe_actor(node, values)
        posted = next(iter(values.get("posted_at", ())), None)
        if not self.opts.keeps(posted, posted):
            self.report.filtered_by_date += 1
            return
        for (schema, prop), hub_type in INLINE.items():
            if schema != record.schema:
                continue
            for value in values.get(prop, ()):
                hub_id = f"{hub_type}:{value}"
                hub = self.hubs.setdefault(hub_id, Hub(hub_type))
                hub.label = hub.label or value
                dates = (posted, posted)
                self._attach(hub_id, node_id, f"{record.uid}#{prop}", (record,), None, dates)

    def _attach(
        self,
        hub_id: str,
        actor: str,
        link_id: str,
        recs: tuple[RecordRow, ...],
        link: LinkRow | None,
        dates: tuple[str | None, str | None] | None,
    ) -> None:
        start, end = dates if dates else (None, None)
        sources = {r.source_id for r in recs} | ({link.source_id} if link else set())
        handling = {r.handling_code for r in recs} | ({link.handling_code} if link else set())
        ad = self.nodes[actor].kind == "Ad"
        attach = _Attach(
            actor,
            link_id,
            tuple(r.uid for r in recs),
            tuple(sorted(sources)),
            tuple(sorted(handling)),
            start,
            end,
            ad,
        )
        self.attached[hub_id].append(attach)
        self.report.attachments += 1

    def _link(self, link: LinkRow) -> None:
        src = self.data.records.get(link.source_uid)
        dst = self.data.records.get(link.target_uid)
        if src is None or dst is None:
            return
        a, b = self.node_of(src), self.node_of(dst)
        start, end = link.start_date, link.end_date
        hub_id = b if src.schema in ACTOR_TYPES else a
        hub = self.hubs.get(hub_id)
        if not start and not end and hub is not None:
            start, end = hub.start, hub.end
        if not self.opts.keeps(start, end):
            self.report.filtered_by_date += 1
            return
        if link.link_type == "victim_of" or link.link_type in VICTIM_LINKS:
            victim = a if link.link_type == "victim_of" else b
            if victim in self.nodes:
                self.nodes[victim].roles.add("victim")
        actors = (src.schema in ACTOR_TYPES, dst.schema in ACTOR_TYPES)
        if actors == (True, True):
            if a != b:
                kind = DIRECT.get(link.link_type, link.link_type)
                self._tie(a, b, kind, link, (src, dst), (start, end), None, 1.0)
        elif actors[0] != actors[1]:
            actor = a if actors[0] else b
            self._attach(hub_id, actor, link.uid, (src, dst), link, (start, end))
        elif link.link_type == "payment":
            self.payments.append(link)

    def _tie(
        self,
        a: str,
        b: str,
        kind: str,
        link: LinkRow | None,
        recs: Iterable[RecordRow],
        dates: tuple[str | None, str | None],
        via: str | None,
        share: float,
    ) -> Evidence:
        key = (a, b) if a < b else (b, a)
        evidence = self.ties[key].setdefault(kind, Evidence(kind))
        evidence.weight += share
        evidence.count += 1
        for record in recs:
            evidence.records.add(record.uid)
            self._provenance(evidence, record.source_id, record.handling_code)
        if link is not None:
            evidence.links.add(link.uid)
            self._provenance(evidence, link.source_id, link.handling_code)
            if kind in DIRECTED:
                evidence.directed_from.add(a)
        if via is not None:
            evidence.via.add(via)
        evidence.add_date(*dates)
        return evidence

    def _provenance(self, evidence: Evidence, source_id: str, handling: str) -> None:
        evidence.handling_codes.add(handling)
        self._sources(evidence, (source_id,))

    def _sources(self, evidence: Evidence, source_ids: Iterable[str]) -> None:
        for source_id in source_ids:
            evidence.sources.add(source_id)
            info = self.data.sources.get(source_id)
            if info is not None:
                evidence.agencies |= info.agencies

    def _project(self, hub_id: str, attachments: list[_Attach]) -> None:
        hub = self.hubs[hub_id]
        by_actor: dict[str, list[_Attach]] = defaultdict(list)
        for attach in attachments:
            by_actor[attach.actor].append(attach)
        for actor in by_actor:
            node = self.nodes[actor]
            node.countries |= hub.countries
            node.sectors |= hub.sectors
            node.add_date(hub.start)
        n = len(by_actor)
        if n > self.opts.max_hub_actors:
            kind = HUB_KINDS.get(hub.kind, "shared")
            self.report.skipped_hubs[kind] = self.report.skipped_hubs.get(kind, 0) + 1
            logger.info("%s %s ties %d actors: too common to make ties", hub.kind, hub_id, n)
            return
        share = 1.0 / max(1, n - 1)
        for a, b in combinations(sorted(by_actor), 2):
            ad = any(x.ad for x in by_actor[a]) or any(x.ad for x in by_actor[b])
            kind = "ad_contact" if ad else HUB_KINDS.get(hub.kind, "shared")
            evidence = self._tie(a, b, kind, None, (), (None, None), hub_id, share)
            for attach in (*by_actor[a], *by_actor[b]):
                evidence.links.add(attach.link)
                evidence.records.update(attach.records)
                self._sources(evidence, attach.sources)
                evidence.handling_codes.update(attach.handling)
                evidence.add_date(attach.start, attach.end)
            if kind == "ad_contact":
                evidence.directed_from.update(x for x in (a, b) if self.nodes[x].kind == "Ad")

    def _account_payment(self, link: LinkRow) -> None:
        payer_acc = self.node_of(self.data.records[link.source_uid])
        payee_acc = self.node_of(self.data.records[link.target_uid])
        payers = {x.actor: x for x in self.attached.get(payer_acc, [])}
        payees = {x.actor: x for x in self.attached.get(payee_acc, [])}
        recs = (self.data.records[link.source_uid], self.data.records[link.target_uid])
        for payer, via_payer in sorted(payers.items()):
            for payee, via_payee in sorted(payees.items()):
                if payer == payee:
                    continue
                evidence = self._tie(
                    payer, payee, "payment", link, recs, (link.start_date, link.end_date), None, 1.0
                )
                evidence.via.update((payer_acc, payee_acc))
                for attach in (via_payer, via_payee):
                    evidence.links.add(attach.link)
                    evidence.records.update(attach.records)

    def _finish(self) -> Network:
        ordered = sorted(self.nodes)
        where = {node_id: i for i, node_id in enumerate(ordered)}
        edges: list[Edge] = []
        for (a, b), kinds in sorted(self.ties.items()):
            for kind, evidence in kinds.items():
                raw = evidence.weight
                scale = raw if raw <= 1.0 else 1.0 + math.log(raw)
                evidence.weight = self.opts.weight(kind) * scale
            if sum(e.weight for e in kinds.values()) <= 0:
                continue
            edges.append(Edge(where[a], where[b], dict(sorted(kinds.items()))))
        labels = {hub_id: f"{hub.kind} {hub.label}".strip() for hub_id, hub in self.hubs.items()}
        return Network(
            [self.nodes[n] for n in ordered], edges, dict(self.record_node), labels, self.report
        )
