"""Re-trafficking: the person of a closed referral resolves together with a police record that
came in later; the referral's caseworker is told where and when, the police only with consent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from crosslink.access.schema import audit_log
from crosslink.cases import add_member, add_records, open_case
from crosslink.clock import FixedClock
from crosslink.referral import (
    ConsentGrant,
    Move,
    NewReferral,
    move,
    open_referral,
    record_consent,
    retrafficking_alerts,
)
from crosslink.resolve.schema import entities, entity_members, resolve_runs
from crosslink.store import Store
from tests.access.helpers import RecordSpec, insert_records, make_batch, make_source
from tests.referral.world import T0, World, make_world

LATER = T0 + dt.timedelta(days=400)


def _resolved_together(conn: Connection, entity_id: str, uids: list[str]) -> None:
    """What a resolve run leaves behind: one entity with these records as members."""
    run = conn.execute(
        resolve_runs.insert().values(
            entity_type="Person",
            backend="duckdb",
            threshold=0.9,
            started_at=LATER,
            finished_at=LATER,
            records=len(uids),
            pairs=1,
            entities=1,
            training="test",
            model="{}",
            started_by="test",
        )
    ).inserted_primary_key
    assert run is not None
    conn.execute(
        entities.insert().values(
            id=entity_id,
            entity_type="Person",
            status="active",
            size=len(uids),
            created_run=run[0],
            updated_run=run[0],
        )
    )
    conn.execute(
        entity_members.insert(),
        [{"record_uid": u, "entity_id": entity_id, "entity_type": "Person"} for u in uids],
    )


def _world_with_a_new_police_record(store: Store) -> tuple[World, int, str]:
    w, clock = make_world(store), FixedClock(T0)
    with store.transaction() as conn:
        rid = open_referral(conn, w.payoke, NewReferral(w.be_victim, "BE", "payoke"), clock=clock)
        done = Move("close", {"closure_reason": "x"}, outcome="returned home")
        move(conn, w.payoke, rid, done, clock=clock)
        make_source(conn, "police-pv", "police")
        batch = make_batch(conn, "police-pv", "piet")
        new_uid = "policerecord".ljust(32, "0")
        earlier_uid = "policeearlier".ljust(32, "0")
        insert_records(
            conn,
            [
                RecordSpec(new_uid, "police-pv", batch, person_category="victim", created_at=LATER),
                RecordSpec(earlier_uid, "police-pv", batch, person_category="victim"),
            ],
        )
        _resolved_together(conn, "person-1", [w.be_victim, new_uid, earlier_uid])
    return w, rid, new_uid


def test_the_caseworker_is_told_of_a_closed_referral_reappearing(store: Store) -> None:
    w, rid, _ = _world_with_a_new_police_record(store)
    with store.transaction() as conn:
        (alert,) = retrafficking_alerts(conn, w.payoke)
    # Only the record that came in after the referral was opened counts.
    assert (alert.referral_id, alert.closed, alert.source_id, alert.agency_id) == (
        rid,
        True,
        "police-pv",
        "police",
    )
    assert alert.new_records == 1
    with store.engine.connect() as conn:
        last = conn.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.target)
            .order_by(audit_log.c.seq.desc())
            .limit(1)
        ).one()
    assert (last.actor, last.action) == ("ann", "combination") and str(rid) in last.target


def test_nobody_else_is_told_without_consent(store: Store) -> None:
    w, rid, _ = _world_with_a_new_police_record(store)
    with store.transaction() as conn:
        assert retrafficking_alerts(conn, w.pagasa, scope="agency") == []
        assert retrafficking_alerts(conn, w.rapporteur, scope="role") == []
        assert retrafficking_alerts(conn, w.police, scope="role") == []
        open_case(conn, w.payoke, "shared", "with the police")
        add_records(conn, w.payoke, "shared", [w.be_victim])
        add_member(conn, w.payoke, "shared", "piet")
        assert retrafficking_alerts(conn, w.police, scope="role") == []
        grant = ConsentGrant(w.be_victim, "legal_basis", "police", reference="art. 5 circular")
        record_consent(conn, w.payoke, grant)
        (alert,) = retrafficking_alerts(conn, w.police, scope="role")
    assert alert.referral_id == rid
