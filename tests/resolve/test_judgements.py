"""Judgements outrank the model, split wrong merges, join missed ones, and survive re-runs."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Connection, select

from crosslink.access.schema import audit_log
from crosslink.errors import InvalidJudgement
from crosslink.resolve import ResolveOptions, judge, list_judgements, resolve
from crosslink.resolve.schema import entity_history, entity_members
from tests.conftest import DEMO_RULES
from tests.resolve.test_world import members

PERSONS = ResolveOptions(entity_types=("Person",), rules=DEMO_RULES)


def _largest(conn: Connection) -> tuple[str, list[str]]:
    current = members(conn)
    entity_id, _ = Counter(current.values()).most_common(1)[0]
    return entity_id, sorted(u for u, e in current.items() if e == entity_id)


def test_different_splits_a_merge_and_survives_reruns(conn: Connection) -> None:
    entity_id, uids = _largest(conn)
    a, b = uids[0], uids[-1]
    made = judge(conn, a, b, "different", reason="other mother's name", actor="analyst")
    assert made.score is None or 0.0 <= made.score <= 1.0
    (summary,) = resolve(conn, PERSONS)
    after = members(conn)
    assert after[a] != after[b]
    assert entity_id in {after[a], after[b]}  # the larger part keeps the id
    changes = conn.execute(
        select(entity_history.c.change, entity_history.c.other_id).where(
            entity_history.c.run_id == summary.run_id
        )
    ).all()
    assert ("split", entity_id) in [tuple(c) for c in changes]
    resolve(conn, ResolveOptions(entity_types=("Person",), retrain=True, rules=DEMO_RULES))
    again = members(conn)
    assert again[a] != again[b]


def test_same_joins_two_entities(conn: Connection) -> None:
    current = members(conn)
    singles = [u for u, n in Counter(current.values()).items() if n == 1]
    left, right = singles[0], singles[1]
    record_left, record_right = _uid(conn, left), _uid(conn, right)
    judge(conn, left, right, "same", reason="same passport photo", actor="analyst")
    resolve(conn, PERSONS)
    after = members(conn)
    assert after[record_left] == after[record_right]
    assert after[record_left] in {left, right}  # one id carries on, the other merged into it


def _uid(conn: Connection, entity_id: str) -> str:
    return str(
        conn.execute(
            select(entity_members.c.record_uid).where(entity_members.c.entity_id == entity_id)
        ).scalar_one()
    )


def test_the_latest_judgement_of_a_pair_counts(conn: Connection) -> None:
    _, uids = _largest(conn)
    judge(conn, uids[0], uids[1], "different", reason="first look", actor="a1")
    judge(conn, uids[1], uids[0], "same", reason="second look", actor="a2")
    in_force = [
        j for j in list_judgements(conn, "Person") if {j.left_uid, j.right_uid} == set(uids[:2])
    ]
    assert [j.verdict for j in in_force] == ["same"]
    resolve(conn, PERSONS)
    after = members(conn)
    assert after[uids[0]] == after[uids[1]]


def test_judgements_are_audited(conn: Connection) -> None:
    _, uids = _largest(conn)
    made = judge(conn, uids[0], uids[1], "unsure", reason="photo unclear", actor="analyst")
    targets = conn.execute(
        select(audit_log.c.target).where(audit_log.c.actor == "analyst")
    ).scalars()
    assert any(f'"judgement":{made.id}' in t for t in targets)


def test_bad_judgements_are_refused(conn: Connection) -> None:
    _, uids = _largest(conn)
    with pytest.raises(InvalidJudgement):
        judge(conn, uids[0], uids[1], "maybe", reason="x", actor="a")
    with pytest.raises(InvalidJudgement):
        judge(conn, uids[0], uids[1], "same", reason="  ", actor="a")
    with pytest.raises(InvalidJudgement):
        judge(conn, uids[0], "no-such-thing", "same", reason="x", actor="a")
    with pytest.raises(InvalidJudgement):
        judge(conn, uids[0], uids[0], "same", reason="x", actor="a")
