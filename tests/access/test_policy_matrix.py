"""The authorisation matrix, generated from a table of expectations, on both backends.

Every record action x every role x handling code x person category x inside/outside the
user's agency x in/out of the user's case x with/without consent x with/without the
provider's permissions. Each cell is asserted twice: through ``authorize`` on the record and
through ``visible_records`` on real rows; the two must agree with the table, so with each other.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from crosslink.access import (
    ACTIONS,
    RECORD_ACTIONS,
    SourceResource,
    Subject,
    SystemResource,
    authorize,
    load_records,
    load_roles,
    visible_records,
)
from crosslink.access.schema import case_members, case_records, cases, consents, permissions
from crosslink.store import Store
from tests.access.helpers import (
    H3_CONDITIONS,
    T0,
    RecordSpec,
    insert_records,
    make_agency,
    make_batch,
    make_source,
    make_user,
    uid_of,
)

CODES = ("H0", "H1", "H2", "H3")
CATEGORIES = ("suspect", "convicted", "victim", "other", "unknown", None)
PERSONS_NEEDING_CASE = {"suspect", "convicted", "victim"}

# The agency kind each role's user works for in this world.
KIND = {
    "analyst": "police",
    "investigator": "police",
    "inspector": "inspection",
    "municipal_officer": "municipality",
    "immigration_officer": "immigration",
    "caseworker": "reception_centre",
    "prosecutor": "prosecution",
    "rapporteur": "rapporteur",
    "administrator": "police",
}


@dataclass(frozen=True)
class Cell:
    own: bool  # provided by the user's agency (and, there, imported by the user)
    permitted: bool  # the provider recorded H2 dissemination and H1 judicial permission
    code: str
    category: str | None
    in_case: bool  # in an open case the user is a member of
    consent: bool  # consent / legal basis recorded for the user's agency


# ---- The table of expectations -----------------------------------------------------------
# Which record actions each role has at all.
ROLE_ACTIONS: dict[str, set[str]] = {
    "analyst": {"view", "export"},
    "investigator": {"view", "export", "disclose_in_court"},
    "inspector": {"view", "export"},
    "municipal_officer": {"view"},
    "immigration_officer": {"view"},
    "caseworker": {"view", "export"},
    "prosecutor": {"view", "export", "disclose_in_court"},
    "rapporteur": set(),  # aggregates only, never a record
    "administrator": {"erase"},  # erases on review; never reads
}
# Which records each role reaches at all.
ROLE_SCOPE: dict[str, Callable[[Cell], bool]] = {
    "analyst": lambda c: True,
    "investigator": lambda c: True,
    "inspector": lambda c: c.own or c.in_case,
    "municipal_officer": lambda c: c.own,  # own signals: own agency, imported by the user
    "immigration_officer": lambda c: c.own or c.in_case,
    "caseworker": lambda c: c.own and c.category in ("victim", None),
    "prosecutor": lambda c: c.in_case,
    "rapporteur": lambda c: False,
    "administrator": lambda c: True,
}
# Suspects', convicted persons' and victims' data from another agency only through a case.
NEEDS_CASE_FOR_PERSONS = {"investigator", "inspector", "immigration_officer", "prosecutor"}
READING = {"view", "export", "disclose_in_court"}


def expected(role: str, action: str, c: Cell) -> bool:
    if action not in ROLE_ACTIONS[role] or not ROLE_SCOPE[role](c):
        return False
    outside = not c.own
    person = c.category in PERSONS_NEEDING_CASE
    if role in NEEDS_CASE_FOR_PERSONS and outside and person and not c.in_case:
        return False
    reading = action in READING and outside
    if reading and c.category == "victim" and not c.consent:
        return False  # a victim's data leaves its agency only with consent / legal basis
    if reading and c.code == "H2" and not c.permitted:
        return False  # H2 leaves its agency only with the provider's permission
    in_court = action == "disclose_in_court" and outside
    return not (in_court and c.code == "H1" and not c.permitted)  # H1: provider's permission


# -------------------------------------------------------------------------------------------


def _cells() -> list[Cell]:
    return [
        Cell(*values)
        for values in itertools.product(
            (True, False), (True, False), CODES, CATEGORIES, (True, False), (True, False)
        )
    ]


def _build(conn: Connection) -> tuple[dict[str, Subject], dict[str, dict[str, Cell]]]:
    make_agency(conn, "provider", "police")
    roles = sorted(load_roles().roles)
    subjects: dict[str, Subject] = {}
    world: dict[str, dict[str, Cell]] = {}
    for role in roles:
        agency = f"a-{role}"
        make_agency(conn, agency, KIND[role])
        subject = make_user(conn, f"u-{role}", agency, [role])
        subjects[role] = subject
        conn.execute(
            cases.insert().values(
                id=f"case-{role}", title=role, lead_agency_id=agency, status="open", created_at=T0
            )
        )
        conn.execute(
            case_members.insert().values(
                case_id=f"case-{role}", user_id=subject.user_id, added_by="t", added_at=T0
            )
        )
        world[role] = _populate(conn, role, agency)
    return subjects, world


def _populate(conn: Connection, role: str, agency: str) -> dict[str, Cell]:
    batch: dict[tuple[bool, bool], tuple[str, int]] = {}
    for own, permitted in itertools.product((True, False), (True, False)):
        source = f"{'own' if own else 'oth'}-{role}-{'p' if permitted else 'n'}"
        provider = agency if own else "provider"
        make_source(conn, source, provider)
        batch[own, permitted] = (source, make_batch(conn, source, f"u-{role}" if own else "x"))
        if permitted:
            conn.execute(
                permissions.insert(),
                [
                    {
                        "kind": kind,
                        "provider_agency_id": provider,
                        "recipient_agency_id": agency,
                        "source_id": source,
                        "granted_by": "t",
                        "granted_at": T0,
                    }
                    for kind in ("disseminate", "judicial")
                ],
            )
    cells: dict[str, Cell] = {}
    specs = []
    for cell in _cells():
        uid = uid_of(role, cell)
        source, batch_id = batch[cell.own, cell.permitted]
        cells[uid] = cell
        specs.append(RecordSpec(uid, source, batch_id, cell.code, cell.category))
    insert_records(conn, specs)
    conn.execute(
        case_records.insert(),
        [
            {"case_id": f"case-{role}", "record_uid": u, "added_by": "t", "added_at": T0}
            for u, c in cells.items()
            if c.in_case
        ],
    )
    conn.execute(
        consents.insert(),
        [
            {
                "record_uid": u,
                "basis": "consent",
                "recipient_agency_id": agency,
                "recorded_by": "t",
                "recorded_at": T0,
            }
            for u, c in cells.items()
            if c.consent
        ],
    )
    return cells


def _as_seen_by(role: str, owner: str, cell: Cell) -> Cell:
    """Another role's record, as this role's user sees it: from another agency, in no case of
    theirs, with consent and permissions recorded for someone else."""
    if owner == role:
        return cell
    return Cell(False, False, cell.code, cell.category, False, False)


def test_matrix_of_record_actions(store: Store) -> None:
    with store.transaction() as conn:
        subjects, world = _build(conn)
    every = {uid: (owner, cell) for owner, cells in world.items() for uid, cell in cells.items()}
    asserted = 0
    with store.engine.connect() as conn:
        for role, subject in subjects.items():
            facts = load_records(conn, subject, every)
            for action in RECORD_ACTIONS:
                visible = set(conn.execute(visible_records(subject, action)).scalars())
                for uid, (owner, stored) in every.items():
                    cell = _as_seen_by(role, owner, stored)
                    want = expected(role, action, cell)
                    decision = authorize(subject, action, facts[uid])
                    where = f"{role} {action} {cell}"
                    assert decision.allowed is want, f"authorize: {where}: {decision.reason}"
                    assert (uid in visible) is want, f"visible_records: {where}"
                    if not want:
                        assert decision.reason, where
                    elif cell.code == "H3":
                        assert decision.conditions == H3_CONDITIONS, where
                    asserted += 1
    distinct = len(_cells())
    assert distinct == 384
    # 9 roles x 4 record actions x 3,456 records (384 combinations per role's slice)
    assert asserted == len(subjects) * len(RECORD_ACTIONS) * distinct * len(subjects) == 124_416


def test_matrix_of_other_actions(store: Store) -> None:
    """import (own or another agency's source), aggregate, audit_read, manage_users, feedback."""
    with store.transaction() as conn:
        make_agency(conn, "elsewhere", "police")
        subjects = {
            role: make_user(conn, f"u-{role}", _agency(conn, role), [role])
            for role in sorted(load_roles().roles)
        }
    imports = {"investigator", "inspector", "municipal_officer", "immigration_officer"}
    imports |= {"caseworker", "administrator"}
    others = {
        "aggregate": {"analyst", "rapporteur"},
        "audit_read": {"administrator"},
        "manage_users": {"administrator"},
        "give_feedback": {"analyst", "investigator", "inspector"},
    }
    asserted = 0
    for role, subject in subjects.items():
        own = SourceResource("s-own", subject.agency_id)
        foreign = SourceResource("s-foreign", "elsewhere")
        assert authorize(subject, "import", own).allowed is (role in imports)
        assert authorize(subject, "import", foreign).allowed is (role == "administrator")
        asserted += 2
        for action, allowed in others.items():
            decision = authorize(subject, action, SystemResource(action))
            assert decision.allowed is (role in allowed), decision.reason
            asserted += 1
        for action in RECORD_ACTIONS:
            assert not authorize(subject, action, SystemResource("stats"))
    assert set(ACTIONS) == set(RECORD_ACTIONS) | {"import"} | set(others)
    assert asserted == 9 * 6


def _agency(conn: Connection, role: str) -> str:
    make_agency(conn, f"a-{role}", KIND[role])
    return f"a-{role}"


def test_several_roles_see_the_union(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "centre", "reception_centre")
        make_agency(conn, "provider", "police")
        both = make_user(conn, "both", "centre", ["caseworker", "municipal_officer"])
        make_source(conn, "mine", "centre")
        make_source(conn, "theirs", "provider")
        mine, theirs = make_batch(conn, "mine", "someone"), make_batch(conn, "theirs", "x")
        insert_records(
            conn,
            [
                RecordSpec("a" * 32, "mine", mine, "H0", "victim"),
                RecordSpec("b" * 32, "mine", mine, "H0", "suspect"),
                RecordSpec("c" * 32, "theirs", theirs, "H0", "victim"),
            ],
        )
    with store.engine.connect() as conn:
        visible = set(conn.execute(visible_records(both, "view")).scalars())
        facts = load_records(conn, both, ["a" * 32, "b" * 32, "c" * 32])
    assert visible == {"a" * 32}
    denied = authorize(both, "view", facts["b" * 32])
    assert not denied
    assert "caseworker" in denied.reason and "own signals" in denied.reason
