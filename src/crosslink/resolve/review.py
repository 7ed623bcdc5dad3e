"""The review queue: uncertain pairs, ordered by what a decision would change.

A pair whose records sit in two entities is a possible merge; its impact grows with the
size of both entities and with how connected they are (links to other records: a merge that
joins two networks comes first). A pair inside one entity is a possible split; its impact is
the entity's size. Judged pairs leave the queue. Each item carries the per-comparison levels
and match weights of the pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import igraph as ig
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, func, select

from crosslink.access import Subject, visible_records
from crosslink.resolve._pairs import EdgeArrays
from crosslink.resolve.cluster import Edge
from crosslink.resolve.evidence import RunEvidence
from crosslink.resolve.schema import entity_members, match_edges, review_pairs
from crosslink.store.schema import links

__all__ = [
    "QueueRow",
    "ReviewItem",
    "entity_links",
    "joining_bridges",
    "queue_rows",
    "review_queue",
]


@dataclass(frozen=True)
class ReviewItem:
    left_uid: str
    right_uid: str
    entity_type: str
    left_entity: str
    right_entity: str
    probability: float
    weight: float
    impact: float
    comparisons: list[dict[str, Any]]

    @property
    def kind(self) -> str:
        return "split" if self.left_entity == self.right_entity else "merge"


def entity_links(conn: Connection, entity_type: str) -> Counter[str]:
    """How many links touch the records of each stored entity of ``entity_type``.

    Counted in the database from ``entity_members``: a run at scale would otherwise send it
    the uids of hundreds of thousands of records, a few hundred at a time. Summed here, not
    grouped in SQL: SQLite would then read the members in entity order, at random."""
    ends = [
        select(func.count())
        .select_from(links)
        .where(end == entity_members.c.record_uid)
        .scalar_subquery()
        for end in (links.c.source_uid, links.c.target_uid)
    ]
    stmt = select(entity_members.c.entity_id, ends[0] + ends[1]).where(
        entity_members.c.entity_type == entity_type
    )
    out: Counter[str] = Counter()
    for entity, n in conn.execute(stmt):
        out[entity] += n
    return out


class QueueRow(NamedTuple):
    """One row of ``review_pairs`` but for its entity type and run."""

    left_uid: str
    right_uid: str
    left_entity: str
    right_entity: str
    probability: float
    impact: float


def queue_rows(
    band: Iterable[Edge],
    members: Mapping[str, str],
    sizes: Mapping[str, int],
    links_of: Mapping[str, int],
    judged: set[tuple[str, str]],
    *,
    bridges: set[tuple[str, str]],
) -> list[QueueRow]:
    """Rows of ``review_pairs`` for the uncertain ``band`` of one run, in the band's order:
    ``members`` maps record uids to entities, ``links_of`` counts the links of an entity's
    records (:func:`entity_links`).

    A decision is asked once per pair of entities, on their strongest pair: at a million
    records, the pairs between the same two entities made the queue 4.5 times as long. A
    pair inside one entity is asked about only if it joined it and nothing else does: one of
    the ``bridges`` (:func:`joining_bridges`). A weaker pair decided nothing, and without a
    bridge the entity holds together whatever the answer. Merges the model may never make
    alone are asked one at a time around the entity they crowd (:func:`_one_per_hub`)."""
    rows: list[QueueRow | None] = []
    alone: list[bool] = []  # per row: a merge only an analyst can make
    strongest: dict[tuple[str, str], int] = {}  # pair of entities -> its row
    for edge in band:
        if (edge.left, edge.right) in judged:
            continue
        left, right = members[edge.left], members[edge.right]
        if left == right:
            if (edge.left, edge.right) not in bridges:
                continue
            impact = float(sizes[left])
        else:
            key = (left, right) if left < right else (right, left)
            held = rows[strongest[key]] if key in strongest else None
            if held is not None:
                if edge.probability <= held.probability:
                    continue
                rows[strongest[key]] = None
            strongest[key] = len(rows)
            impact = float(
                (sizes[left] + sizes[right])
                * (1 + links_of.get(left, 0))
                * (1 + links_of.get(right, 0))
            )
        rows.append(QueueRow(edge.left, edge.right, left, right, edge.probability, impact))
        alone.append(left != right and not edge.supported)
    return _one_per_hub(rows, alone)


def _one_per_hub(rows: list[QueueRow | None], alone: list[bool]) -> list[QueueRow]:
    """``rows`` but, of the merges only an analyst can make (``alone``), those that are not
    the strongest of the entity of the two that has more of them (its hub). An address
    without a house number may be any door of its street: it is asked once, on the likeliest
    door, and the next once that one is judged (at a million records, 400,000 questions)."""
    count: Counter[str] = Counter()
    for row, only in zip(rows, alone, strict=True):
        if row is not None and only:
            count[row.left_entity] += 1
            count[row.right_entity] += 1
    best: dict[str, QueueRow] = {}
    for row, only in zip(rows, alone, strict=True):
        if row is None or not only:
            continue
        hub = _hub(row, count)
        if hub is not None and (hub not in best or row.probability > best[hub].probability):
            best[hub] = row
    out = []
    for row, only in zip(rows, alone, strict=True):
        if row is None:
            continue
        hub = _hub(row, count) if only else None
        if hub is None or best[hub] is row:
            out.append(row)
    return out


def _hub(row: QueueRow, count: Counter[str]) -> str | None:
    left, right = count[row.left_entity], count[row.right_entity]
    if left == right:
        return None
    return row.left_entity if left > right else row.right_entity


def joining_bridges(
    edges: EdgeArrays,
    within: pa.BooleanArray,
    threshold: float,
    sole: Collection[tuple[str, str]] = (),
) -> set[tuple[str, str]]:
    """The pairs that joined an entity (at or above ``threshold`` and supported, or a
    ``sole`` namesake's) and whose loss would split it: no other path of joining pairs links their
    records. ``within``: per edge, whether its records are in one entity
    (:meth:`EdgeArrays.same`)."""
    joining = pc.or_(
        pc.and_(pc.greater_equal(edges.probability, threshold), edges.supported),
        edges.having(sole),
    )
    ends, nodes = edges.ends(pc.and_(joining, within)), edges.nodes
    graph = ig.Graph(n=len(nodes), edges=ends)
    return {(nodes[ends[i][0]], nodes[ends[i][1]]) for i in graph.bridges()}


def review_queue(
    conn: Connection,
    *,
    entity_type: str | None = None,
    limit: int = 20,
    subject: Subject | None = None,
) -> list[ReviewItem]:
    """The top of the queue: merges before splits, larger impact first, closest call first."""
    stmt = (
        select(
            review_pairs,
            match_edges.c.weight,
            match_edges.c.run_id.label("edge_run"),
            match_edges.c.detail,
        )
        .join(
            match_edges,
            (match_edges.c.left_uid == review_pairs.c.left_uid)
            & (match_edges.c.right_uid == review_pairs.c.right_uid),
        )
        .order_by(
            (review_pairs.c.left_entity == review_pairs.c.right_entity).asc(),
            review_pairs.c.impact.desc(),
            func.abs(review_pairs.c.probability - 0.5).asc(),
            review_pairs.c.left_uid,
            review_pairs.c.right_uid,
        )
        .limit(limit)
    )
    if entity_type is not None:
        stmt = stmt.where(review_pairs.c.entity_type == entity_type)
    if subject is not None:
        seen = visible_records(subject)
        stmt = stmt.where(review_pairs.c.left_uid.in_(seen), review_pairs.c.right_uid.in_(seen))
    evidence = RunEvidence(conn)
    return [
        ReviewItem(
            left_uid=r.left_uid,
            right_uid=r.right_uid,
            entity_type=r.entity_type,
            left_entity=r.left_entity,
            right_entity=r.right_entity,
            probability=r.probability,
            weight=r.weight,
            impact=r.impact,
            comparisons=evidence.comparisons(r.edge_run, r.detail),
        )
        for r in conn.execute(stmt)
    ]
