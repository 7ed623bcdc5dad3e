"""The resolution review: uncertain pairs side by side, with the match weight of each
comparison, and the analyst's judgement (same / different / unsure, with a reason).

The queue comes from :func:`crosslink.resolve.review_queue` (only pairs whose two records the
subject may view); both records of each pair are consulted, and so logged, before they are
shown; pairs judged since the last run are left out. Judging goes to
:func:`crosslink.resolve.judge`, which checks visibility again and writes the judgement to
the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from crosslink.access import Clock, Subject, consult_records
from crosslink.profiles.read import record_values_of
from crosslink.resolve import Judgement, judge, review_queue
from crosslink.resolve.schema import judgements
from crosslink.search.labels import record_labels


@dataclass(frozen=True)
class Side:
    uid: str
    label: str
    entity_id: str
    values: dict[str, list[str]]
    conditions: str | None


@dataclass(frozen=True)
class Pair:
    entity_type: str
    kind: str
    probability: float
    weight: float
    impact: float
    comparisons: list[dict[str, Any]]
    left: Side
    right: Side


_SLACK = 50
"""Judged pairs stay in the queue until the next run; this many more are read to skip them."""


def _judged(conn: Connection, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    if not pairs:
        return set()
    lefts = sorted({left for left, _ in pairs})
    rows = conn.execute(
        select(judgements.c.left_uid, judgements.c.right_uid).where(
            judgements.c.left_uid.in_(lefts)
        )
    )
    return {(str(a), str(b)) for a, b in rows}


def review(
    conn: Connection,
    subject: Subject,
    *,
    justification: str | None,
    entity_type: str | None = None,
    limit: int = 10,
) -> list[Pair]:
    """The top of the review queue as ``subject`` may see it; both sides consulted."""
    queued = review_queue(conn, entity_type=entity_type, limit=limit + _SLACK, subject=subject)
    judged = _judged(conn, [(i.left_uid, i.right_uid) for i in queued])
    items = [i for i in queued if (i.left_uid, i.right_uid) not in judged][:limit]
    uids = [u for item in items for u in (item.left_uid, item.right_uid)]
    if not uids:
        return []
    consulted = consult_records(conn, subject, uids, justification=justification)
    allowed = set(consulted.allowed)
    values = record_values_of(conn, sorted(allowed))
    labels = record_labels(conn, sorted(allowed))

    def side(uid: str, entity: str) -> Side:
        return Side(
            uid, labels.get(uid, uid), entity, values.get(uid, {}), consulted.conditions.get(uid)
        )

    return [
        Pair(
            entity_type=item.entity_type,
            kind=item.kind,
            probability=item.probability,
            weight=item.weight,
            impact=item.impact,
            comparisons=item.comparisons,
            left=side(item.left_uid, item.left_entity),
            right=side(item.right_uid, item.right_entity),
        )
        for item in items
        if item.left_uid in allowed and item.right_uid in allowed
    ]


def judge_pair(
    conn: Connection,
    subject: Subject,
    left: str,
    right: str,
    verdict: str,
    *,
    reason: str,
    clock: Clock,
) -> Judgement:
    """Record ``subject``'s judgement of a pair (records or entities); returns it."""
    return judge(conn, left, right, verdict, reason=reason, actor=subject, clock=clock)
