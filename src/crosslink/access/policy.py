"""The one policy: ``authorize(subject, action, resource) -> Decision``.

Rules are data (``data/roles.yaml``): a role names its actions and its scope; then every
record action passes the gates in order. The same rules are compiled into SQL by
:mod:`crosslink.access.filters`, so a list never shows what a single look would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosslink.access.roles import RECORD_ACTIONS, Role, load_roles

# Records naming these need case membership for roles with ``case_for_persons``.
CASE_CATEGORIES = frozenset({"suspect", "convicted", "victim"})


@dataclass(frozen=True)
class Subject:
    """Who acts: a user of an agency with one or more roles."""

    username: str
    agency_id: str
    agency_kind: str
    roles: frozenset[str]
    user_id: int | None = None


@dataclass(frozen=True)
class RecordResource:
    """One record and the facts the policy needs, some of them relative to the subject.

    Build these with :func:`crosslink.access.filters.load_records`.
    """

    uid: str
    source_id: str
    provider_agency_id: str | None
    handling_code: str
    handling_conditions: str | None
    person_category: str | None
    imported_by: str
    in_subject_case: bool = False
    consent_for_subject: bool = False
    disseminate_permitted: bool = False
    judicial_permitted: bool = False


@dataclass(frozen=True)
class SourceResource:
    source_id: str
    provider_agency_id: str | None


@dataclass(frozen=True)
class SystemResource:
    """Something that is not a record or a source: statistics, the audit log, users."""

    name: str


@dataclass(frozen=True)
class StepResource:
    """A step of a referral procedure on a presumed victim's record: the procedure names
    the one role that makes it; the actor must also be allowed to view the record."""

    step: str
    role: str
    record: RecordResource


Resource = RecordResource | SourceResource | SystemResource | StepResource


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    conditions: str | None = None
    """H3 conditions: to be shown with the data wherever it is shown."""

    def __bool__(self) -> bool:
        return self.allowed


def authorize(subject: Subject, action: str, resource: Resource) -> Decision:
    """Decide; a subject with several roles is allowed when any of them allows."""
    book = load_roles()
    if not subject.roles:
        return Decision(False, f"user {subject.username} has no role")
    if isinstance(resource, StepResource):
        return _decide_step(subject, action, resource)
    denials: list[str] = []
    for name in sorted(subject.roles):
        decision = _decide(subject, name, book.role(name), action, resource)
        if decision.allowed:
            return decision
        denials.append(decision.reason)
    return Decision(False, "; ".join(denials))


def _decide_step(subject: Subject, action: str, step: StepResource) -> Decision:
    if action != "move":
        return Decision(False, f"{action} is not an action on a referral step")
    if step.role not in subject.roles:
        return Decision(False, f"step {step.step} is made by the role {step.role} only")
    seen = authorize(subject, "view", step.record)
    if not seen:
        return Decision(False, f"step {step.step}: {seen.reason}")
    return Decision(True, f"role {step.role} may make step {step.step}", seen.conditions)


def _decide(subject: Subject, name: str, role: Role, action: str, resource: Resource) -> Decision:
    if action not in role.actions:
        return Decision(False, f"role {name} may not {action}")
    if isinstance(resource, SystemResource):
        if action in RECORD_ACTIONS or action == "import":
            return Decision(False, f"{action} is an action on a record or a source")
        return Decision(True, f"role {name} may {action}")
    if isinstance(resource, SourceResource):
        if action != "import":
            return Decision(False, f"{action} is not an action on a source")
        return _decide_source(subject, name, role, resource)
    if action not in RECORD_ACTIONS or not isinstance(resource, RecordResource):
        return Decision(False, f"{action} is not an action on a record")
    return _decide_record(subject, name, role, action, resource)


def _decide_source(subject: Subject, name: str, role: Role, source: SourceResource) -> Decision:
    if role.import_any_source or source.provider_agency_id == subject.agency_id:
        return Decision(True, f"role {name} may import into source {source.source_id}")
    owner = source.provider_agency_id or "no agency"
    return Decision(
        False,
        f"source {source.source_id} belongs to {owner}, not to {subject.agency_id}; "
        f"role {name} imports only for its own agency",
    )


def _decide_record(
    subject: Subject, name: str, role: Role, action: str, res: RecordResource
) -> Decision:
    own = res.provider_agency_id is not None and res.provider_agency_id == subject.agency_id
    out_of_scope = _scope_denial(subject, role, res, own)
    if out_of_scope:
        return Decision(
            False, f"record {res.uid} is outside the scope of role {name}: {out_of_scope}"
        )
    needs_case = role.case_for_persons and res.person_category in CASE_CATEGORIES
    if needs_case and not own and not res.in_subject_case:
        return Decision(
            False,
            f"record {res.uid} names a {res.person_category} and comes from another agency; "
            f"role {name} needs it in one of the user's open cases",
        )
    for gate in load_roles().gates:
        if action in gate.applies_to:
            why = _gate_denial(gate.id, subject, res, own)
            if why:
                return Decision(False, f"record {res.uid}: {why} (gate {gate.id})")
    conditions = (res.handling_conditions or "") if res.handling_code == "H3" else None
    return Decision(True, f"role {name} may {action} record {res.uid}", conditions)


def _scope_denial(subject: Subject, role: Role, res: RecordResource, own: bool) -> str | None:
    scope = role.scope
    if scope == "all":
        return None
    if scope == "none":
        return "the role reaches no record (aggregates only)"
    if scope == "agency_or_case":
        return (
            None if own or res.in_subject_case else "neither from the user's agency nor in a case"
        )
    if scope == "cases":
        return None if res.in_subject_case else "not in one of the user's open cases"
    if scope == "own_victims":
        if own and res.person_category in (None, "victim"):
            return None
        return "only the victims of the user's own centre"
    if own and res.imported_by == subject.username:
        return None
    return "only the user's own signals"


def _gate_denial(gate_id: str, subject: Subject, res: RecordResource, own: bool) -> str | None:
    if own:
        return None
    provider = res.provider_agency_id or "an unknown agency"
    victim = res.person_category == "victim"
    if gate_id == "victim_consent" and victim and not res.consent_for_subject:
        return (
            f"names a victim and was provided by {provider}; no consent or legal basis "
            f"is recorded for {subject.agency_id}"
        )
    h2 = res.handling_code == "H2"
    if gate_id == "h2_dissemination" and h2 and not res.disseminate_permitted:
        return (
            f"is H2 from {provider}; the provider has recorded no permission to "
            f"disseminate it to {subject.agency_id}"
        )
    if gate_id == "h1_judicial" and res.handling_code == "H1" and not res.judicial_permitted:
        return (
            f"is H1 from {provider}; it may not be disclosed in judicial proceedings "
            "without the provider's recorded permission"
        )
    return None
