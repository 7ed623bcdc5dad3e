"""Resolution of a small demo world: accuracy against the truth, stable ids, incremental
imports, explanations."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, select

from crosslink.resolve import ResolveOptions, explain, resolve
from crosslink.resolve.evaluate import scores
from crosslink.resolve.schema import entities, entity_history, entity_members
from tests.conftest import DEMO_RULES
from tests.resolve.conftest import HELD_BACK, Resolved, import_files


def members(conn: Connection, entity_type: str = "Person") -> dict[str, str]:
    rows = conn.execute(
        select(entity_members.c.record_uid, entity_members.c.entity_id).where(
            entity_members.c.entity_type == entity_type
        )
    )
    return {str(u): str(e) for u, e in rows}


def test_persons_are_resolved_with_high_precision(resolved: Resolved, conn: Connection) -> None:
    got = scores(members(conn), resolved.true_ids(conn))
    assert got.pair_precision >= 0.99
    # Measured 0.80 here (seed 11, 2k): bank reports name people and nothing else, and names
    # alone never join (precision first; those pairs wait in the review queue).
    assert got.pair_recall >= 0.75


def test_every_entity_type_is_resolved(conn: Connection) -> None:
    types = set(
        conn.execute(
            select(entities.c.entity_type).where(entities.c.status == "active").distinct()
        ).scalars()
    )
    assert {"Person", "Organisation", "Address"} <= types


def test_addresses_are_resolved_with_high_precision(resolved: Resolved, conn: Connection) -> None:
    got = scores(members(conn, "Address"), resolved.true_ids(conn, "Address"))
    assert got.pair_precision >= 0.95  # measured 0.964


def test_each_type_is_scored_on_its_own_pairs(conn: Connection) -> None:
    # The fixture resolved every type in one run (persons first); addresses alone must come
    # out the same: nothing of the persons' run may leak into the next type's scoring.
    together = members(conn, "Address")
    assert max(Counter(together.values()).values()) > 1
    resolve(conn, ResolveOptions(entity_types=("Address",), rules=DEMO_RULES))
    assert members(conn, "Address") == together


def test_a_rerun_keeps_every_id(conn: Connection) -> None:
    before = members(conn)
    (summary,) = resolve(conn, ResolveOptions(entity_types=("Person",), rules=DEMO_RULES))
    assert summary.training == "reused"
    assert summary.changes == {}
    assert members(conn) == before


def test_a_retrained_rerun_keeps_almost_every_id(conn: Connection) -> None:
    before = members(conn)
    resolve(conn, ResolveOptions(entity_types=("Person",), retrain=True, rules=DEMO_RULES))
    after = members(conn)
    moved = sum(1 for uid, eid in before.items() if after[uid] != eid)
    assert moved <= 0.02 * len(before)


def test_an_import_keeps_ids_and_new_records_join_existing_entities(
    resolved: Resolved, conn: Connection
) -> None:
    before = members(conn)
    import_files(conn, resolved.world.out, {HELD_BACK}, set())
    (summary,) = resolve(conn, ResolveOptions(entity_types=("Person",), rules=DEMO_RULES))
    after = members(conn)
    new = set(after) - set(before)
    assert new and summary.records == len(after)
    joined = [uid for uid in new if after[uid] in set(before.values())]
    assert len(joined) >= len(new) // 3
    changed = {eid for uid, eid in before.items() if after[uid] != eid}
    recorded = set(
        conn.execute(
            select(entity_history.c.entity_id).where(entity_history.c.run_id == summary.run_id)
        ).scalars()
    )
    assert changed <= recorded  # an id changes only by a recorded merge or split
    assert len(changed) <= 0.02 * len(set(before.values()))


def test_explain_lists_every_member_with_its_evidence(conn: Connection) -> None:
    sizes = Counter(members(conn).values())
    entity_id, size = sizes.most_common(1)[0]
    assert size >= 3
    found = explain(conn, entity_id)
    assert found.entity_type == "Person" and found.status == "active"
    assert len(found.members) == size
    for member in found.members:
        assert member.values
        assert member.joined_by, f"{member.uid} has no evidence"
        best = member.joined_by[0]
        assert best.probability is not None and best.probability >= found.threshold
        assert {c["comparison"] for c in best.comparisons} >= {"given_name", "birth_date"}
        assert all(isinstance(c["weight"], float) for c in best.comparisons)
