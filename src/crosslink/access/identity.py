"""Who is logging in: identity providers behind one small protocol, and the login flow.

Plugging in the organisation's identity provider (OpenID Connect): the web layer runs the
authorization-code flow with PKCE against the provider, receives an ID token, and hands it
to :class:`OIDCProvider` as :class:`IdToken` credentials. The provider checks the signature
against the provider's JWKS (fetched and cached by the web layer, never here: this module does
no network I/O), the issuer, the audience (our client id), expiry, issue time and the nonce of
the login, then maps the token's ``sub`` to a Crosslink user through ``users.external_id``.
Roles and agency stay Crosslink's own data: the identity provider says *who*, the policy says
*what*. A user without a matching ``external_id`` is refused, never created on the fly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import jwt
from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append
from crosslink.access.passwords import hash_password as _rehash
from crosslink.access.passwords import needs_rehash, verify_password
from crosslink.access.ratelimit import (
    DEFAULT_LIMITS,
    RateLimits,
    address_key,
    clear,
    locked_for,
    record_failure,
    user_key,
)
from crosslink.access.schema import users
from crosslink.access.sessions import DEFAULT_SESSION, SessionPolicy, create_session
from crosslink.clock import Clock


@dataclass(frozen=True)
class Password:
    username: str
    password: str


@dataclass(frozen=True)
class IdToken:
    token: str
    nonce: str


Credentials = Password | IdToken


class IdentityProvider(Protocol):
    """Turns credentials into the name of an active Crosslink user, or ``None``."""

    def identify(self, conn: Connection, credentials: Credentials) -> str | None: ...


def _active_user(conn: Connection, **where: str) -> Any:
    column, value = next(iter(where.items()))
    return conn.execute(
        select(users.c.id, users.c.username, users.c.password_hash, users.c.active).where(
            users.c[column] == value
        )
    ).first()


class LocalPasswordProvider:
    """Passwords checked against argon2id hashes in ``users``."""

    def identify(self, conn: Connection, credentials: Credentials) -> str | None:
        if not isinstance(credentials, Password):
            return None
        row = _active_user(conn, username=credentials.username)
        stored = row.password_hash if row is not None and row.active else None
        if not verify_password(stored, credentials.password):
            return None
        assert row is not None and stored is not None
        if needs_rehash(stored):
            conn.execute(
                update(users)
                .where(users.c.id == row.id)
                .values(password_hash=_rehash(credentials.password))
            )
        return str(row.username)


class OIDCProvider:
    """Validates OpenID Connect ID tokens with the provider's JWKS (a dict the caller fetched)."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        jwks: Mapping[str, Any],
        clock: Clock,
        leeway: dt.timedelta = dt.timedelta(seconds=60),
        algorithms: tuple[str, ...] = ("RS256", "ES256"),
    ) -> None:
        self.issuer, self.client_id, self.clock, self.leeway = issuer, client_id, clock, leeway
        self.algorithms = list(algorithms)
        self.keys = jwt.PyJWKSet.from_dict(dict(jwks))

    def claims(self, credentials: IdToken) -> dict[str, Any]:
        """The verified claims; raises :class:`jwt.InvalidTokenError` on any failure."""
        kid = jwt.get_unverified_header(credentials.token).get("kid")
        key = next((k for k in self.keys.keys if k.key_id == kid), None)
        if key is None:
            raise jwt.InvalidTokenError(f"no key {kid!r} in the provider's JWKS")
        # Time claims are checked below against the injected clock, not the system's.
        claims: dict[str, Any] = jwt.decode(
            credentials.token,
            key=key,
            algorithms=self.algorithms,
            audience=self.client_id,
            issuer=self.issuer,
            options={
                "require": ["exp", "iat", "sub", "aud", "iss"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
        now = self.clock.now().timestamp()
        slack = self.leeway.total_seconds()
        if now >= float(claims["exp"]) + slack:
            raise jwt.ExpiredSignatureError("the ID token has expired")
        if float(claims["iat"]) > now + slack:
            raise jwt.ImmatureSignatureError("the ID token was issued in the future")
        if claims.get("nonce") != credentials.nonce:
            raise jwt.InvalidTokenError("the ID token's nonce does not match this login")
        return claims

    def identify(self, conn: Connection, credentials: Credentials) -> str | None:
        if not isinstance(credentials, IdToken):
            return None
        try:
            sub = str(self.claims(credentials)["sub"])
        except jwt.InvalidTokenError:
            return None
        row = _active_user(conn, external_id=sub)
        return str(row.username) if row is not None and row.active else None


@dataclass(frozen=True)
class LoginOutcome:
    ok: bool
    reason: str
    username: str | None = None
    session_token: str | None = None
    retry_after: int = 0


def login(
    conn: Connection,
    provider: IdentityProvider,
    credentials: Credentials,
    *,
    address: str,
    clock: Clock,
    limits: RateLimits = DEFAULT_LIMITS,
    session: SessionPolicy = DEFAULT_SESSION,
) -> LoginOutcome:
    """Rate-limit, identify, open a session, log it. Never raises for bad credentials: the
    caller commits the outcome (failures must be counted) and then refuses with 401 or 429."""
    now = clock.now()
    claimed = credentials.username if isinstance(credentials, Password) else None
    keys = [address_key(address)] + ([user_key(claimed)] if claimed else [])
    actor = claimed or "oidc"
    wait = locked_for(conn, keys, now)
    if wait:
        append(
            conn, actor, Event("denied", {"login": address}, details={"locked": wait}), clock=clock
        )
        return LoginOutcome(
            False, f"too many failed logins: try again in {wait} s", retry_after=wait
        )
    username = provider.identify(conn, credentials)
    if username is None:
        record_failure(conn, address_key(address), limits.per_address, now)
        if claimed:
            record_failure(conn, user_key(claimed), limits.per_user, now)
        append(conn, actor, Event("login", {"login": address}, details={"ok": False}), clock=clock)
        return LoginOutcome(False, "unknown user or wrong credentials")
    clear(conn, user_key(username))
    user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar_one()
    token = create_session(conn, user_id, clock, policy=session, address=address)
    append(conn, username, Event("login", {"login": address}, details={"ok": True}), clock=clock)
    return LoginOutcome(True, "welcome", username=username, session_token=token)
