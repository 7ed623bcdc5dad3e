"""Administration through the policy: who may manage users, read the audit log, use a page.

The directory functions of :mod:`crosslink.access` trust their caller; these wrap them with
the one policy (``authorize`` on a system resource) and write each change to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from crosslink.access import (
    Clock,
    Event,
    NewUser,
    Subject,
    User,
    add_user,
    append,
    authorize,
    list_agencies,
    list_users,
    load_roles,
    load_subject,
    set_active,
)
from crosslink.access.directory import Agency
from crosslink.access.policy import SystemResource
from crosslink.access.sessions import end_all_sessions
from crosslink.errors import AccessDenied, InvalidValue, NotFound


def require(subject: Subject, action: str, what: str) -> None:
    """Raise :class:`AccessDenied` with the policy's reason unless ``subject`` may."""
    decision = authorize(subject, action, SystemResource(what))
    if not decision:
        raise AccessDenied(decision.reason)


@dataclass(frozen=True)
class Capabilities:
    """What a subject's roles let them use at all; rows are still filtered per record."""

    view_records: bool
    importing: bool
    audit: bool
    users: bool
    signals: bool = False
    """May answer municipal signals (the inbox)."""


def capabilities(subject: Subject) -> Capabilities:
    book = load_roles()
    roles = [book.role(r) for r in subject.roles]
    return Capabilities(
        view_records=any("view" in r.actions and r.scope != "none" for r in roles),
        importing=any("import" in r.actions for r in roles),
        audit=bool(authorize(subject, "audit_read", SystemResource("audit_log"))),
        users=bool(authorize(subject, "manage_users", SystemResource("users"))),
        signals=bool(authorize(subject, "give_feedback", SystemResource("signals"))),
    )


def users(conn: Connection, actor: Subject) -> list[User]:
    require(actor, "manage_users", "users")
    return list_users(conn)


def agencies(conn: Connection, actor: Subject) -> list[Agency]:
    require(actor, "manage_users", "users")
    return list_agencies(conn)


def create_user(
    conn: Connection, actor: Subject, new: NewUser, *, demo: bool, clock: Clock
) -> User:
    require(actor, "manage_users", "users")
    created = add_user(conn, new, demo=demo)
    append(
        conn,
        actor,
        Event(
            "administration",
            {"user": created.username},
            details={"created": True, "agency": created.agency_id, "roles": sorted(created.roles)},
        ),
        clock=clock,
    )
    return created


def set_user_active(
    conn: Connection, actor: Subject, username: str, active: bool, *, clock: Clock
) -> None:
    """Activate or deactivate a user; a deactivated user is logged out everywhere."""
    require(actor, "manage_users", "users")
    if username == actor.username and not active:
        raise InvalidValue("administrators cannot deactivate themselves")
    target = None
    if not active:
        try:
            target = load_subject(conn, username)
        except NotFound:
            target = None
    set_active(conn, username, active)
    if target is not None and target.user_id is not None:
        end_all_sessions(conn, target.user_id, clock)
    append(
        conn,
        actor,
        Event("administration", {"user": username}, details={"active": active}),
        clock=clock,
    )
