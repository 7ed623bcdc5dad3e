"""What widens access, each step recorded and logged: source ownership and providers'
permissions (H2 dissemination, H1 use in judicial proceedings). Investigation cases live in
:mod:`crosslink.cases`, consents in :mod:`crosslink.referral.consent`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from crosslink.access.audit import Event, append
from crosslink.access.directory import get_agency
from crosslink.access.policy import Subject
from crosslink.access.schema import (
    permissions,
    source_agencies,
)
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied, InvalidValue, NotFound
from crosslink.store.schema import sources

PERMISSION_KINDS = ("disseminate", "judicial")


def _is_admin(actor: Subject) -> bool:
    return "administrator" in actor.roles


def _now(clock: Clock | None) -> dt.datetime:
    return (clock or SystemClock()).now()


def assign_source(conn: Connection, actor: Subject, source_id: str, agency_id: str) -> None:
    """Record which agency provided a source (administrators only)."""
    if not _is_admin(actor):
        raise AccessDenied("only an administrator assigns sources to agencies")
    get_agency(conn, agency_id)
    if conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first() is None:
        raise NotFound(f"no source {source_id!r}")
    conn.execute(source_agencies.delete().where(source_agencies.c.source_id == source_id))
    conn.execute(source_agencies.insert().values(source_id=source_id, agency_id=agency_id))
    append(conn, actor, Event("administration", {"source": source_id, "agency": agency_id}))


def provider_of(conn: Connection, source_id: str) -> str | None:
    return conn.execute(
        select(source_agencies.c.agency_id).where(source_agencies.c.source_id == source_id)
    ).scalar()


@dataclass(frozen=True)
class PermissionGrant:
    """The provider's permission: ``disseminate`` (H2) or ``judicial`` (H1) to one recipient,
    for one source of the provider or (``source_id=None``) all of them."""

    kind: str
    provider_agency_id: str
    recipient_agency_id: str
    source_id: str | None = None
    scope: str | None = None


def grant_permission(
    conn: Connection, actor: Subject, grant: PermissionGrant, *, clock: Clock | None = None
) -> int:
    if grant.kind not in PERMISSION_KINDS:
        raise InvalidValue(f"permission {grant.kind!r}: use one of {', '.join(PERMISSION_KINDS)}")
    if grant.provider_agency_id != actor.agency_id and not _is_admin(actor):
        raise AccessDenied("only the providing agency grants permission for its data")
    get_agency(conn, grant.recipient_agency_id)
    if (
        grant.source_id is not None
        and provider_of(conn, grant.source_id) != grant.provider_agency_id
    ):
        raise InvalidValue(
            f"source {grant.source_id} is not provided by {grant.provider_agency_id}"
        )
    inserted = conn.execute(
        permissions.insert().values(
            kind=grant.kind,
            provider_agency_id=grant.provider_agency_id,
            recipient_agency_id=grant.recipient_agency_id,
            source_id=grant.source_id,
            scope=grant.scope,
            granted_by=actor.username,
            granted_at=_now(clock),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    append(
        conn,
        actor,
        Event(
            "administration",
            {"permission": int(key[0]), "kind": grant.kind, "source": grant.source_id},
            recipients=[grant.recipient_agency_id],
        ),
        clock=clock,
    )
    return int(key[0])


def revoke_permission(
    conn: Connection, actor: Subject, permission_id: int, *, clock: Clock | None = None
) -> None:
    provider = conn.execute(
        select(permissions.c.provider_agency_id).where(permissions.c.id == permission_id)
    ).scalar()
    if provider is None:
        raise NotFound(f"no permission {permission_id}")
    if provider != actor.agency_id and not _is_admin(actor):
        raise AccessDenied("only the providing agency revokes its permission")
    conn.execute(
        update(permissions).where(permissions.c.id == permission_id).values(revoked_at=_now(clock))
    )
    append(
        conn,
        actor,
        Event("administration", {"permission": permission_id, "revoked": True}),
        clock=clock,
    )
