"""Read-only lists of who takes part: agencies, sources (and who provides them), permissions.

None of it is personal data. Agencies and sources are known to every user; a permission is
shown to the two agencies it binds and to administrators (:func:`may_see_all`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, or_, select

from crosslink.access import Subject
from crosslink.access.directory import Agency, list_agencies
from crosslink.access.policy import SystemResource, authorize
from crosslink.access.schema import permissions, source_agencies
from crosslink.store.schema import records, sources

__all__ = ["Agency", "PermissionRow", "SourceRow", "list_agencies", "list_permissions"]


@dataclass(frozen=True)
class SourceRow:
    id: str
    agency: str
    dataset: str
    jurisdiction: str
    handling_code: str
    provider: str | None
    """The agency that provides the source (the policy's owner), if assigned."""
    records: int


@dataclass(frozen=True)
class PermissionRow:
    id: int
    kind: str
    provider: str
    recipient: str
    source_id: str | None
    scope: str | None
    granted_by: str
    granted_at: dt.datetime
    revoked_at: dt.datetime | None


def list_sources(conn: Connection) -> list[SourceRow]:
    counts = (
        select(records.c.source_id, func.count().label("n"))
        .group_by(records.c.source_id)
        .subquery()
    )
    s = sources.c
    rows = conn.execute(
        select(
            s.id,
            s.agency,
            s.dataset,
            s.jurisdiction,
            s.handling_code,
            source_agencies.c.agency_id,
            func.coalesce(counts.c.n, 0),
        )  # fmt: skip
        .outerjoin(source_agencies, source_agencies.c.source_id == s.id)
        .outerjoin(counts, counts.c.source_id == s.id)
        .order_by(s.id)
    )
    return [SourceRow(*row) for row in rows]


def may_see_all(subject: Subject) -> bool:
    return bool(authorize(subject, "manage_users", SystemResource("users")))


def list_permissions(
    conn: Connection, subject: Subject, *, include_revoked: bool = False
) -> list[PermissionRow]:
    """The permissions ``subject`` may know of, newest first."""
    p = permissions.c
    query = select(
        p.id, p.kind, p.provider_agency_id, p.recipient_agency_id, p.source_id, p.scope,
        p.granted_by, p.granted_at, p.revoked_at,
    ).order_by(p.id.desc())  # fmt: skip
    if not may_see_all(subject):
        mine = subject.agency_id or ""
        query = query.where(or_(p.provider_agency_id == mine, p.recipient_agency_id == mine))
    if not include_revoked:
        query = query.where(p.revoked_at.is_(None))
    return [PermissionRow(*row) for row in conn.execute(query)]
