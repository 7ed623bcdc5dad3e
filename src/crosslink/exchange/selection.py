"""What a package would carry: records chosen by case, source, entity or uid, then filtered.

A record leaves only when (1) the sender may ``export`` it (the one policy, in the query),
(2) its type travels as FtM (``data/ftm.yaml``), (3) its person category is among those asked
for, and (4) the recipient may receive it: an H2 record only with its provider's recorded
permission to disseminate to the recipient, a victim's record only with a consent or legal
basis recorded for the recipient (:func:`crosslink.access.filters.release_clauses`). Every
other candidate is listed with its reason — except records the sender may not export at
all, which are only counted, never named. Links leave when both ends and the link itself
may leave.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, or_, select

from crosslink.access.directory import get_agency
from crosslink.access.filters import permitted_sources, record_filter, release_clauses
from crosslink.access.policy import Subject
from crosslink.access.schema import case_records
from crosslink.errors import InvalidValue
from crosslink.exchange.ftm import load_ftm_table
from crosslink.resolve.schema import entity_members
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import links, records, sources


@dataclass(frozen=True)
class Selection:
    """Which records to consider; at least one of case, source, entities or records."""

    case_id: str | None = None
    source_id: str | None = None
    entity_ids: tuple[str, ...] = ()
    record_uids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    """Person categories allowed to leave (empty: all); records naming no person always may."""

    def check(self) -> None:
        if not (self.case_id or self.source_id or self.entity_ids or self.record_uids):
            raise InvalidValue("select what leaves: a case, a source, entities or records")


@dataclass(frozen=True)
class Candidate:
    uid: str
    entity_type: str
    source_id: str
    handling_code: str
    handling_conditions: str | None
    source_grade: str
    info_grade: str
    person_category: str | None
    grading_system: str
    held_back: str | None
    """Why the record stays, or None when it leaves."""


@dataclass
class Plan:
    """The outcome of a selection: records that leave, those held back, links that leave."""

    recipient: str
    leaving: list[Candidate] = field(default_factory=list)
    held_back: list[Candidate] = field(default_factory=list)
    hidden: int = 0
    """Candidates the sender may not export: counted, never named."""
    link_uids: list[str] = field(default_factory=list)


def plan(conn: Connection, subject: Subject, recipient: str, selection: Selection) -> Plan:
    """Sort the selected records into leaving and held back (with the reason) for ``recipient``."""
    selection.check()
    agency = get_agency(conn, recipient)
    if agency.id == subject.agency_id:
        raise InvalidValue(f"{recipient} is your own agency: a package goes to a partner")
    gates = release_clauses(agency.id, agency.kind)
    carried = set(load_ftm_table().entities)
    result = Plan(recipient=agency.id)
    query = _query(selection, subject, gates)
    for row in conn.execute(query):
        if not row.exportable:
            result.hidden += 1
            continue
        reason = _reason(row, carried, selection.categories, agency.id)
        candidate = Candidate(
            uid=row.uid,
            entity_type=row.schema,
            source_id=row.source_id,
            handling_code=row.handling_code,
            handling_conditions=row.handling_conditions,
            source_grade=row.source_grade,
            info_grade=row.info_grade,
            person_category=row.person_category,
            grading_system=row.grading_system,
            held_back=reason,
        )
        (result.held_back if reason else result.leaving).append(candidate)
    result.link_uids = _links(conn, [c.uid for c in result.leaving], agency.id)
    return result


def _reason(row: Any, carried: set[str], categories: tuple[str, ...], recipient: str) -> str | None:
    if row.schema not in carried:
        return f"a {row.schema} does not travel as a FollowTheMoney entity"
    if categories and row.person_category is not None and row.person_category not in categories:
        return f"names a {row.person_category}, not among the categories asked for"
    if not row.h2_ok:
        return f"H2: no recorded permission of its provider to disseminate to {recipient}"
    if not row.victim_ok:
        return f"names a victim: no consent or legal basis recorded for {recipient}"
    return None


def _query(selection: Selection, subject: Subject, gates: dict[str, Any]) -> Select[Any]:
    wanted: list[ColumnElement[bool]] = []
    if selection.case_id:
        wanted.append(
            records.c.uid.in_(
                select(case_records.c.record_uid).where(case_records.c.case_id == selection.case_id)
            )
        )
    if selection.source_id:
        wanted.append(records.c.source_id == selection.source_id)
    if selection.entity_ids:
        members = select(entity_members.c.record_uid).where(
            entity_members.c.entity_id.in_(list(selection.entity_ids))
        )
        wanted.append(records.c.uid.in_(members))
    if selection.record_uids:
        wanted.append(records.c.uid.in_(list(selection.record_uids)))
    return (
        select(
            records.c.uid,
            records.c.schema,
            records.c.source_id,
            records.c.handling_code,
            records.c.handling_conditions,
            records.c.source_grade,
            records.c.info_grade,
            records.c.person_category,
            sources.c.grading_system,
            record_filter(subject, "export").label("exportable"),
            gates["h2_dissemination"].label("h2_ok"),
            gates["victim_consent"].label("victim_ok"),
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(or_(*wanted))
        .order_by(records.c.schema, records.c.uid)
    )


def _links(conn: Connection, uids: Iterable[str], recipient: str) -> list[str]:
    """Links between two leaving records whose own handling code lets them leave too."""
    leaving = set(uids)
    if not leaving:
        return []
    h2_ok = or_(
        links.c.handling_code != "H2",
        links.c.source_id.in_(permitted_sources(recipient, "disseminate")),
    )
    found: list[str] = []
    ordered = sorted(leaving)
    for start in range(0, len(ordered), MAX_IN_PARAMS):
        chunk = ordered[start : start + MAX_IN_PARAMS]
        rows = conn.execute(
            select(links.c.uid, links.c.target_uid, h2_ok.label("ok"))
            .where(links.c.source_uid.in_(chunk))
            .order_by(links.c.uid)
        )
        found.extend(uid for uid, target, ok in rows if ok and target in leaving)
    return found
