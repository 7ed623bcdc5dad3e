"""The policy inside queries: rows a subject may not see never leave the store.

:func:`record_filter` compiles the rules of ``roles.yaml`` into one WHERE clause over
``records``; :func:`visible_records` wraps it in a select of uids for other queries to join.
:func:`load_records` gathers, with plain queries of its own, the facts that
:func:`~crosslink.access.policy.authorize` needs for single records. Tests assert the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    false,
    func,
    not_,
    or_,
    select,
    true,
)

from crosslink.access.policy import CASE_CATEGORIES, RecordResource, Subject
from crosslink.access.roles import RECORD_ACTIONS, Role, load_roles
from crosslink.access.schema import (
    case_members,
    case_records,
    cases,
    consents,
    permissions,
    source_agencies,
)
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import batches, records


def visible_records(subject: Subject, action: str = "view") -> Select[str]:
    """``SELECT records.uid`` of every record ``subject`` may ``action``; join it, or IN it."""
    return select(records.c.uid).where(record_filter(subject, action))


def record_filter(subject: Subject, action: str = "view") -> ColumnElement[bool]:
    """A WHERE clause over ``records`` true exactly where :func:`authorize` allows."""
    if action not in RECORD_ACTIONS:
        return false()
    book = load_roles()
    parts = [
        _role_clause(subject, book.role(name), action)
        for name in sorted(subject.roles)
        if action in book.role(name).actions
    ]
    return or_(false(), *parts)


def permitted_sources(recipient_agency_id: str, kind: str) -> Select[str]:
    """``SELECT source_id`` of the sources whose provider granted ``kind`` (``disseminate``,
    ``judicial``) to the recipient agency, for that source or for all of its sources."""
    sa, p = source_agencies, permissions
    return (
        select(sa.c.source_id)
        .join(
            p,
            and_(
                p.c.provider_agency_id == sa.c.agency_id,
                or_(p.c.source_id.is_(None), p.c.source_id == sa.c.source_id),
            ),
        )
        .where(
            p.c.recipient_agency_id == recipient_agency_id,
            p.c.kind == kind,
            p.c.revoked_at.is_(None),
        )
    )


class _Terms:
    """The subqueries a clause is made of, for one subject."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.category = func.coalesce(records.c.person_category, "")
        self.own = records.c.source_id.in_(
            select(source_agencies.c.source_id).where(
                source_agencies.c.agency_id == subject.agency_id
            )
        )
        self.in_case = records.c.uid.in_(
            select(case_records.c.record_uid)
            .join(cases, cases.c.id == case_records.c.case_id)
            .join(case_members, case_members.c.case_id == cases.c.id)
            .where(
                case_members.c.user_id == (subject.user_id or -1),
                cases.c.status == "open",
            )
        )
        self.consent = records.c.uid.in_(
            select(consents.c.record_uid).where(
                consents.c.withdrawn_at.is_(None),
                or_(
                    consents.c.recipient_agency_id == subject.agency_id,
                    consents.c.recipient_kind == subject.agency_kind,
                ),
            )
        )

    def permitted(self, kind: str) -> ColumnElement[bool]:
        return records.c.source_id.in_(permitted_sources(self.subject.agency_id, kind))

    def scope(self, role: Role) -> ColumnElement[bool]:
        if role.scope == "all":
            return true()
        if role.scope == "agency_or_case":
            return or_(self.own, self.in_case)
        if role.scope == "cases":
            return self.in_case
        if role.scope == "own_victims":
            return and_(
                self.own, or_(records.c.person_category.is_(None), self.category == "victim")
            )
        if role.scope == "own_signals":
            mine = select(batches.c.id).where(batches.c.imported_by == self.subject.username)
            return and_(self.own, records.c.batch_id.in_(mine))
        return false()

    def gate(self, gate_id: str) -> ColumnElement[bool]:
        """Where the gate lets a record through."""
        if gate_id == "victim_consent":
            return or_(self.category != "victim", self.own, self.consent)
        if gate_id == "h2_dissemination":
            return or_(records.c.handling_code != "H2", self.own, self.permitted("disseminate"))
        if gate_id == "h1_judicial":
            return or_(records.c.handling_code != "H1", self.own, self.permitted("judicial"))
        return true()


def release_clauses(agency_id: str, agency_kind: str) -> dict[str, ColumnElement[bool]]:
    """Where a record may leave for another agency, by gate: an H2 record only with its
    provider's recorded permission to disseminate to that agency, a victim's record only with
    a consent or legal basis recorded for it, whoever provided the record (its own agency
    included: the decision to send is recorded like a partner's)."""
    terms = _Terms(Subject("", agency_id, agency_kind, frozenset()))
    return {
        "h2_dissemination": or_(records.c.handling_code != "H2", terms.permitted("disseminate")),
        "victim_consent": or_(terms.category != "victim", terms.consent),
    }


def _role_clause(subject: Subject, role: Role, action: str) -> ColumnElement[bool]:
    terms = _Terms(subject)
    clauses = [terms.scope(role)]
    if role.case_for_persons:
        clauses.append(
            or_(not_(terms.category.in_(sorted(CASE_CATEGORIES))), terms.own, terms.in_case)
        )
    for gate in load_roles().gates:
        if action in gate.applies_to:
            clauses.append(terms.gate(gate.id))
    return and_(*clauses)


def load_records(
    conn: Connection, subject: Subject, uids: Iterable[str]
) -> dict[str, RecordResource]:
    """The policy's facts for each of ``uids`` that exists, relative to ``subject``."""
    wanted = list(dict.fromkeys(uids))
    grants = _grants(conn, subject)
    found: dict[str, RecordResource] = {}
    for start in range(0, len(wanted), MAX_IN_PARAMS):
        chunk = wanted[start : start + MAX_IN_PARAMS]
        in_case = _in_case(conn, subject, chunk)
        consented = _consented(conn, subject, chunk)
        rows = conn.execute(
            select(
                records.c.uid,
                records.c.source_id,
                source_agencies.c.agency_id,
                records.c.handling_code,
                records.c.handling_conditions,
                records.c.person_category,
                batches.c.imported_by,
            )
            .select_from(records)
            .join(batches, batches.c.id == records.c.batch_id)
            .outerjoin(source_agencies, source_agencies.c.source_id == records.c.source_id)
            .where(records.c.uid.in_(chunk))
        ).all()
        for uid, source_id, provider, code, conditions, category, imported_by in rows:
            found[uid] = RecordResource(
                uid=uid,
                source_id=source_id,
                provider_agency_id=provider,
                handling_code=code,
                handling_conditions=conditions,
                person_category=category,
                imported_by=imported_by,
                in_subject_case=uid in in_case,
                consent_for_subject=uid in consented,
                disseminate_permitted=_granted(grants, "disseminate", provider, source_id),
                judicial_permitted=_granted(grants, "judicial", provider, source_id),
            )
    return found


def _in_case(conn: Connection, subject: Subject, chunk: list[str]) -> set[str]:
    if subject.user_id is None:
        return set()
    rows = conn.execute(
        select(case_records.c.record_uid)
        .join(case_members, case_members.c.case_id == case_records.c.case_id)
        .join(cases, cases.c.id == case_records.c.case_id)
        .where(
            case_members.c.user_id == subject.user_id,
            cases.c.status == "open",
            case_records.c.record_uid.in_(chunk),
        )
    )
    return {r[0] for r in rows}


def _consented(conn: Connection, subject: Subject, chunk: list[str]) -> set[str]:
    rows = conn.execute(
        select(
            consents.c.record_uid, consents.c.recipient_agency_id, consents.c.recipient_kind
        ).where(consents.c.record_uid.in_(chunk), consents.c.withdrawn_at.is_(None))
    )
    return {
        uid
        for uid, agency, kind in rows
        if agency == subject.agency_id or kind == subject.agency_kind
    }


def _grants(conn: Connection, subject: Subject) -> set[tuple[str, str, str | None]]:
    rows = conn.execute(
        select(permissions.c.kind, permissions.c.provider_agency_id, permissions.c.source_id).where(
            permissions.c.recipient_agency_id == subject.agency_id,
            permissions.c.revoked_at.is_(None),
        )
    )
    return {(kind, provider, source) for kind, provider, source in rows}


def _granted(
    grants: set[tuple[str, str, str | None]], kind: str, provider: str | None, source_id: str
) -> bool:
    if provider is None:
        return False
    return (kind, provider, None) in grants or (kind, provider, source_id) in grants
