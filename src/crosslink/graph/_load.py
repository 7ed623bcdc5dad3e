"""Read what one subject may see: records, their values, entity membership, links, sources.

Every query is restricted by :func:`crosslink.access.filters.visible_records`, in SQL: a record
the subject may not see never leaves the store, and a link is read only when both its ends are
visible. ``subject=None`` reads everything and is meant for system jobs (benchmarks, tests);
the CLI and the web always pass the acting user.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Connection, exists, select, true

from crosslink.access.filters import record_filter, visible_records
from crosslink.access.policy import Subject
from crosslink.access.schema import source_agencies
from crosslink.resolve.schema import entity_members
from crosslink.store.schema import links, record_values, records, sources

# The properties the network reads: labels, keys of shared things, places, sectors, dates.
PROPS = (
    "name",
    "first_name",
    "last_name",
    "alias",
    "nationality",
    "role",
    "sector",
    "exploitation",
    "country",
    "jurisdiction",
    "date",
    "end_date",
    "posted_at",
    "kind",
    "reference",
    "title",
    "url",
    "number",
    "address",
    "iban",
    "handle",
    "phone",
    "email",
    "id_number",
    "national_id",
    "full",
    "street",
    "city",
    "postcode",
    "registration",
    "make",
    "model",
)


@dataclass(frozen=True)
class RecordRow:
    uid: str
    schema: str
    source_id: str
    handling_code: str
    person_category: str | None


@dataclass(frozen=True)
class LinkRow:
    uid: str
    link_type: str
    source_uid: str
    target_uid: str
    source_id: str
    handling_code: str
    start_date: str | None
    end_date: str | None


@dataclass
class SourceInfo:
    agency: str
    jurisdiction: str
    agencies: set[str] = field(default_factory=set)


@dataclass
class Loaded:
    records: dict[str, RecordRow]
    values: dict[str, dict[str, list[str]]]
    """record uid -> prop -> cleaned values (original where nothing was cleaned), in order."""
    membership: dict[str, str]
    links: list[LinkRow]
    sources: dict[str, SourceInfo]


def load_visible(conn: Connection, subject: Subject | None, action: str) -> Loaded:
    """Everything the network is built from, restricted to what ``subject`` may ``action``."""
    visible = visible_records(subject, action) if subject is not None else None

    def within(column: ColumnElement[str]) -> ColumnElement[bool]:
        return column.in_(visible) if visible is not None else true()

    def visible_end(column: ColumnElement[str]) -> ColumnElement[bool]:
        # One record looked up by key per link end: ``IN (visible)`` on both ends lets SQLite
        # probe the links index with every pair of visible records, quadratic in the store.
        if subject is None:
            return true()
        return exists(
            select(records.c.uid).where(records.c.uid == column, record_filter(subject, action))
        )

    found = {
        r.uid: RecordRow(r.uid, r.schema, r.source_id, r.handling_code, r.person_category)
        for r in conn.execute(
            select(
                records.c.uid,
                records.c.schema,
                records.c.source_id,
                records.c.handling_code,
                records.c.person_category,
            )
            .where(within(records.c.uid))
            # In a fixed order: ties add up their weights in the order records come, and
            # floating-point sums in another order can tip a close ranking of key players.
            .order_by(records.c.uid)
        )
    }
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = conn.execute(
        select(
            record_values.c.record_uid,
            record_values.c.prop,
            record_values.c.cleaned,
            record_values.c.original,
        )
        .where(within(record_values.c.record_uid), record_values.c.prop.in_(PROPS))
        .order_by(record_values.c.record_uid, record_values.c.prop, record_values.c.idx)
    )
    for uid, prop, cleaned, original in rows:
        values[uid][prop].append(cleaned or original)
    member_rows = conn.execute(
        select(entity_members.c.record_uid, entity_members.c.entity_id).where(
            within(entity_members.c.record_uid)
        )
    )
    membership: dict[str, str] = {str(r[0]): str(r[1]) for r in member_rows}
    link_rows = [
        LinkRow(*row)
        for row in conn.execute(
            select(
                links.c.uid,
                links.c.link_type,
                links.c.source_uid,
                links.c.target_uid,
                links.c.source_id,
                links.c.handling_code,
                links.c.start_date,
                links.c.end_date,
            )
            .where(visible_end(links.c.source_uid), visible_end(links.c.target_uid))
            .order_by(links.c.uid)
        )
    ]
    return Loaded(found, values, membership, link_rows, _sources(conn))


def _sources(conn: Connection) -> dict[str, SourceInfo]:
    found = {
        sid: SourceInfo(agency, jurisdiction)
        for sid, agency, jurisdiction in conn.execute(
            select(sources.c.id, sources.c.agency, sources.c.jurisdiction)
        )
    }
    for sid, agency_id in conn.execute(
        select(source_agencies.c.source_id, source_agencies.c.agency_id)
    ):
        if sid in found:
            found[sid].agencies.add(agency_id)
    for info in found.values():
        if not info.agencies:
            info.agencies.add(info.agency)
    return found
