"""Analysts' judgements: same / different / unsure, with who, when, why and the score then.

Judgements are first-class records: a run never rewrites them, the latest judgement of a
pair is the one that counts, *same* and *different* outrank the model in every run
(:mod:`crosslink.resolve.cluster`), and enough of them train the model
(:mod:`crosslink.resolve.train`). Each judgement is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, Select, func, select

from crosslink.access import Clock, Event, Subject, SystemClock, append, load_records
from crosslink.access import authorize as _authorize
from crosslink.errors import InvalidJudgement
from crosslink.resolve.cluster import Constraints, pair_key
from crosslink.resolve.schema import entity_members, judgements, match_edges
from crosslink.store.schema import records

__all__ = ["VERDICTS", "Judgement", "constraints", "judge", "labels", "list_judgements"]

VERDICTS = ("same", "different", "unsure")


@dataclass(frozen=True)
class Judgement:
    id: int
    entity_type: str
    left_uid: str
    right_uid: str
    verdict: str
    reason: str
    author: str
    agency: str | None
    at: dt.datetime
    score: float | None


def _record_of(conn: Connection, ref: str, subject: Subject | None) -> tuple[str, str]:
    """(record uid, entity type) of a record uid or an entity id (its first visible member)."""
    row = conn.execute(select(records.c.uid, records.c.schema).where(records.c.uid == ref)).first()
    if row is None:
        uids = [
            (str(u), str(t))
            for u, t in conn.execute(
                select(entity_members.c.record_uid, entity_members.c.entity_type)
                .where(entity_members.c.entity_id == ref)
                .order_by(entity_members.c.record_uid)
            )
        ]
        if subject is not None:
            visible = load_records(conn, subject, [u for u, _ in uids])
            uids = [
                (u, t) for u, t in uids if u in visible and _authorize(subject, "view", visible[u])
            ]
        if not uids:
            raise InvalidJudgement(f"no record or entity {ref!r}")
        return uids[0][0], uids[0][1]
    if subject is not None:
        found = load_records(conn, subject, [row.uid])
        if row.uid not in found or not _authorize(subject, "view", found[row.uid]):
            # The same answer as for an unknown id: a refusal would tell that it exists.
            raise InvalidJudgement(f"no record or entity {ref!r}")
    return row.uid, row.schema


def _check(verdict: str, reason: str) -> None:
    if verdict not in VERDICTS:
        raise InvalidJudgement(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if not reason.strip():
        raise InvalidJudgement("a judgement needs a reason")


def judge(
    conn: Connection,
    a: str,
    b: str,
    verdict: str,
    *,
    reason: str,
    actor: Subject | str,
    clock: Clock | None = None,
) -> Judgement:
    """Record that records (or entities) ``a`` and ``b`` are ``verdict``; returns it.

    An entity id stands for its first member: judging two entities *different* keeps them
    apart, *same* joins them. The caller owns the transaction; the audit entry is in it.
    """
    _check(verdict, reason)
    subject = actor if isinstance(actor, Subject) else None
    (left, left_type), (right, right_type) = (
        _record_of(conn, a, subject),
        _record_of(conn, b, subject),
    )
    if left_type != right_type:
        raise InvalidJudgement(f"cannot compare a {left_type} with a {right_type}")
    if left == right:
        raise InvalidJudgement("a record is always the same as itself")
    left, right = pair_key(left, right)
    score = conn.execute(
        select(match_edges.c.probability).where(
            match_edges.c.left_uid == left, match_edges.c.right_uid == right
        )
    ).scalar()
    made = Judgement(
        id=0,
        entity_type=left_type,
        left_uid=left,
        right_uid=right,
        verdict=verdict,
        reason=reason.strip(),
        author=actor.username if isinstance(actor, Subject) else actor,
        agency=actor.agency_id if isinstance(actor, Subject) else None,
        at=(clock or SystemClock()).now(),
        score=score,
    )
    values = {k: v for k, v in asdict(made).items() if k != "id"}
    new_id = conn.execute(
        judgements.insert().values(**values).returning(judgements.c.id)
    ).scalar_one()
    event = Event(
        "alteration",
        {"judgement": new_id, "records": [left, right]},
        details={"verdict": verdict, "entity_type": left_type},
    )
    append(conn, actor, event, clock=clock)
    return replace(made, id=int(new_id))


def _latest(entity_type: str | None = None) -> Select[Any]:
    """The latest judgement of each pair (a later one overrules an earlier one)."""
    newest = select(
        judgements.c.left_uid, judgements.c.right_uid, func.max(judgements.c.id).label("id")
    ).group_by(judgements.c.left_uid, judgements.c.right_uid)
    if entity_type is not None:
        newest = newest.where(judgements.c.entity_type == entity_type)
    last = newest.subquery()
    return select(judgements).join(last, judgements.c.id == last.c.id)


def list_judgements(conn: Connection, entity_type: str | None = None) -> list[Judgement]:
    """The judgements in force, oldest first."""
    rows = conn.execute(_latest(entity_type).order_by(judgements.c.id)).mappings()
    return [Judgement(**dict(r)) for r in rows]


def constraints(conn: Connection, entity_type: str) -> Constraints:
    """The pairs judged same and different, for clustering."""
    out = Constraints()
    for j in list_judgements(conn, entity_type):
        if j.verdict == "same":
            out.same.add((j.left_uid, j.right_uid))
        elif j.verdict == "different":
            out.different.add((j.left_uid, j.right_uid))
    return out


def labels(conn: Connection, entity_type: str) -> pa.Table:
    """Judged pairs as Splink labels (``clerical_match_score`` 1 same, 0 different)."""
    rows = [j for j in list_judgements(conn, entity_type) if j.verdict != "unsure"]
    return pa.table(
        {
            "unique_id_l": pa.array([j.left_uid for j in rows], pa.string()),
            "unique_id_r": pa.array([j.right_uid for j in rows], pa.string()),
            "clerical_match_score": pa.array(
                [1.0 if j.verdict == "same" else 0.0 for j in rows], pa.float64()
            ),
        }
    )
