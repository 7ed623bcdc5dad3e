"""Agencies, users and their roles; the :class:`Subject` a user acts as."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update

from crosslink.access.passwords import DEMO_PASSWORD, check_new_password, hash_password
from crosslink.access.policy import Subject
from crosslink.access.roles import load_roles
from crosslink.access.schema import agencies, api_tokens, user_roles, users
from crosslink.errors import ConfigurationError, Conflict, InvalidValue, NotFound
from crosslink.model.types import CleanContext
from crosslink.model.types import get as get_type

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_USERNAME = re.compile(r"^[\w.@+-]{1,200}$")


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    kind: str
    jurisdiction: str


@dataclass(frozen=True)
class User:
    id: int
    username: str
    agency_id: str
    roles: frozenset[str]
    active: bool
    full_name: str | None = None


def add_agency(conn: Connection, agency: Agency, *, clock_now: dt.datetime | None = None) -> Agency:
    """Register an agency; its kind must be one of ``roles.yaml``'s kinds of agency."""
    if not _ID.match(agency.id):
        raise InvalidValue(f"agency id {agency.id!r}: use 1-64 of a-z, 0-9, '_', '.', '-'")
    kinds = load_roles().kinds_of_agency
    if agency.kind not in kinds:
        raise InvalidValue(f"agency kind {agency.kind!r}: use one of {', '.join(kinds)}")
    if not agency.name.strip():
        raise InvalidValue("an agency needs a name")
    jurisdiction = get_type("country").clean(agency.jurisdiction, CleanContext())
    if conn.execute(select(agencies.c.id).where(agencies.c.id == agency.id)).first():
        raise Conflict(f"agency {agency.id!r} exists already")
    clean = Agency(agency.id, agency.name.strip(), agency.kind, jurisdiction)
    conn.execute(
        agencies.insert().values(
            id=clean.id,
            name=clean.name,
            kind=clean.kind,
            jurisdiction=clean.jurisdiction,
            created_at=clock_now or dt.datetime.now(dt.UTC),
        )
    )
    return clean


def get_agency(conn: Connection, agency_id: str) -> Agency:
    row = conn.execute(select(agencies).where(agencies.c.id == agency_id)).mappings().first()
    if row is None:
        raise NotFound(f"no agency {agency_id!r} (add it with: crosslink agency add)")
    return Agency(row["id"], row["name"], row["kind"], row["jurisdiction"])


def list_agencies(conn: Connection) -> list[Agency]:
    rows = conn.execute(select(agencies).order_by(agencies.c.id)).mappings().all()
    return [Agency(r["id"], r["name"], r["kind"], r["jurisdiction"]) for r in rows]


@dataclass(frozen=True)
class NewUser:
    username: str
    agency_id: str
    roles: frozenset[str]
    password: str | None = None
    full_name: str | None = None
    external_id: str | None = None
    """The subject (``sub``) at the organisation's identity provider, for OpenID Connect."""


def add_user(conn: Connection, new: NewUser, *, demo: bool = False) -> User:
    """Create a user; a password (if any) must pass :func:`check_new_password`."""
    if not _USERNAME.match(new.username):
        raise InvalidValue(f"user name {new.username!r}: letters, digits and . @ + - _ only")
    if not new.roles:
        raise InvalidValue("a user needs at least one role")
    book = load_roles()
    unknown = sorted(set(new.roles) - set(book.roles))
    if unknown:  # the caller's mistake (422), not a broken data model
        raise InvalidValue(f"unknown role {unknown[0]!r}; known: {', '.join(book.roles)}")
    get_agency(conn, new.agency_id)
    if conn.execute(select(users.c.id).where(users.c.username == new.username)).first():
        raise Conflict(f"user {new.username!r} exists already")
    password_hash = None
    if new.password is not None:
        check_new_password(new.password, username=new.username, demo=demo)
        password_hash = hash_password(new.password)
    inserted = conn.execute(
        users.insert().values(
            username=new.username,
            full_name=new.full_name,
            agency_id=new.agency_id,
            active=True,
            password_hash=password_hash,
            external_id=new.external_id,
            created_at=dt.datetime.now(dt.UTC),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    user_id = int(key[0])
    conn.execute(user_roles.insert(), [{"user_id": user_id, "role": r} for r in sorted(new.roles)])
    return User(user_id, new.username, new.agency_id, frozenset(new.roles), True, new.full_name)


def set_password(conn: Connection, username: str, password: str, *, demo: bool = False) -> None:
    check_new_password(password, username=username, demo=demo)
    done = conn.execute(
        update(users)
        .where(users.c.username == username)
        .values(password_hash=hash_password(password))
    )
    if not done.rowcount:
        raise NotFound(f"no user {username!r}")


def set_active(conn: Connection, username: str, active: bool) -> None:
    """Activate or deactivate; deactivation revokes the user's API tokens for good (a later
    reactivation does not bring them back)."""
    done = conn.execute(update(users).where(users.c.username == username).values(active=active))
    if not done.rowcount:
        raise NotFound(f"no user {username!r}")
    if not active:
        owner = select(users.c.id).where(users.c.username == username).scalar_subquery()
        conn.execute(
            update(api_tokens)
            .where(api_tokens.c.user_id == owner, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=dt.datetime.now(dt.UTC))
        )


def list_users(conn: Connection) -> list[User]:
    roles = _roles_of(conn, None)
    rows = conn.execute(select(users).order_by(users.c.username)).mappings().all()
    return [
        User(
            r["id"],
            r["username"],
            r["agency_id"],
            roles.get(r["id"], frozenset()),
            r["active"],
            r["full_name"],
        )
        for r in rows
    ]


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def load_subject(conn: Connection, username: str) -> Subject:
    """The subject ``username`` acts as; refuses unknown and deactivated users alike."""
    row = conn.execute(
        select(users.c.id, users.c.username, users.c.agency_id, users.c.active, agencies.c.kind)
        .join(agencies, agencies.c.id == users.c.agency_id)
        .where(users.c.username == username)
    ).first()
    if row is None or not row.active:
        raise NotFound(f"no active user {username!r}")
    roles = _roles_of(conn, [row.id]).get(row.id, frozenset())
    return Subject(row.username, row.agency_id, row.kind, roles, row.id)


def _roles_of(conn: Connection, ids: Iterable[int] | None) -> dict[int, frozenset[str]]:
    query = select(user_roles.c.user_id, user_roles.c.role)
    if ids is not None:
        query = query.where(user_roles.c.user_id.in_(list(ids)))
    found: dict[int, set[str]] = {}
    for user_id, role in conn.execute(query):
        found.setdefault(user_id, set()).add(role)
    return {k: frozenset(v) for k, v in found.items()}


def bootstrap_admin(
    conn: Connection, *, agency_id: str, username: str, password: str | None, demo: bool
) -> User:
    """The first administrator. Outside demo mode a password must be given: there is no default.

    In demo mode, ``password=None`` means :data:`DEMO_PASSWORD`, printed in the demo's guide.
    """
    if password is None:
        if not demo:
            raise ConfigurationError(
                "no default administrator password outside demo mode: give one"
            )
        password = DEMO_PASSWORD
    return add_user(
        conn,
        NewUser(
            username=username,
            agency_id=agency_id,
            roles=frozenset({"administrator"}),
            password=password,
        ),
        demo=demo,
    )
