"""Accounts: a password policy with a shipped list of common passwords, token lifetimes with a
default and a maximum, tokens dead for good after a deactivation, an unknown role a 422."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from crosslink.access import FixedClock, issue_token, token_subject
from crosslink.access.directory import set_active
from crosslink.access.passwords import check_new_password, common_passwords
from crosslink.access.tokens import DEFAULT_LIFETIME, LONGEST_LIFETIME
from crosslink.errors import AuthenticationFailed, InvalidValue
from crosslink.store import Store
from tests.access.helpers import make_agency, make_user
from tests.api.helpers import Client

Make = Callable[..., Client]


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password1234", "common password"),
        ("Password1234!", "common password"),
        ("p4ssw0rd2024!", "common password"),
        ("monkeymonkey", "common password"),
        ("Qwertyuiop12", "common password"),
        ("Summer2024!!!", "common password"),
        ("aaaaaaaaaaaa", "different characters"),
        ("abababababab", "different characters"),
        ("123456789012", "consecutive"),
        ("abcdefghijkl", "consecutive"),
        ("ana.peeters-2026", "user name"),
        ("short", "at least 12"),
        ("crosslink-demo", "demo mode only"),
    ],
)
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        check_new_password(password, username="ana.peeters", demo=False)


def test_good_passphrases_pass_and_the_list_is_shipped() -> None:
    for password in (
        "correct horse battery staple",
        "Zwarte-Kat-Op-De-Trap",
        "vier kleine eendjes",
    ):
        check_new_password(password, username="ana.peeters", demo=False)
    check_new_password("crosslink-demo", username="demo", demo=True)
    assert {"password", "123456", "qwerty", "letmein"} <= common_passwords()
    assert len(common_passwords()) > 200


def test_token_lifetimes_and_deactivation(store: Store) -> None:
    clock = FixedClock()
    with store.transaction() as conn:
        make_agency(conn, "insp", "police")
        owner = make_user(conn, "owner", "insp", ["inspector"])
        token = issue_token(conn, owner, "etl", {"records:read"}, clock)
        with pytest.raises(InvalidValue, match="within 365 days"):
            issue_token(
                conn, owner, "forever", {"records:read"}, clock,
                expires_at=clock.now() + LONGEST_LIFETIME + dt.timedelta(days=1),
            )  # fmt: skip
    clock.advance(DEFAULT_LIFETIME - dt.timedelta(minutes=1))
    with store.transaction() as conn:
        assert token_subject(conn, token, "records:read", clock).username == "owner"
    clock.advance(dt.timedelta(minutes=2))
    with pytest.raises(AuthenticationFailed, match="expired"), store.transaction() as conn:
        token_subject(conn, token, "records:read", clock)
    clock = FixedClock()
    with store.transaction() as conn:
        live = issue_token(conn, owner, "live", {"records:read"}, clock)
        set_active(conn, "owner", False)
        set_active(conn, "owner", True)
    with pytest.raises(AuthenticationFailed, match="revoked"), store.transaction() as conn:
        token_subject(conn, live, "records:read", clock)


def test_an_unknown_role_is_a_422(client: Make) -> None:
    admin = client("admin")
    response = admin.post(
        "/api/v1/users",
        json={
            "username": "eve",
            "agency_id": "demo-be-police",
            "roles": ["superuser"],
            "password": "correct horse battery staple",
        },
    )
    assert response.status_code == 422, response.text
    assert "unknown role 'superuser'" in response.json()["detail"]
