"""Authentication: argon2id, rate limiting, sessions, API tokens, CSRF, bootstrap, OIDC."""

from __future__ import annotations

import datetime as dt
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from crosslink.access import (
    FixedClock,
    IdToken,
    LocalPasswordProvider,
    OIDCProvider,
    Password,
    bootstrap_admin,
    check_csrf,
    create_session,
    csrf_token,
    end_session,
    hash_password,
    issue_token,
    login,
    revoke_token,
    session_subject,
    token_subject,
    verify_password,
)
from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.access.schema import api_tokens, sessions, users
from crosslink.errors import (
    AccessDenied,
    AuthenticationFailed,
    ConfigurationError,
    CsrfRejected,
    InvalidValue,
)
from crosslink.store import Store
from tests.access.helpers import make_agency, make_user

SECRET = "correct horse battery staple"


def test_argon2id_hashes_verify_and_are_not_plain() -> None:
    first, second = hash_password(SECRET), hash_password(SECRET)
    assert first.startswith("$argon2id$") and SECRET not in first
    assert first != second  # salted
    assert verify_password(first, SECRET)
    assert not verify_password(first, SECRET + "!")
    assert not verify_password("not a hash", SECRET)
    assert not verify_password(None, SECRET)


def _user(store: Store, username: str = "ines") -> int:
    with store.transaction() as conn:
        make_agency(conn, "insp", "inspection")
        subject = make_user(conn, username, "insp", ["inspector"], SECRET)
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert subject.user_id is not None
    return subject.user_id


def test_rate_limit_locks_after_failures_and_unlocks_after_the_window(store: Store) -> None:
    _user(store)
    clock, provider = FixedClock(), LocalPasswordProvider()

    def attempt(password: str, address: str = "10.0.0.1") -> tuple[bool, int]:
        with store.transaction() as conn:
            outcome = login(
                conn, provider, Password("ines", password), address=address, clock=clock
            )
        return outcome.ok, outcome.retry_after

    for _ in range(5):
        assert attempt("wrong password") == (False, 0)
    ok, wait = attempt(SECRET)  # even the right password is refused while locked
    assert not ok and 0 < wait <= 15 * 60
    ok, wait = attempt(SECRET, address="10.0.0.2")  # the user is locked from every address
    assert not ok and wait > 0
    clock.advance(dt.timedelta(minutes=15, seconds=1))
    assert attempt(SECRET)[0]


def test_rate_limit_per_address(store: Store) -> None:
    _user(store)
    clock, provider = FixedClock(), LocalPasswordProvider()
    for n in range(20):
        with store.transaction() as conn:
            login(conn, provider, Password(f"guess{n}", "x"), address="6.6.6.6", clock=clock)
    with store.transaction() as conn:
        outcome = login(conn, provider, Password("ines", SECRET), address="6.6.6.6", clock=clock)
        elsewhere = login(conn, provider, Password("ines", SECRET), address="7.7.7.7", clock=clock)
    assert not outcome.ok and outcome.retry_after > 0
    assert elsewhere.ok


def test_sessions_expire_idle_and_absolute(store: Store) -> None:
    user_id = _user(store)
    clock = FixedClock()
    with store.transaction() as conn:
        token = create_session(conn, user_id, clock)
        stored = conn.execute(select(sessions.c.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    for _ in range(16):  # busy for 8 hours: idle never reached …
        clock.advance(dt.timedelta(minutes=29))
        with store.transaction() as conn:
            assert session_subject(conn, token, clock).username == "ines"
    clock.advance(dt.timedelta(minutes=29))  # … but the absolute lifetime is
    with pytest.raises(AuthenticationFailed, match="expired"), store.transaction() as conn:
        session_subject(conn, token, clock)
    with store.transaction() as conn:
        idle = create_session(conn, user_id, clock)
    clock.advance(dt.timedelta(minutes=31))
    with pytest.raises(AuthenticationFailed, match="expired"), store.transaction() as conn:
        session_subject(conn, idle, clock)


def test_ended_sessions_and_unknown_tokens_fail(store: Store) -> None:
    user_id = _user(store)
    clock = FixedClock()
    with store.transaction() as conn:
        token = create_session(conn, user_id, clock)
        end_session(conn, token, clock)
    for candidate in (token, "made-up", ""):
        with pytest.raises(AuthenticationFailed), store.transaction() as conn:
            session_subject(conn, candidate, clock)


def test_api_tokens_hashed_scoped_revocable_expiring(store: Store) -> None:
    _user(store)
    clock = FixedClock()
    with store.transaction() as conn:
        owner = make_user(conn, "owner", "insp", ["inspector"])
        token = issue_token(conn, owner, "etl", {"records:read"}, clock)
        short = issue_token(
            conn, owner, "short", {"import"}, clock, expires_at=clock.now() + dt.timedelta(hours=1)
        )
        stored = set(conn.execute(select(api_tokens.c.token_hash)).scalars())
    assert token not in stored and all(len(h) == 64 for h in stored)
    with store.transaction() as conn:
        assert token_subject(conn, token, "records:read", clock).username == "owner"
        with pytest.raises(AccessDenied, match="scope"):
            token_subject(conn, token, "audit:read", clock)
        token_id = conn.execute(
            select(api_tokens.c.id).where(api_tokens.c.name == "etl")
        ).scalar_one()
        revoke_token(conn, owner, token_id, clock)
    with pytest.raises(AuthenticationFailed, match="revoked"), store.transaction() as conn:
        token_subject(conn, token, "records:read", clock)
    clock.advance(dt.timedelta(hours=2))
    with pytest.raises(AuthenticationFailed, match="expired"), store.transaction() as conn:
        token_subject(conn, short, "import", clock)


def test_csrf_token_bound_to_session() -> None:
    session, other = "session-token-a", "session-token-b"
    token = csrf_token(session)
    check_csrf(session, token)
    for bad in (None, "", csrf_token(other), token[:-1] + ("0" if token[-1] != "0" else "1")):
        with pytest.raises(CsrfRejected):
            check_csrf(session, bad)


def test_no_default_admin_outside_demo(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "ops", "police")
        with pytest.raises(ConfigurationError, match="no default"):
            bootstrap_admin(conn, agency_id="ops", username="admin", password=None, demo=False)
        with pytest.raises(InvalidValue, match="demo"):
            bootstrap_admin(
                conn, agency_id="ops", username="admin", password=DEMO_PASSWORD, demo=False
            )
        with pytest.raises(InvalidValue, match="at least"):
            bootstrap_admin(conn, agency_id="ops", username="admin", password="short", demo=False)
        bootstrap_admin(conn, agency_id="ops", username="demo", password=None, demo=True)
        outcome = login(
            conn,
            LocalPasswordProvider(),
            Password("demo", DEMO_PASSWORD),
            address="127.0.0.1",
            clock=FixedClock(),
        )
    assert outcome.ok


def _oidc(clock: FixedClock) -> tuple[OIDCProvider, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwks = {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}
    provider = OIDCProvider(
        issuer="https://idp.example", client_id="crosslink", jwks=jwks, clock=clock
    )
    return provider, key


def _id_token(key: rsa.RSAPrivateKey, clock: FixedClock, **changes: object) -> str:
    now = int(clock.now().timestamp())
    claims = {
        "iss": "https://idp.example",
        "aud": "crosslink",
        "sub": "idp-123",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-1",
        **changes,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def test_oidc_id_tokens_are_validated_and_mapped(store: Store) -> None:
    clock = FixedClock()
    provider, key = _oidc(clock)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with store.transaction() as conn:
        make_agency(conn, "pol", "police")
        make_user(conn, "olga", "pol", ["analyst"])
        conn.execute(users.update().where(users.c.username == "olga").values(external_id="idp-123"))
        good = _id_token(key, clock)
        assert provider.identify(conn, IdToken(good, "n-1")) == "olga"
        refused = {
            "wrong nonce": IdToken(good, "n-2"),
            "wrong audience": IdToken(_id_token(key, clock, aud="other-app"), "n-1"),
            "wrong issuer": IdToken(_id_token(key, clock, iss="https://evil.example"), "n-1"),
            "unknown subject": IdToken(_id_token(key, clock, sub="idp-999"), "n-1"),
            "forged signature": IdToken(_id_token(other_key, clock), "n-1"),
            "not a token": IdToken("not.a.token", "n-1"),
        }
        for why, credentials in refused.items():
            assert provider.identify(conn, credentials) is None, why
        clock.advance(dt.timedelta(minutes=10))
        assert provider.identify(conn, IdToken(good, "n-1")) is None  # expired
        outcome = login(
            conn, provider, IdToken(_id_token(key, clock), "n-1"), address="1.1.1.1", clock=clock
        )
    assert outcome.ok and outcome.username == "olga" and outcome.session_token
