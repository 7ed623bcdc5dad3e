"""Retention: a review date for every record, from rules as data; erasure that leaves nothing.

Erasure deletes the record's values, its links, its case memberships, consents and review row
— every row of every table that references ``records.uid``, found in the schema itself, so a
derived table added later is cleaned too as long as it declares its foreign key — and blanks
the rejected-row text of the same file row (and of the whole batch once its last record is
gone). What remains is a tombstone without personal data
(``erasures``) and an ``erasure`` entry in the audit log.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import ColumnElement, Connection, Table, and_, delete, select, update

from crosslink.access.audit import Event, append
from crosslink.access.filters import load_records
from crosslink.access.policy import Subject, authorize
from crosslink.access.schema import agencies, erasures, record_reviews, source_agencies
from crosslink.clock import Clock, SystemClock, as_utc
from crosslink.errors import AccessDenied, InvalidValue, ModelError, NotFound
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import metadata, records, rejections


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    months: int = Field(ge=1, le=1200)
    person_category: str | None = None
    source: str | None = None
    agency_kind: str | None = None

    def matches(self, category: str | None, source: str, kind: str | None) -> bool:
        return (
            (self.person_category is None or self.person_category == (category or "none"))
            and (self.source is None or self.source == source)
            and (self.agency_kind is None or self.agency_kind == kind)
        )


class RetentionRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: list[Rule]
    default: Rule

    def pick(self, category: str | None, source: str, kind: str | None) -> Rule:
        for rule in self.rules:
            if rule.matches(category, source, kind):
                return rule
        return self.default


def load_retention(path: Path | None = None) -> RetentionRules:
    """The rules in ``path``, or the bundled defaults."""
    if path is None:
        return _bundled()
    return _parse(path.read_text("utf-8"), str(path))


@cache
def _bundled() -> RetentionRules:
    text = resources.files("crosslink.access").joinpath("data/retention.yaml").read_text("utf-8")
    return _parse(text, "retention.yaml")


def _parse(text: str, name: str) -> RetentionRules:
    try:
        return RetentionRules.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ModelError(f"{name}: {exc}") from exc


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_reviews(conn: Connection, rules: RetentionRules | None = None) -> int:
    """Give every record without one its review date; returns how many were scheduled."""
    rules = rules or load_retention()
    query = (
        select(
            records.c.uid,
            records.c.created_at,
            records.c.person_category,
            records.c.source_id,
            agencies.c.kind,
        )
        .select_from(records)
        .outerjoin(record_reviews, record_reviews.c.record_uid == records.c.uid)
        .outerjoin(source_agencies, source_agencies.c.source_id == records.c.source_id)
        .outerjoin(agencies, agencies.c.id == source_agencies.c.agency_id)
        .where(record_reviews.c.record_uid.is_(None))
    )
    pending = []
    for uid, created, category, source_id, kind in conn.execute(query):
        rule = rules.pick(category, source_id, kind)
        review_on = add_months(as_utc(created).date(), rule.months)
        pending.append({"record_uid": uid, "review_on": review_on, "rule": rule.id})
    for start in range(0, len(pending), MAX_IN_PARAMS):
        conn.execute(record_reviews.insert(), pending[start : start + MAX_IN_PARAMS])
    return len(pending)


@dataclass(frozen=True)
class Due:
    uid: str
    source_id: str
    person_category: str | None
    review_on: dt.date
    rule: str


def due_for_review(
    conn: Connection, on_date: dt.date, rules: RetentionRules | None = None
) -> list[Due]:
    """Records whose review date is on or before ``on_date`` (scheduling any not yet dated)."""
    schedule_reviews(conn, rules)
    rows = conn.execute(
        select(
            records.c.uid,
            records.c.source_id,
            records.c.person_category,
            record_reviews.c.review_on,
            record_reviews.c.rule,
        )
        .join(record_reviews, record_reviews.c.record_uid == records.c.uid)
        .where(record_reviews.c.review_on <= on_date)
        .order_by(record_reviews.c.review_on, records.c.uid)
    )
    return [Due(*r) for r in rows]


def extend_review(
    conn: Connection, actor: Subject, uid: str, until: dt.date, justification: str
) -> None:
    """Keep a record past its review date, for a stated reason (logged as an alteration)."""
    _require_erase_rights(conn, actor, [uid])
    if not justification.strip():
        raise InvalidValue("keeping a record longer needs a justification")
    conn.execute(
        update(record_reviews)
        .where(record_reviews.c.record_uid == uid)
        .values(review_on=until, rule="extended")
    )
    append(
        conn,
        actor,
        Event(
            "alteration",
            {"records": [uid], "review_on": until.isoformat()},
            justification=justification,
        ),
    )


def _require_erase_rights(
    conn: Connection, actor: Subject, uids: list[str]
) -> dict[str, str | None]:
    found = load_records(conn, actor, uids)
    categories: dict[str, str | None] = {}
    for uid in uids:
        record = found.get(uid)
        if record is None:
            raise NotFound(f"no record {uid!r}")
        decision = authorize(actor, "erase", record)
        if not decision:
            raise AccessDenied(decision.reason)
        categories[uid] = record.person_category
    return categories


def erase_records(
    conn: Connection,
    actor: Subject,
    uids: Iterable[str],
    *,
    reason: str,
    clock: Clock | None = None,
) -> int:
    """Erase records and everything derived from them; log it without the personal data."""
    wanted = list(dict.fromkeys(uids))
    if not reason.strip():
        raise InvalidValue("an erasure needs a reason (review outcome, court order …)")
    categories = _require_erase_rights(conn, actor, wanted)
    now = (clock or SystemClock()).now()
    for start in range(0, len(wanted), MAX_IN_PARAMS):
        _erase_chunk(conn, actor, wanted[start : start + MAX_IN_PARAMS], categories, reason, now)
    append(
        conn,
        actor,
        Event("erasure", {"records": wanted}, justification=reason, details={"count": len(wanted)}),
        clock=clock,
    )
    return len(wanted)


def _delete_with_dependents(conn: Connection, table: Table, condition: ColumnElement[bool]) -> None:
    """Delete the rows of ``table`` that meet ``condition``, after the rows of other tables
    that refer to them (a referral's steps, before the referral of an erased record)."""
    for other in reversed(metadata.sorted_tables):
        if other is table:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is table:
                chosen = select(fk.column).where(condition)
                _delete_with_dependents(conn, other, fk.parent.in_(chosen))
    conn.execute(delete(table).where(condition))


def _erase_chunk(
    conn: Connection,
    actor: Subject,
    chunk: list[str],
    categories: dict[str, str | None],
    reason: str,
    now: dt.datetime,
) -> None:
    places = conn.execute(
        select(records.c.uid, records.c.source_id, records.c.batch_id, records.c.row_number).where(
            records.c.uid.in_(chunk)
        )
    ).all()
    for table in reversed(metadata.sorted_tables):
        for fk in table.foreign_keys:
            if fk.column is records.c.uid:
                _delete_with_dependents(conn, table, fk.parent.in_(chunk))
    for _, _, batch_id, row_number in places:
        conn.execute(
            update(rejections)
            .where(and_(rejections.c.batch_id == batch_id, rejections.c.row_number == row_number))
            .values(value=None, raw=None, reason="erased")
        )
    conn.execute(delete(records).where(records.c.uid.in_(chunk)))
    for batch_id in {p.batch_id for p in places}:
        left = conn.execute(select(records.c.uid).where(records.c.batch_id == batch_id).limit(1))
        if left.first() is None:  # nothing of the batch remains: neither do its rejected rows
            conn.execute(
                update(rejections)
                .where(rejections.c.batch_id == batch_id)
                .values(value=None, raw=None, reason="erased")
            )
    conn.execute(
        erasures.insert(),
        [
            {
                "record_uid": uid,
                "source_id": source_id,
                "batch_id": batch_id,
                "person_category": categories.get(uid),
                "erased_by": actor.username,
                "erased_at": now,
                "reason": reason,
            }
            for uid, source_id, batch_id, _ in places
        ],
    )
