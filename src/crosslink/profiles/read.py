"""An entity's profile: its source records with provenance, its links, and a timeline.

Every record shown — the members and the other ends of links — is first narrowed to what the
subject may view (in the query) and then consulted: decided per record (a justification
asked for when a person is named) before anything is read, and written to the audit log last,
so that the log's head is locked only from that append to the commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from crosslink.access import Subject, record_filter
from crosslink.access.consult import decide_records, log_consultation
from crosslink.errors import AccessDenied, NotFound
from crosslink.resolve.schema import entities, entity_members, match_edges
from crosslink.search.labels import LABEL_INPUTS, label_of
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import batches, links, record_values, records, sources

MAX_LINKS = 500
_DATE_PROPS = ("date", "end_date", "posted_at", "issue_date", "expiry_date", "birth_date")


@dataclass(frozen=True)
class RecordView:
    uid: str
    schema: str
    label: str
    source_id: str
    agency: str
    dataset: str
    file_name: str
    row_number: int
    batch_id: int
    imported_by: str
    imported_at: dt.datetime
    handling_code: str
    conditions: str | None
    source_grade: str
    info_grade: str
    person_category: str | None
    values: dict[str, list[str]]
    cleaned: dict[str, list[str]] = field(default_factory=dict)
    """The values as the data model cleaned them (dates in ISO, countries as codes)."""


@dataclass(frozen=True)
class LinkView:
    link_type: str
    outgoing: bool
    record_uid: str
    other_uid: str
    other_label: str
    other_schema: str
    other_entity: str | None
    start_date: str | None
    end_date: str | None
    source_id: str
    handling_code: str


@dataclass(frozen=True)
class TimelineItem:
    date: str
    what: str
    label: str
    record_uid: str


@dataclass
class Profile:
    ref: str
    entity_id: str | None
    entity_type: str
    label: str
    records: list[RecordView] = field(default_factory=list)
    links: list[LinkView] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    links_truncated: bool = False
    confidence: float | None = None
    """The lowest match probability among the records shown (None: one record, or judged)."""


def _members(conn: Connection, subject: Subject, ref: str) -> tuple[str | None, str, list[str]]:
    """(entity id, entity type, visible member uids) of an entity id or a record uid."""
    entity = conn.execute(
        select(entities.c.id, entities.c.entity_type).where(entities.c.id == ref)
    ).first()
    if entity is None:
        row = conn.execute(
            select(records.c.uid, records.c.schema, entity_members.c.entity_id)
            .outerjoin(entity_members, entity_members.c.record_uid == records.c.uid)
            .where(records.c.uid == ref, record_filter(subject))
        ).first()
        if row is None:
            raise NotFound(f"no entity or record {ref} that you may view")
        if row.entity_id is None:
            return None, str(row.schema), [str(row.uid)]
        entity_id, entity_type = str(row.entity_id), str(row.schema)
    else:
        entity_id, entity_type = str(entity.id), str(entity.entity_type)
    uids = [
        str(u)
        for u in conn.execute(
            select(records.c.uid)
            .join(entity_members, entity_members.c.record_uid == records.c.uid)
            .where(entity_members.c.entity_id == entity_id, record_filter(subject))
            .order_by(records.c.uid)
        ).scalars()
    ]
    if not uids:
        raise NotFound(f"no entity or record {ref} that you may view")
    return entity_id, entity_type, uids


Facts = dict[str, tuple[str, str | None]]
"""(schema, entity id) of the records at the other end of links."""
Values = dict[str, list[tuple[str, str, str | None]]]
"""(prop, original, cleaned) of each record, in property and source order."""


def _links(
    conn: Connection, subject: Subject, uids: list[str]
) -> tuple[list[Row[Any]], bool, Facts]:
    """Links between ``uids`` and records the subject may view (at most :data:`MAX_LINKS`),
    and the schema and entity of each such other record (read with its visibility)."""
    stmt = (
        select(links)
        .where(or_(links.c.source_uid.in_(uids), links.c.target_uid.in_(uids)))
        .order_by(links.c.start_date, links.c.uid)
    )
    members = set(uids)
    rows = list(conn.execute(stmt))
    others = sorted(
        {str(r.target_uid if r.source_uid in members else r.source_uid) for r in rows} - members
    )
    facts: Facts = {}
    for start in range(0, len(others), MAX_IN_PARAMS):
        chunk = others[start : start + MAX_IN_PARAMS]
        for uid, schema, entity in conn.execute(
            select(records.c.uid, records.c.schema, entity_members.c.entity_id)
            .outerjoin(entity_members, entity_members.c.record_uid == records.c.uid)
            .where(records.c.uid.in_(chunk), record_filter(subject))
        ):
            facts[uid] = (schema, entity)
    seen = members | set(facts)
    kept = [r for r in rows if r.source_uid in seen and r.target_uid in seen]
    return kept[:MAX_LINKS], len(kept) > MAX_LINKS, facts


def _read_values(conn: Connection, uids: list[str], props: tuple[str, ...] = ()) -> Values:
    """The values of ``uids`` (only ``props`` if given), one query per chunk of uids."""
    v = record_values.c
    out: Values = defaultdict(list)
    for start in range(0, len(uids), MAX_IN_PARAMS):
        stmt = select(v.record_uid, v.prop, v.original, v.cleaned).where(
            v.record_uid.in_(uids[start : start + MAX_IN_PARAMS])
        )
        if props:
            stmt = stmt.where(v.prop.in_(props))
        for uid, prop, original, cleaned in conn.execute(
            stmt.order_by(v.record_uid, v.prop, v.idx)
        ):
            out[uid].append((prop, original, cleaned))
    return out


def _by_prop(values: list[tuple[str, str, str | None]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for prop, original, _ in values:
        out[prop].append(original)
    return dict(out)


def _cleaned_by_prop(values: list[tuple[str, str, str | None]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for prop, original, cleaned in values:
        out[prop].append(cleaned or original)
    return dict(out)


def _confidence(conn: Connection, uids: list[str]) -> float | None:
    """The weakest match probability that joined two of ``uids`` (bounded: one chunk)."""
    chosen = uids[: MAX_IN_PARAMS // 2]
    edges = match_edges.c
    found = conn.execute(
        select(func.min(edges.probability)).where(
            edges.left_uid.in_(chosen), edges.right_uid.in_(chosen)
        )
    ).scalar_one()
    return None if found is None else float(found)


def _label(values: list[tuple[str, str, str | None]], uid: str) -> str:
    first: dict[str, str] = {}
    for prop, original, _ in values:
        first.setdefault(prop, original)
    return label_of(first, uid)


def _dates(values: list[tuple[str, str, str | None]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for prop, _, cleaned in values:
        if prop in _DATE_PROPS and cleaned is not None:
            out.setdefault(prop, cleaned)
    return out


def record_values_of(conn: Connection, uids: list[str]) -> dict[str, dict[str, list[str]]]:
    """Every original value of each record, by property, in source order."""
    return {uid: _by_prop(values) for uid, values in _read_values(conn, uids).items()}


def _record_views(
    conn: Connection, uids: list[str], conditions: dict[str, str | None], values: Values
) -> list[RecordView]:
    rows = conn.execute(
        select(
            records,
            sources.c.agency,
            sources.c.dataset,
            batches.c.imported_by,
            batches.c.finished_at,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .join(batches, batches.c.id == records.c.batch_id)
        .where(records.c.uid.in_(uids))
        .order_by(records.c.source_id, records.c.file_name, records.c.row_number)
    )
    return [
        RecordView(
            uid=r.uid,
            schema=r.schema,
            label=_label(values.get(r.uid, []), r.uid),
            source_id=r.source_id,
            agency=r.agency,
            dataset=r.dataset,
            file_name=r.file_name,
            row_number=r.row_number,
            batch_id=r.batch_id,
            imported_by=r.imported_by,
            imported_at=r.finished_at,
            handling_code=r.handling_code,
            conditions=conditions.get(r.uid),
            source_grade=r.source_grade,
            info_grade=r.info_grade,
            person_category=r.person_category,
            values=_by_prop(values.get(r.uid, [])),
            cleaned=_cleaned_by_prop(values.get(r.uid, [])),
        )
        for r in rows
    ]


def profile(
    conn: Connection,
    subject: Subject,
    ref: str,
    *,
    justification: str | None,
    action: str = "view",
    recipients: tuple[str, ...] = (),
) -> Profile:
    """The profile of entity (or record) ``ref`` as ``subject`` may see it; logged.

    ``action`` is what the records are given for: ``view`` (a consultation) or ``export``
    (a disclosure, to ``recipients``), each decided by the policy per record."""
    entity_id, entity_type, uids = _members(conn, subject, ref)
    link_rows, truncated, facts = _links(conn, subject, uids)
    members = set(uids)
    others = [str(r.target_uid if r.source_uid in members else r.source_uid) for r in link_rows]
    consulted = decide_records(
        conn,
        subject,
        uids + [o for o in others if o not in members],
        justification=justification,
        action=action,
    )
    allowed = set(consulted.allowed)
    shown = [u for u in uids if u in allowed]
    if not shown:
        log_consultation(
            conn, subject, consulted, justification=justification, recipients=recipients
        )
        if action != "view":
            raise AccessDenied(f"you may not {action} the records of {ref}")
        raise NotFound(f"no entity or record {ref} that you may view")
    values = _read_values(conn, shown)
    views = _record_views(conn, shown, dict(consulted.conditions), values)
    result = Profile(ref, entity_id, entity_type, views[0].label if views else ref)
    result.records = views
    result.links_truncated = truncated
    result.confidence = _confidence(conn, shown) if len(shown) > 1 else None
    _add_links(conn, result, link_rows, (members, allowed), facts, values)
    _add_timeline(result, values)
    log_consultation(conn, subject, consulted, justification=justification, recipients=recipients)
    return result


def _add_links(
    conn: Connection,
    result: Profile,
    rows: list[Row[Any]],
    members_allowed: tuple[set[str], set[str]],
    facts: Facts,
    values: Values,
) -> None:
    """The links shown, labelled; the other ends' values (label, dates) join ``values``."""
    members, allowed = members_allowed
    ends: list[tuple[Row[Any], bool, str, str]] = []
    for r in rows:
        outgoing = r.source_uid in members
        mine = r.source_uid if outgoing else r.target_uid
        other = r.target_uid if outgoing else r.source_uid
        if mine in allowed and other in allowed:
            ends.append((r, outgoing, str(mine), str(other)))
    other_uids = sorted({o for _, _, _, o in ends} - members)
    values.update(_read_values(conn, other_uids, (*LABEL_INPUTS, *_DATE_PROPS)))
    for r, outgoing, mine, other in ends:
        schema, entity = facts.get(other, ("", None))
        result.links.append(
            LinkView(
                link_type=r.link_type,
                outgoing=outgoing,
                record_uid=mine,
                other_uid=other,
                other_label=_label(values.get(other, []), other),
                other_schema=schema,
                other_entity=entity,
                start_date=r.start_date,
                end_date=r.end_date,
                source_id=r.source_id,
                handling_code=r.handling_code,
            )
        )


def _add_timeline(result: Profile, values: Values) -> None:
    items: list[TimelineItem] = []
    for link in result.links:
        if link.start_date:
            items.append(
                TimelineItem(link.start_date, link.link_type, link.other_label, link.other_uid)
            )
        if link.end_date:
            items.append(
                TimelineItem(
                    link.end_date, f"{link.link_type} ends", link.other_label, link.other_uid
                )
            )
    dated = [v.uid for v in result.records] + [
        link.other_uid for link in result.links if link.other_schema in ("Event", "Ad")
    ]
    labels = {v.uid: v.label for v in result.records} | {
        link.other_uid: link.other_label for link in result.links
    }
    for uid in sorted(set(dated)):
        for prop, value in _dates(values.get(uid, [])).items():
            items.append(TimelineItem(value, prop, labels.get(uid, uid), uid))
    result.timeline = sorted(set(items), key=lambda i: (i.date, i.what, i.record_uid))
