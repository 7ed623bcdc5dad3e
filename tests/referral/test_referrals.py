"""Referral cases on both backends: each jurisdiction's path and its exceptions, clocks on a
fixed clock, the policy on every step, and the audit log behind each."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from crosslink.access import Subject
from crosslink.access.retention import erase_records
from crosslink.access.schema import audit_log
from crosslink.cases import add_member, add_records, open_case
from crosslink.clock import FixedClock
from crosslink.errors import AccessDenied, InvalidValue
from crosslink.referral import (
    ConsentGrant,
    Move,
    NewReferral,
    due_clocks,
    list_referrals,
    move,
    open_referral,
    record_consent,
    show_referral,
    withdraw_consent,
)
from crosslink.referral.schema import referral_clocks, referral_steps, referrals
from crosslink.store import Store
from crosslink.store.schema import records
from tests.access.helpers import make_user
from tests.referral.world import T0, World, make_world

WHY = "support of the person"


def _open_be(store: Store, w: World, clock: FixedClock, **extra: object) -> int:
    new = NewReferral(w.be_victim, "BE", destination="payoke", **extra)  # type: ignore[arg-type]
    with store.transaction() as conn:
        return open_referral(conn, w.payoke, new, clock=clock)


def _last(store: Store) -> tuple[str, str, str]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.target)
            .order_by(audit_log.c.seq.desc())
            .limit(1)
        ).one()
    return row.actor, row.action, row.target


def test_belgian_path_with_the_45_day_reflection_period(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock, exploitation="forced labour", sector="construction")
    accept = Move("accept", {"left_environment": "intake form 12", "support_accepted": "form 13"})
    with store.transaction() as conn:
        assert move(conn, w.payoke, rid, accept, clock=clock) == "reflection"
    assert _last(store)[:2] == ("ann", "alteration")
    with store.transaction() as conn:
        view = show_referral(conn, w.payoke, rid, justification=WHY, clock=clock)
    (reflection,) = view.clocks
    assert reflection.due_on == dt.date(2026, 2, 15)  # 1 January + 45 days
    assert reflection.status == "running"
    assert [s.transition for s in view.steps] == ["open", "accept"]
    assert view.steps[1].documents == {
        "left_environment": "intake form 12",
        "support_accepted": "form 13",
    }
    assert view.exploitation == "labour" and view.sector == "construction"
    assert {n.transition for n in view.next_steps} == {"statement", "transfer", "close"}
    clock.advance(dt.timedelta(days=40))
    with store.transaction() as conn:
        (due,) = due_clocks(conn, w.payoke, clock=clock)
    assert (due.status, due.clock_id) == ("due", "reflection_period")
    clock.advance(dt.timedelta(days=6))
    with store.transaction() as conn:
        (late,) = due_clocks(conn, w.payoke, clock=clock)
    assert late.status == "overdue" and "close" in " ".join(late.on_expiry.split())
    statement = Move("statement", {"statement": "PV 2026/77", "phase2_document": "OE-1"})
    with store.transaction() as conn:
        assert move(conn, w.payoke, rid, statement, clock=clock) == "document_3_months"
        assert due_clocks(conn, w.payoke, clock=clock) == []
        stopped = conn.execute(
            select(referral_clocks.c.clock_id, referral_clocks.c.stopped_at).where(
                referral_clocks.c.referral_id == rid
            )
        ).all()
    assert {c for c, stop in stopped if stop is None} == {"phase2_document"}


def test_a_step_needs_its_documents_and_its_role(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    with store.transaction() as conn, pytest.raises(InvalidValue, match="support_accepted"):
        move(conn, w.payoke, rid, Move("accept", {"left_environment": "x"}), clock=clock)
    with store.transaction() as conn, pytest.raises(InvalidValue, match="allowed: accept"):
        move(conn, w.payoke, rid, Move("permit", {"permit_6_months": "x"}), clock=clock)
    # The immigration officer may grant the permit, but not accept on the centre's behalf.
    docs = {"left_environment": "a", "support_accepted": "b"}
    with store.transaction() as conn, pytest.raises(AccessDenied, match="role caseworker only"):
        move(conn, w.immigration, rid, Move("accept", docs), clock=clock)


def test_a_refused_step_is_audited_and_changes_nothing(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    docs = {"left_environment": "a", "support_accepted": "b"}
    refused: AccessDenied | None = None
    with store.transaction() as conn:
        try:
            move(conn, w.pagasa, rid, Move("accept", docs), clock=clock)
        except AccessDenied as exc:
            refused = exc  # the caller commits, so the denial stays in the log
    assert refused is not None and "own centre" in str(refused)
    actor, action, target = _last(store)
    assert (actor, action) == ("pia", "denied") and f'"referral":{rid}' in target
    with store.transaction() as conn:
        assert show_referral(conn, w.payoke, rid, justification=WHY).summary.state == "intake"


def test_minors_need_a_guardian_and_only_victims_are_referred(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    with pytest.raises(InvalidValue, match="guardian"):
        _open_be(store, w, clock, minor=True)
    rid = _open_be(store, w, clock, minor=True, guardian="Guardianship service, J. Peeters")
    with store.transaction() as conn:
        view = show_referral(conn, w.payoke, rid, justification=WHY)
    assert view.minor and view.guardian == "Guardianship service, J. Peeters"
    with pytest.raises(InvalidValue, match="not one of exploitation_forms"):
        _open_be(store, w, clock, exploitation="gardening")
    with (
        pytest.raises(InvalidValue, match="say where the referral goes"),
        store.transaction() as conn,
    ):
        open_referral(conn, w.payoke, NewReferral(w.be_victim, "BE"), clock=clock)


def test_close_records_the_outcome_and_ends_the_procedure(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    close = Move("close", {"closure_reason": "returned home"}, reason="her choice")
    with store.transaction() as conn, pytest.raises(InvalidValue, match="outcome"):
        move(conn, w.payoke, rid, close, clock=clock)
    done = Move("close", {"closure_reason": "x"}, outcome="voluntary return")
    with store.transaction() as conn:
        assert move(conn, w.payoke, rid, done, clock=clock) == "closed"
        view = show_referral(conn, w.payoke, rid, justification=WHY)
    assert view.outcome == "voluntary return" and view.summary.closed_at is not None
    assert view.next_steps == []
    with store.transaction() as conn, pytest.raises(InvalidValue, match="closed"):
        move(conn, w.payoke, rid, Move("accept"), clock=clock)


def test_transfer_to_another_centre_and_caseworker(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    with store.transaction() as conn:
        colleague = make_user(conn, "bo", "payoke", ["caseworker"])
    # Another centre's caseworker never reaches Payoke's records (scope own_victims, even
    # with consent): the handover is refused with the reason, and nothing changes.
    to_pia = Move("transfer", destination="pag-asa", caseworker="pia", reason="moved to Brussels")
    with store.transaction() as conn, pytest.raises(AccessDenied, match="pia cannot take"):
        move(conn, w.payoke, rid, to_pia, clock=clock)
    to_bo = Move("transfer", destination="pag-asa", caseworker="bo", reason="moved to Brussels")
    with store.transaction() as conn:
        assert move(conn, w.payoke, rid, to_bo, clock=clock) == "intake"
        (mine,) = list_referrals(conn, colleague, scope="mine")
        assert list_referrals(conn, w.payoke, scope="mine") == []
    assert (mine.id, mine.destination, mine.caseworker) == (rid, "pag-asa", "bo")
    with store.transaction() as conn, pytest.raises(InvalidValue, match="names a new"):
        move(conn, colleague, rid, Move("transfer"), clock=clock)


def test_the_uk_path_reasonable_grounds_recovery_and_reconsideration(store: Store) -> None:
    w = make_world(store)
    clock = FixedClock(dt.datetime(2026, 12, 23, 10, 0, tzinfo=dt.UTC))
    with store.transaction() as conn:
        rid = open_referral(conn, w.ukcentre, NewReferral(w.uk_victim, "UK"), clock=clock)
        # The competent authority needs consent and a case to reach the centre's record.
        record_consent(
            conn, w.ukcentre, ConsentGrant(w.uk_victim, "consent", "ca", purpose="referral")
        )
        view = show_referral(conn, w.ukcentre, rid, justification=WHY, clock=clock)
    assert view.clocks[0].due_on == dt.date(2027, 1, 4)  # 5 working days over Christmas
    with store.transaction() as conn:
        tasks = due_clocks(conn, w.immigration, scope="role", within_days=14, clock=clock)
    assert [t.referral_id for t in tasks] == []  # not in one of the officer's cases
    _share_in_case(store, w.ukcentre, w.uk_victim, "ivo")
    with store.transaction() as conn:
        (task,) = due_clocks(conn, w.immigration, scope="role", within_days=14, clock=clock)
        assert task.status == "due" and task.owner_role == "immigration_officer"
        rg = Move("reasonable_grounds_positive", {"rg_decision": "RG-1"})
        assert move(conn, w.immigration, rid, rg, clock=clock) == "recovery"
    cg = Move("conclusive_grounds_negative", {"cg_decision": "CG-1"})
    clock.advance(dt.timedelta(days=29))
    with store.transaction() as conn, pytest.raises(InvalidValue, match="waits for"):
        move(conn, w.immigration, rid, cg, clock=clock)
    clock.advance(dt.timedelta(days=1))
    with store.transaction() as conn:
        assert move(conn, w.immigration, rid, cg, clock=clock) == "negative_decision"
        again = Move("reconsider", {"reconsideration_request": "letter of 2027-01-25"})
        assert move(conn, w.ukcentre, rid, again, clock=clock) == "referred"
        view = show_referral(conn, w.ukcentre, rid, justification=WHY, clock=clock)
    assert [s.transition for s in view.steps][-3:] == [
        "reasonable_grounds_positive",
        "conclusive_grounds_negative",
        "reconsider",
    ]
    assert view.clocks[0].clock_id == "reasonable_grounds"


def _share_in_case(store: Store, owner: Subject, uid: str, member: str) -> None:
    with store.transaction() as conn:
        open_case(conn, owner, f"case-{member}", "shared for the referral")
        add_records(conn, owner, f"case-{member}", [uid])
        add_member(conn, owner, f"case-{member}", member)


def test_the_dutch_reflection_period_of_three_months(store: Store) -> None:
    w = make_world(store)
    clock = FixedClock(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC))
    with store.transaction() as conn:
        rid = open_referral(conn, w.payoke, NewReferral(w.be_victim, "NL"), clock=clock)
        docs = {"indication": "signals list", "comensha_registration": "CM-2026-1"}
        assert move(conn, w.payoke, rid, Move("register", docs), clock=clock) == "reflection"
        view = show_referral(conn, w.payoke, rid, justification=WHY, clock=clock)
    assert view.clocks[0].due_on == dt.date(2027, 2, 28)  # 30 November + 3 months
    assert view.summary.destination == "comensha"


def test_withdrawn_consent_closes_the_door_again(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    _share_in_case(store, w.payoke, w.be_victim, "piet")
    with store.transaction() as conn:
        assert list_referrals(conn, w.police) == []  # in the case, but no consent yet
        grant = ConsentGrant(
            w.be_victim, "consent", recipient_kind="police", purpose="investigation"
        )
        consent = record_consent(conn, w.payoke, grant, clock=clock)
    with store.transaction() as conn:
        assert [s.id for s in list_referrals(conn, w.police)] == [rid]
        withdraw_consent(conn, w.payoke, consent, clock=clock)
    with store.transaction() as conn:
        assert list_referrals(conn, w.police) == []
        with pytest.raises(AccessDenied):
            show_referral(conn, w.police, rid, justification="investigation 12")


def test_the_rapporteur_sees_no_referral(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    with store.transaction() as conn:
        assert list_referrals(conn, w.rapporteur) == []
        assert due_clocks(conn, w.rapporteur, scope="role", clock=clock) == []
        with pytest.raises(AccessDenied):
            show_referral(conn, w.rapporteur, rid, justification="annual report")
    with store.transaction() as conn, pytest.raises(AccessDenied):
        open_referral(conn, w.rapporteur, NewReferral(w.be_victim, "BE", "payoke"), clock=clock)


def test_a_case_page_is_a_justified_consultation(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    with store.transaction() as conn:
        show_referral(conn, w.payoke, rid, justification=WHY, clock=clock)
    actor, action, target = _last(store)
    assert (actor, action) == ("ann", "consultation") and w.be_victim in target


def test_erasing_a_referred_victim_erases_the_referral_with_its_steps(store: Store) -> None:
    w, clock = make_world(store), FixedClock(T0)
    rid = _open_be(store, w, clock)
    accept = Move("accept", {"left_environment": "intake form 12", "support_accepted": "form 13"})
    with store.transaction() as conn:
        move(conn, w.payoke, rid, accept, clock=clock)
        admin = make_user(conn, "erin", "payoke", ["administrator"])
        assert erase_records(conn, admin, [w.be_victim], reason="court order 2026/17") == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(referrals.c.id).where(referrals.c.id == rid)).first() is None
        left = select(referral_steps.c.id).where(referral_steps.c.referral_id == rid)
        assert conn.execute(left).first() is None
        assert (
            conn.execute(select(records.c.uid).where(records.c.uid == w.be_victim)).first() is None
        )
