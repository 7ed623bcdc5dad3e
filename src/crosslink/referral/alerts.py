"""Re-trafficking alerts: the person of a referral turns up in records that came in later.

The referral's record is resolved into an entity (``entity_members``); any other record of the
same entity imported after the referral was opened is a sign the person may be exploited again.
The holder of the referral is told which agency's source it came from and when, never the
content: whether they may read the record is the policy's business, as everywhere. Police and
others see an alert only on referrals they may see, that is where consent or a legal basis
lets them reach the victim's record. Computing the list is audited as a combination.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select

from crosslink.access.audit import Event, append
from crosslink.access.filters import record_filter
from crosslink.access.policy import Subject
from crosslink.access.schema import source_agencies
from crosslink.clock import Clock
from crosslink.referral.schema import referrals
from crosslink.referral.views import Scope, _scoped
from crosslink.resolve.schema import entity_members
from crosslink.store.schema import records


@dataclass(frozen=True)
class Alert:
    referral_id: int
    state: str
    closed: bool
    source_id: str
    agency_id: str | None
    new_records: int
    first_seen: dt.datetime


def retrafficking_alerts(
    conn: Connection, actor: Subject, *, scope: Scope = "mine", clock: Clock | None = None
) -> list[Alert]:
    """For each referral in scope, the later records of its person, grouped by source."""
    theirs = entity_members.alias("theirs")
    later = records.alias("later")
    query = (
        select(
            referrals.c.id,
            referrals.c.state,
            referrals.c.closed_at,
            later.c.source_id,
            source_agencies.c.agency_id,
            func.count().label("n"),
            func.min(later.c.created_at).label("first_seen"),
        )
        .join(entity_members, entity_members.c.record_uid == referrals.c.record_uid)
        .join(theirs, theirs.c.entity_id == entity_members.c.entity_id)
        .join(
            later,
            and_(
                later.c.uid == theirs.c.record_uid,
                later.c.uid != referrals.c.record_uid,
                later.c.created_at > referrals.c.opened_at,
            ),
        )
        .outerjoin(source_agencies, source_agencies.c.source_id == later.c.source_id)
        .join(records, records.c.uid == referrals.c.record_uid)
        .where(record_filter(actor, "view"))
        .group_by(
            referrals.c.id,
            referrals.c.state,
            referrals.c.closed_at,
            later.c.source_id,
            source_agencies.c.agency_id,
        )
        .order_by(referrals.c.id, later.c.source_id)
    )
    if scope != "role":
        query = _scoped(query, actor, scope)
    found = [
        Alert(r.id, r.state, r.closed_at is not None, r.source_id, r.agency_id, r.n, r.first_seen)
        for r in conn.execute(query)
    ]
    target = {"referrals": sorted({a.referral_id for a in found}), "alerts": len(found)}
    append(conn, actor, Event("combination", target), clock=clock)
    return found
