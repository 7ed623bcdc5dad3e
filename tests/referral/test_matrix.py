"""The access matrix on referrals: who may open, see (one page, and in lists) and move, with and
without consent and a shared case. A list never shows what a single look refuses."""

from __future__ import annotations

import pytest

from crosslink.access import Subject
from crosslink.cases import add_member, add_records, open_case
from crosslink.clock import FixedClock
from crosslink.errors import AccessDenied
from crosslink.referral import (
    ConsentGrant,
    Move,
    NewReferral,
    list_referrals,
    move,
    open_referral,
    record_consent,
    show_referral,
)
from crosslink.store import Store
from tests.referral.world import T0, World, make_world

# user -> (may open a BE referral, sees it, sees it once shared with consent and a case)
EXPECTED = {
    "ann": (True, True, True),  # the centre's caseworker
    "pia": (False, False, False),  # another centre: never another centre's victims
    "piet": (False, False, True),  # police: with a case and consent only
    "ivo": (False, False, True),  # immigration: with a case and consent only
    "rita": (False, False, False),  # the rapporteur: statistics only, never a case
}


def _user(w: World, name: str) -> Subject:
    users = (w.payoke, w.pagasa, w.police, w.immigration, w.rapporteur)
    return next(u for u in users if u.username == name)


def _sees(store: Store, user: Subject, rid: int) -> bool:
    with store.transaction() as conn:
        listed = rid in {s.id for s in list_referrals(conn, user)}
        try:
            show_referral(conn, user, rid, justification="matrix")
        except AccessDenied:
            assert not listed, f"{user.username}: listed but refused"
            return False
    assert listed, f"{user.username}: allowed but not listed"
    return True


def _share(store: Store, w: World) -> None:
    with store.transaction() as conn:
        open_case(conn, w.payoke, "shared", "shared")
        add_records(conn, w.payoke, "shared", [w.be_victim])
        for member in ("piet", "ivo", "pia", "rita"):
            add_member(conn, w.payoke, "shared", member)
        for kind in ("police", "immigration", "reception_centre", "rapporteur"):
            grant = ConsentGrant(w.be_victim, "consent", recipient_kind=kind, purpose="matrix")
            record_consent(conn, w.payoke, grant)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_referral_access_matrix(store: Store, name: str) -> None:
    w, clock = make_world(store), FixedClock(T0)
    user = _user(w, name)
    may_open, sees, sees_shared = EXPECTED[name]
    new = NewReferral(w.be_victim, "BE", "payoke")
    with store.transaction() as conn:
        if may_open:
            rid = open_referral(conn, user, new, clock=clock)
        else:
            with pytest.raises(AccessDenied):
                open_referral(conn, user, new, clock=clock)
    if not may_open:
        with store.transaction() as conn:
            rid = open_referral(conn, w.payoke, new, clock=clock)
    assert _sees(store, user, rid) == sees
    _share(store, w)
    assert _sees(store, user, rid) == sees_shared
    # Only the caseworker's role accepts a person into the centre's support.
    accept = Move("accept", {"left_environment": "a", "support_accepted": "b"})
    with store.transaction() as conn:
        if name == "ann":
            assert move(conn, user, rid, accept, clock=clock) == "reflection"
        else:
            with pytest.raises(AccessDenied):
                move(conn, user, rid, accept, clock=clock)
