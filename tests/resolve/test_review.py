"""The review queue: merges before splits, the bigger change first, with the evidence."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy import Connection, select

from crosslink.resolve import ResolveOptions, explain, judge, resolve, review_queue
from crosslink.resolve.cluster import Edge
from crosslink.resolve.evidence import RunEvidence
from crosslink.resolve.extract import extract
from crosslink.resolve.namesakes import identities
from crosslink.resolve.review import joining_bridges, queue_rows
from crosslink.resolve.schema import entity_members, match_edges, review_pairs
from crosslink.resolve.settings import model_for
from tests.conftest import DEMO_RULES
from tests.resolve.conftest import Resolved, edges_within


def test_the_queue_is_ordered_by_what_a_decision_changes(conn: Connection) -> None:
    items = review_queue(conn, limit=500)
    assert items
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds)  # every merge before any split
    for kind in ("merge", "split"):
        impacts = [i.impact for i in items if i.kind == kind]
        assert impacts == sorted(impacts, reverse=True)
    sole = {
        (left, right)
        for left, right in conn.execute(
            select(match_edges.c.left_uid, match_edges.c.right_uid).where(match_edges.c.sole)
        )
    }
    for item in items:
        # Above the band only pairs that agree on names alone (they never join by themselves)
        # and pairs a rule kept apart (two dates of birth, two register numbers). Below it,
        # only the pairs that joined a sole namesake (an organisation's exact name).
        assert item.probability >= 0.3 or (item.left_uid, item.right_uid) in sole
        assert (
            item.probability < 0.99
            or _names_alone(item.comparisons)
            or _kept_apart(item.comparisons)
        )
        assert item.comparisons and all("weight" in c and "level" in c for c in item.comparisons)
        assert (item.left_entity == item.right_entity) == (item.kind == "split")


def _kept_apart(comparisons: list[dict[str, Any]]) -> bool:
    """A level of the Person model's incompatible ones (the fixture applies strict dates)."""
    ruled_out = {
        (r.comparison, level) for r in model_for("Person").incompatible for level in r.levels
    }
    return any((c["comparison"], c["level"]) in ruled_out for c in comparisons)


def _names_alone(comparisons: list[dict[str, Any]]) -> bool:
    """Nothing but names and nationality agrees (an agreeing level weighs for the pair)."""
    weak = ("given_name", "family_name", "nationality")
    others = [c for c in comparisons if c["comparison"] not in weak]
    return bool(others) and not any(
        c["weight"] > 0 and c["level"] != "same postcode" for c in others
    )


def test_names_alone_wait_in_the_queue_and_join_only_a_sole_namesake(
    resolved: Resolved, conn: Connection
) -> None:
    items = [
        i
        for i in review_queue(conn, entity_type="Person", limit=10_000)
        if i.probability >= 0.9 and _names_alone(i.comparisons)
    ]
    assert items  # the demo's bank reports name the counterparty and nothing else
    assert any(i.kind == "merge" for i in items)
    known = identities(extract(conn, "Person"), model_for("Person"))
    assert known is not None
    true_id = resolved.true_ids(conn)
    sole = []
    for item in items:
        if item.kind == "split" and not _joined_by_evidence(
            conn, item.left_entity, item.left_uid, item.right_uid
        ):
            # Joined on names alone: one of the two (and its group) has nothing to tell
            # namesakes apart, and the other's entity was its one namesake.
            assert not {item.left_uid, item.right_uid} <= known.identified
            sole.append(true_id[item.left_uid] == true_id[item.right_uid])
            # The entity's explanation says how the two were joined.
            (member,) = [
                m for m in explain(conn, item.left_entity).members if m.uid == item.left_uid
            ]
            assert [e.sole for e in member.joined_by if e.other_uid == item.right_uid] == [True]
    assert len(sole) >= 5
    assert sum(sole) / len(sole) >= 0.95


def _joined_by_evidence(conn: Connection, entity: str, start: str, goal: str) -> bool:
    members = set(
        conn.execute(
            select(entity_members.c.record_uid).where(entity_members.c.entity_id == entity)
        ).scalars()
    )
    edges = conn.execute(
        select(
            match_edges.c.left_uid,
            match_edges.c.right_uid,
            match_edges.c.run_id,
            match_edges.c.detail,
        ).where(
            match_edges.c.left_uid.in_(members),
            match_edges.c.right_uid.in_(members),
            match_edges.c.probability >= ResolveOptions().threshold,
        )
    )
    graph: dict[str, set[str]] = {}
    evidence = RunEvidence(conn)
    for left, right, run_id, detail in edges:
        if not _names_alone(evidence.comparisons(run_id, detail)):
            graph.setdefault(left, set()).add(right)
            graph.setdefault(right, set()).add(left)
    seen, todo = {start}, [start]
    while todo:
        for near in graph.get(todo.pop(), set()) - seen:
            seen.add(near)
            todo.append(near)
    return goal in seen


def test_a_judged_pair_leaves_the_queue(conn: Connection) -> None:
    (first,) = review_queue(conn, entity_type="Person", limit=1)
    judge(conn, first.left_uid, first.right_uid, "unsure", reason="need the file", actor="a")
    resolve(conn, ResolveOptions(entity_types=("Person",), rules=DEMO_RULES))
    pairs = {
        (i.left_uid, i.right_uid) for i in review_queue(conn, entity_type="Person", limit=10_000)
    }
    assert (first.left_uid, first.right_uid) not in pairs


def test_joining_two_networks_outranks_joining_two_loners() -> None:
    members = {"a": "E1", "b": "E2", "c": "E3", "d": "E4", "e": "E4"}
    sizes = {"E1": 1, "E2": 1, "E3": 1, "E4": 2}
    band = [Edge("a", "b", 0.5), Edge("c", "d", 0.5), Edge("d", "e", 0.95)]
    bridges = joining_bridges(*edges_within(band, members), 0.9)
    assert bridges == {("d", "e")}  # what holds E4 together
    queue = partial(queue_rows, band, members, sizes, bridges=bridges)
    rows = queue({"E1": 4}, judged={("c", "d")})
    impact = {(r.left_uid, r.right_uid): r.impact for r in rows}
    assert ("c", "d") not in impact  # judged: it leaves the queue
    assert impact[("a", "b")] == (1 + 1) * (1 + 4) * (1 + 0)  # E1's records carry four links
    assert impact[("d", "e")] == 2.0  # a split of a two-record entity
    impact = {(r.left_uid, r.right_uid): r.impact for r in queue({}, judged=set())}
    assert impact[("c", "d")] > impact[("a", "b")]  # a bigger entity on one side


def test_two_entities_are_asked_about_once_and_weak_pairs_inside_one_not_at_all() -> None:
    members = {"a": "E1", "b": "E1", "c": "E2", "d": "E2", "e": "E3"}
    sizes = {"E1": 2, "E2": 2, "E3": 1}
    band = [
        Edge("a", "c", 0.6),
        Edge("a", "d", 0.8),  # the strongest pair between E1 and E2
        Edge("b", "c", 0.5),
        Edge("a", "b", 0.4),  # inside E1, too weak to have joined anything
        Edge("c", "d", 0.95, supported=False),  # inside E2, names alone: joined nothing
        Edge("c", "e", 0.7),
    ]
    assert joining_bridges(*edges_within(band, members), 0.9) == set()
    queue = partial(queue_rows, band, members, sizes, links_of={}, bridges=set())
    assert [(r.left_uid, r.right_uid) for r in queue(judged=set())] == [("a", "d"), ("c", "e")]
    # Judged: the next strongest pair of the two entities is asked.
    rows = queue(judged={("a", "d")})
    assert [(r.left_uid, r.right_uid) for r in rows] == [("a", "c"), ("c", "e")]


def test_only_a_pair_that_alone_holds_an_entity_together_is_asked_about() -> None:
    # E1: a triangle joined at 0.95, 0.995 and 0.999; E2: a chain f - g - h.
    members = dict.fromkeys("abc", "E1") | dict.fromkeys("fgh", "E2")
    edges = [
        Edge("a", "b", 0.95),
        Edge("b", "c", 0.995),
        Edge("a", "c", 0.999),
        Edge("f", "g", 0.95),
        Edge("g", "h", 0.999),
    ]
    bridges = joining_bridges(*edges_within(edges, members), 0.9)
    assert bridges == {("f", "g"), ("g", "h")}
    band = [e for e in edges if e.probability < 0.99]
    rows = queue_rows(band, members, {"E1": 3, "E2": 3}, {}, set(), bridges=bridges)
    # a - b is uncertain, but b - c and a - c hold E1 together whatever an analyst says.
    assert [(r.left_uid, r.right_uid) for r in rows] == [("f", "g")]


def test_a_record_that_could_be_any_of_many_is_asked_about_once() -> None:
    # "Kerkstraat, 2000 Antwerpen" (x) against three doors of the street, which it can never
    # join without an analyst; and "Kerkstraat 1" (d1) against "Kerkstr. 1" (y), which it may.
    members = {"x": "E0", "d1": "E1", "d2": "E2", "d3": "E3", "y": "E4"}
    sizes = dict.fromkeys(("E0", "E1", "E2", "E3", "E4"), 1)
    band = [
        Edge("d1", "x", 0.8, supported=False),
        Edge("d2", "x", 0.85, supported=False),
        Edge("d3", "x", 0.7, supported=False),
        Edge("d1", "y", 0.6),
    ]
    rows = queue_rows(band, members, sizes, {}, set(), bridges=set())
    assert [(r.left_uid, r.right_uid) for r in rows] == [("d2", "x"), ("d1", "y")]
    # Once the likeliest door is judged, the next is asked.
    rows = queue_rows(band, members, sizes, {}, {("d2", "x")}, bridges=set())
    assert [(r.left_uid, r.right_uid) for r in rows] == [("d1", "x"), ("d1", "y")]


@pytest.mark.parametrize("entity_type", ["Person", "Organisation"])
def test_a_sole_namesake_joins_is_explained_and_waits_for_review(
    resolved: Resolved, conn: Connection, entity_type: str
) -> None:
    # Bank reports name counterparties (people and companies) and give nothing else.
    sole = conn.execute(
        select(match_edges.c.left_uid, match_edges.c.right_uid).where(
            match_edges.c.entity_type == entity_type, match_edges.c.sole
        )
    ).all()
    assert len(sole) >= 3
    true_id = resolved.true_ids(conn, entity_type)
    assert sum(true_id[a] == true_id[b] for a, b in sole) / len(sole) >= 0.95
    queued = {
        (r.left_uid, r.right_uid)
        for r in conn.execute(select(review_pairs).where(review_pairs.c.entity_type == entity_type))
    }
    entity_of = dict(
        conn.execute(
            select(entity_members.c.record_uid, entity_members.c.entity_id).where(
                entity_members.c.entity_type == entity_type
            )
        ).all()
    )
    for left, right in sole[:5]:
        assert (left, right) in queued
        assert entity_of[left] == entity_of[right]
        (member,) = [m for m in explain(conn, entity_of[left]).members if m.uid == left]
        assert [e.sole for e in member.joined_by if e.other_uid == right] == [True]
