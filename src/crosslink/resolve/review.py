"""The review queue: uncertain pairs, ordered by what a decision would change.

A pair whose records sit in two entities is a possible merge; its impact grows with the
size of both entities and with how connected they are (links to other records: a merge that
joins two networks comes first). A pair inside one entity is a possible split; its impact is
the entity's size. Judged pairs leave the queue. Each item carries the per-comparison levels
and match weights of the pair.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, union_all

from crosslink.access import Subject, visible_records
from crosslink.resolve.cluster import Edge
from crosslink.resolve.schema import match_edges, review_pairs
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import links

__all__ = ["ReviewItem", "queue_rows", "review_queue"]


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


def link_degrees(conn: Connection, uids: Iterable[str]) -> Counter[str]:
    """How many links touch each record."""
    wanted = sorted(set(uids))
    out: Counter[str] = Counter()
    for start in range(0, len(wanted), MAX_IN_PARAMS):
        chunk = wanted[start : start + MAX_IN_PARAMS]
        ends = union_all(
            select(links.c.source_uid.label("uid")).where(links.c.source_uid.in_(chunk)),
            select(links.c.target_uid.label("uid")).where(links.c.target_uid.in_(chunk)),
        ).subquery()
        for uid, n in conn.execute(select(ends.c.uid, func.count()).group_by(ends.c.uid)):
            out[uid] = int(n)
    return out


def queue_rows(
    conn: Connection,
    band: list[Edge],
    members: Mapping[str, str],
    sizes: Mapping[str, int],
    judged: set[tuple[str, str]],
) -> list[dict[str, Any]]:
    """Rows of ``review_pairs`` for the uncertain ``band`` of one run."""
    pending = [e for e in band if (e.left, e.right) not in judged]
    entity_members: dict[str, set[str]] = {}
    for uid, entity in members.items():
        entity_members.setdefault(entity, set()).add(uid)
    involved = {members[u] for e in pending for u in (e.left, e.right)}
    degree = link_degrees(conn, (u for ent in involved for u in entity_members[ent]))
    links_of = {ent: sum(degree[u] for u in entity_members[ent]) for ent in involved}
    rows = []
    for edge in pending:
        left, right = members[edge.left], members[edge.right]
        if left == right:
            impact = float(sizes[left])
        else:
            impact = float(
                (sizes[left] + sizes[right]) * (1 + links_of[left]) * (1 + links_of[right])
            )
        rows.append(
            {
                "left_uid": edge.left,
                "right_uid": edge.right,
                "left_entity": left,
                "right_entity": right,
                "probability": edge.probability,
                "impact": impact,
            }
        )
    return rows


def review_queue(
    conn: Connection,
    *,
    entity_type: str | None = None,
    limit: int = 20,
    subject: Subject | None = None,
) -> list[ReviewItem]:
    """The top of the queue: merges before splits, larger impact first, closest call first."""
    stmt = (
        select(review_pairs, match_edges.c.weight, match_edges.c.detail)
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
            comparisons=json.loads(r.detail),
        )
        for r in conn.execute(stmt)
    ]
