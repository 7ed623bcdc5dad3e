"""API tokens: random, shown once, stored hashed, scoped, revocable, optionally expiring."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append
from crosslink.access.directory import load_subject
from crosslink.access.policy import Subject
from crosslink.access.schema import api_tokens, users
from crosslink.access.sessions import token_hash
from crosslink.clock import Clock, as_utc
from crosslink.errors import AccessDenied, AuthenticationFailed, InvalidValue, NotFound

SCOPES = ("records:read", "records:export", "import", "audit:read", "stats:read")
PREFIX = "clk_"
DEFAULT_LIFETIME = dt.timedelta(days=90)
"""A token issued without an expiry date expires after this long."""
LONGEST_LIFETIME = dt.timedelta(days=365)
"""No token lives longer: a forgotten script's token dies within the year."""


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    scopes: frozenset[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool


def issue_token(
    conn: Connection,
    owner: Subject,
    name: str,
    scopes: set[str],
    clock: Clock,
    *,
    expires_at: dt.datetime | None = None,
) -> str:
    """A new token for ``owner``; the plain token is returned once and never stored. It
    expires at ``expires_at`` (default: :data:`DEFAULT_LIFETIME` from now), which may be no
    further than :data:`LONGEST_LIFETIME` ahead."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise InvalidValue(f"scopes must be some of {', '.join(SCOPES)}; got {sorted(unknown)}")
    if owner.user_id is None:
        raise InvalidValue("tokens belong to registered users")
    now = clock.now()
    expires_at = as_utc(expires_at) if expires_at else now + DEFAULT_LIFETIME
    if not now < expires_at <= now + LONGEST_LIFETIME:
        raise InvalidValue(
            f"a token expires within {LONGEST_LIFETIME.days} days, and after it is issued"
        )
    token = PREFIX + secrets.token_urlsafe(32)
    inserted = conn.execute(
        api_tokens.insert().values(
            token_hash=token_hash(token),
            user_id=owner.user_id,
            name=name,
            scopes=" ".join(sorted(scopes)),
            created_at=now,
            expires_at=expires_at,
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    append(
        conn,
        owner,
        Event("administration", {"api_token": int(key[0]), "issued": True}),
        clock=clock,
    )
    return token


def token_subject(conn: Connection, token: str, scope: str, clock: Clock) -> Subject:
    """The subject behind a token, if the token is live and carries ``scope``."""
    row = conn.execute(
        select(api_tokens, users.c.username)
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.token_hash == token_hash(token))
    ).first()
    now = clock.now()
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("unknown or revoked API token")
    if row.expires_at is not None and now >= as_utc(row.expires_at):
        raise AuthenticationFailed("the API token has expired")
    if scope not in row.scopes.split():
        raise AccessDenied(f"the API token lacks the scope {scope!r}")
    try:
        subject = load_subject(conn, row.username)
    except NotFound:
        raise AuthenticationFailed("the token's account is no longer active") from None
    conn.execute(update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now))
    return subject


def revoke_token(conn: Connection, actor: Subject, token_id: int, clock: Clock) -> None:
    """Revoke a token: its owner or an administrator may."""
    owner = conn.execute(select(api_tokens.c.user_id).where(api_tokens.c.id == token_id)).scalar()
    if owner is None:
        raise NotFound(f"no API token {token_id}")
    if owner != actor.user_id and "administrator" not in actor.roles:
        raise AccessDenied("only the token's owner or an administrator revokes it")
    conn.execute(
        update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=clock.now())
    )
    append(
        conn, actor, Event("administration", {"api_token": token_id, "revoked": True}), clock=clock
    )


def list_tokens(conn: Connection, owner: Subject) -> list[ApiToken]:
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.user_id == owner.user_id).order_by(api_tokens.c.id)
    ).mappings()
    return [
        ApiToken(
            r["id"],
            r["name"],
            frozenset(r["scopes"].split()),
            r["created_at"],
            r["expires_at"],
            r["revoked_at"] is not None,
        )
        for r in rows
    ]
