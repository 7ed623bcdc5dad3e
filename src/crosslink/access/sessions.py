"""Server-side sessions (random tokens, stored hashed) and CSRF tokens bound to them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from crosslink.access.policy import Subject
from crosslink.access.schema import agencies, sessions, user_roles, users
from crosslink.clock import Clock, as_utc
from crosslink.errors import AuthenticationFailed, CsrfRejected


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: dt.timedelta = dt.timedelta(hours=8)
    """Absolute: a session ends this long after login, however busy."""
    idle: dt.timedelta = dt.timedelta(minutes=30)
    """A session unused this long ends."""
    touch_every: dt.timedelta = dt.timedelta(minutes=1)
    """The idle clock is restarted at most this often. Writing it on every request made every
    page view a write (and, on SQLite, a wait for the one writer); the cost is that a session
    may end up to this much before its idle time, never after."""


DEFAULT_SESSION = SessionPolicy()


def token_hash(token: str) -> str:
    """Tokens are 256-bit random: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(
    conn: Connection,
    user_id: int,
    clock: Clock,
    *,
    policy: SessionPolicy = DEFAULT_SESSION,
    address: str | None = None,
) -> str:
    """A new session; the returned token goes into a Secure, HttpOnly, SameSite cookie."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    conn.execute(
        sessions.insert().values(
            token_hash=token_hash(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + policy.lifetime,
            last_seen_at=now,
            address=(address or "")[:64] or None,
        )
    )
    return token


def session_subject(
    conn: Connection, token: str, clock: Clock, *, policy: SessionPolicy = DEFAULT_SESSION
) -> Subject:
    """The subject of a live session (and the session's idle clock restarted, if it is
    older than ``policy.touch_every``)."""
    digest = token_hash(token)
    # The session, its user and the user's agency in one query, the roles in a second: this
    # runs before every request (load_subject would read the user again).
    row = conn.execute(
        select(
            sessions.c.user_id,
            sessions.c.expires_at,
            sessions.c.last_seen_at,
            sessions.c.revoked_at,
            users.c.username,
            users.c.agency_id,
            users.c.active,
            agencies.c.kind,
        )
        .join(users, users.c.id == sessions.c.user_id)
        .join(agencies, agencies.c.id == users.c.agency_id)
        .where(sessions.c.token_hash == digest)
    ).first()
    now = clock.now()
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("no such session: please log in")
    if now >= as_utc(row.expires_at) or now - as_utc(row.last_seen_at) >= policy.idle:
        raise AuthenticationFailed("the session has expired: please log in again")
    if not row.active:
        raise AuthenticationFailed("the account is no longer active")
    roles = conn.execute(select(user_roles.c.role).where(user_roles.c.user_id == row.user_id))
    subject = Subject(
        row.username, row.agency_id, row.kind, frozenset(roles.scalars()), row.user_id
    )
    if now - as_utc(row.last_seen_at) >= policy.touch_every:
        conn.execute(
            update(sessions).where(sessions.c.token_hash == digest).values(last_seen_at=now)
        )
    return subject


def end_session(conn: Connection, token: str, clock: Clock) -> None:
    conn.execute(
        update(sessions)
        .where(sessions.c.token_hash == token_hash(token))
        .values(revoked_at=clock.now())
    )


def end_all_sessions(conn: Connection, user_id: int, clock: Clock) -> None:
    """Log a user out everywhere (after a password change or deactivation)."""
    conn.execute(
        update(sessions)
        .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def csrf_token(session_token: str) -> str:
    """The synchronizer token for forms of this session: derived, so nothing more is stored.

    It is an HMAC of the (secret, never shown) session token, so a page can embed it and an
    attacker who cannot read the cookie cannot forge it.
    """
    return hmac.new(session_token.encode("utf-8"), b"crosslink-csrf-v1", hashlib.sha256).hexdigest()


def check_csrf(session_token: str, submitted: str | None) -> None:
    """Refuse a form whose token does not match the session's (constant-time compare)."""
    if not submitted or not hmac.compare_digest(csrf_token(session_token), submitted):
        raise CsrfRejected("the form's security token is missing or wrong: reload the page")
