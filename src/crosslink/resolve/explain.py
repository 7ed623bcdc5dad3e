"""Why an entity is what it is: its records, and the evidence that joined each of them.

For each member, the pairs with another member that decided the cluster (scored at or above
the run's threshold, or joined a sole namesake) and that the run stored: its strongest three,
and those that hold the entity together (:mod:`crosslink.resolve._kept`), with each
comparison's level and match weight, and any analyst judgement *same* that joined it. With a
subject, records the subject may not view are left out entirely, and so are the pairs that
involve them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select

from crosslink.access import Subject, visible_records
from crosslink.errors import NotFound
from crosslink.resolve.evidence import RunEvidence
from crosslink.resolve.schema import (
    entities,
    entity_history,
    entity_members,
    judgements,
    match_edges,
    resolve_runs,
)
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values, records

__all__ = ["Evidence", "Explanation", "Member", "explain"]


@dataclass(frozen=True)
class Evidence:
    other_uid: str
    probability: float | None
    weight: float | None
    comparisons: list[dict[str, Any]]
    judgement: str | None = None
    """``same`` (with the reason) when an analyst joined the pair."""
    sole: bool = False
    """Joined on names alone: the other was the one namesake that a record without a date
    of birth or document had (:mod:`crosslink.resolve.namesakes`)."""
    ties: tuple[str, ...] = ()
    """When the one namesake it shares ties with: the kinds of ties (``organisations``,
    ``phones`` …)."""


@dataclass(frozen=True)
class Member:
    uid: str
    source_id: str
    file_name: str
    row_number: int
    handling_code: str
    values: dict[str, list[str]]
    joined_by: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Explanation:
    entity_id: str
    entity_type: str
    status: str
    threshold: float
    members: list[Member]
    history: list[dict[str, Any]]
    run: RunFacts | None = None
    """The run that last changed the entity: how its model was trained and what it applied."""


@dataclass(frozen=True)
class RunFacts:
    run_id: int
    training: str
    """The training steps (``prior+u+em(3)``; ``priors``: the written-down values kept)."""
    prior: float | None
    """The probability that two random records match, as the run used it."""
    prior_estimated: bool
    """Estimated from the data (deterministic rules) rather than written down."""
    prior_recall: str | None
    """The deterministic rule's recall among matches, as the trained model put it; ``None``:
    assumed (``TrainOptions.deterministic_recall``) or not estimated."""
    rules: list[str]
    """The rules applied beside the model (``name@version``); empty for runs before the
    registry."""

    def describe(self) -> str:
        how = "as written down"
        if self.prior_estimated:
            recall = self.prior_recall or "assumed"
            how = f"estimated from exact pairs, their recall {recall}"
        prior = f"{self.prior:.3g}" if self.prior is not None else "unknown"
        rules = ", ".join(self.rules) or "not recorded"
        return f"run {self.run_id}: prior {prior} ({how}), training {self.training}; rules {rules}"


def explain(conn: Connection, entity_id: str, *, subject: Subject | None = None) -> Explanation:
    """Every (visible) source record behind ``entity_id`` and why it joined."""
    row = conn.execute(
        select(
            entities,
            resolve_runs.c.threshold,
            resolve_runs.c.training,
            resolve_runs.c.model,
            resolve_runs.c.rules,
        )
        .join(resolve_runs, resolve_runs.c.id == entities.c.updated_run)
        .where(entities.c.id == entity_id)
    ).first()
    if row is None:
        raise NotFound(f"no entity {entity_id}")
    stmt = (
        select(records)
        .join(entity_members, entity_members.c.record_uid == records.c.uid)
        .where(entity_members.c.entity_id == entity_id)
        .order_by(records.c.source_id, records.c.file_name, records.c.row_number)
    )
    if subject is not None:
        stmt = stmt.where(records.c.uid.in_(visible_records(subject)))
    rows = conn.execute(stmt).all()
    if row.status == "active" and not rows:
        raise NotFound(f"no entity {entity_id}")
    uids = [r.uid for r in rows]
    values = _values(conn, uids)
    evidence = _evidence(conn, set(uids), row.threshold)
    members = [
        Member(
            uid=r.uid,
            source_id=r.source_id,
            file_name=r.file_name,
            row_number=r.row_number,
            handling_code=r.handling_code,
            values=values.get(r.uid, {}),
            joined_by=evidence.get(r.uid, []),
        )
        for r in rows
    ]
    return Explanation(
        entity_id,
        row.entity_type,
        row.status,
        row.threshold,
        members,
        _history(conn, entity_id),
        _run_facts(row),
    )


def _run_facts(row: Any) -> RunFacts:
    model = json.loads(row.model) if row.model else {}
    steps = row.training.split(" ")[0].split("+")
    prior = model.get("probability_two_random_records_match")
    return RunFacts(
        run_id=row.updated_run,
        training=row.training,
        prior=float(prior) if prior is not None else None,
        prior_estimated=any(s.split("@")[0] == "prior" for s in steps),
        prior_recall=next((s[6:] for s in steps if s.startswith("prior@")), None),
        rules=json.loads(row.rules) if row.rules else [],
    )


def _chunks(uids: list[str]) -> list[list[str]]:
    return [uids[i : i + MAX_IN_PARAMS] for i in range(0, len(uids), MAX_IN_PARAMS)]


def _values(conn: Connection, uids: list[str]) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for chunk in _chunks(uids):
        rows = conn.execute(
            select(record_values.c.record_uid, record_values.c.prop, record_values.c.original)
            .where(record_values.c.record_uid.in_(chunk))
            .order_by(record_values.c.record_uid, record_values.c.prop, record_values.c.idx)
        )
        for uid, prop, original in rows:
            out[uid][prop].append(original)
    return {uid: dict(props) for uid, props in out.items()}


def _evidence(conn: Connection, uids: set[str], threshold: float) -> dict[str, list[Evidence]]:
    """Deciding pairs among ``uids``: edges at or above the threshold, those that joined a
    sole namesake, and *same* judgements."""
    out: dict[str, list[Evidence]] = defaultdict(list)
    evidence = RunEvidence(conn)
    ordered = sorted(uids)
    for chunk in _chunks(ordered):
        edges = conn.execute(
            select(match_edges).where(
                match_edges.c.left_uid.in_(chunk),
                or_(match_edges.c.probability >= threshold, match_edges.c.sole),
            )
        )
        for e in edges:
            if e.right_uid in uids:
                comparisons = evidence.comparisons(e.run_id, e.detail)
                ties = tuple(e.ties.split(", ")) if e.ties else ()
                for one, other in ((e.left_uid, e.right_uid), (e.right_uid, e.left_uid)):
                    out[one].append(
                        Evidence(
                            other, e.probability, e.weight, comparisons, sole=e.sole, ties=ties
                        )
                    )
        judged = conn.execute(
            select(judgements)
            .where(
                or_(judgements.c.left_uid.in_(chunk), judgements.c.right_uid.in_(chunk)),
                judgements.c.verdict == "same",
            )
            .order_by(judgements.c.id)
        )
        for j in judged:
            if j.left_uid in uids and j.right_uid in uids and j.left_uid in chunk:
                note = f"same: {j.reason} ({j.author})"
                out[j.left_uid].append(Evidence(j.right_uid, j.score, None, [], note))
                out[j.right_uid].append(Evidence(j.left_uid, j.score, None, [], note))
    for items in out.values():
        items.sort(key=lambda ev: (ev.judgement is None, -(ev.weight or 0.0), ev.other_uid))
    return out


def _history(conn: Connection, entity_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(entity_history)
        .where(or_(entity_history.c.entity_id == entity_id, entity_history.c.other_id == entity_id))
        .order_by(entity_history.c.id)
    ).mappings()
    return [
        {k: r[k] for k in ("run_id", "entity_id", "change", "other_id", "records", "at")}
        for r in rows
    ]
