"""Retention and erasure on real imports; the import authorized and logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, String, Text, select

from crosslink.access import (
    Subject,
    consult_records,
    due_for_review,
    erase_records,
    load_retention,
    verify,
)
from crosslink.access.grants import assign_source
from crosslink.access.retention import add_months
from crosslink.access.schema import audit_log, erasures, record_reviews
from crosslink.cases import add_records, open_case
from crosslink.errors import AccessDenied, JustificationRequired
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.referral.consent import ConsentGrant, record_consent
from crosslink.store import Store
from crosslink.store.schema import metadata, records
from crosslink.store.sources import Source, add_source
from tests.access.helpers import make_agency, make_user
from tests.ingest.helpers import GOOD_ROWS, HEADER, POLICE_MAPPING, write_csv

NAMES = (
    "Broken",
    "99/99/1990",
    "Popescu",
    "El Amrani",
    "Ivanova",
    "Мария",
    "0470 12 34 56",
    "BE71 0961 2345 6769",
)


def _world(store: Store) -> dict[str, Subject]:
    with store.transaction() as conn:
        make_agency(conn, "fedpol", "police")
        make_agency(conn, "payoke", "reception_centre")
        admin = make_user(conn, "admin", "fedpol", ["administrator"])
        add_source(
            conn, Source(id="be-police", agency="Federal Police", dataset="PV", jurisdiction="BE")
        )
        assign_source(conn, admin, "be-police", "fedpol")
        return {
            "admin": admin,
            "investigator": make_user(conn, "ivo", "fedpol", ["investigator"]),
            "caseworker": make_user(conn, "cas", "payoke", ["caseworker"]),
        }


def _import(store: Store, tmp_path: Path, subject: Subject) -> int:
    path = write_csv(
        tmp_path / "pv.csv", [HEADER, *GOOD_ROWS, "P4;Broken;X;1990;;verdachte;;BE00 NOT AN IBAN;"]
    )
    request = ImportRequest(
        path=path,
        mapping=parse_mapping(POLICE_MAPPING, "test-police.yaml"),
        source_id="be-police",
        subject=subject,
    )
    with store.transaction() as conn:
        summary = import_file(conn, request)
    assert summary.batch_id is not None
    return summary.batch_id


def test_import_is_authorized_and_logged_without_personal_data(
    store: Store, tmp_path: Path
) -> None:
    people = _world(store)
    with pytest.raises(AccessDenied, match="belongs to fedpol"):
        _import(store, tmp_path, people["caseworker"])
    batch = _import(store, tmp_path, people["investigator"])
    with store.engine.connect() as conn:
        entry = (
            conn.execute(select(audit_log).where(audit_log.c.action == "collection"))
            .mappings()
            .one()
        )
        assert verify(conn).ok
    assert (entry["actor"], entry["agency"]) == ("ivo", "fedpol")
    assert f'"batch":{batch}' in entry["target"] and "file_sha256" in (entry["details"] or "")
    assert not any(name in str(dict(entry)) for name in NAMES)


def test_review_dates_follow_the_rules(store: Store, tmp_path: Path) -> None:
    people = _world(store)
    _import(store, tmp_path, people["investigator"])
    rules = load_retention()
    with store.transaction() as conn:
        created = conn.execute(select(records.c.created_at)).scalars().first()
        assert created is not None
        today = created.date()
        assert due_for_review(conn, today, rules) == []
        due_2y = due_for_review(conn, add_months(today, 24), rules)
        due_5y = due_for_review(conn, add_months(today, 60), rules)
        reviews = dict(
            conn.execute(select(record_reviews.c.rule, record_reviews.c.review_on)).all()
        )
    assert {d.person_category for d in due_2y} == {"victim", "other"}
    assert {d.person_category for d in due_5y} == {"victim", "other", "suspect", None}
    assert reviews["suspect"] == add_months(today, 60)
    assert rules.pick("victim", "any", "municipality").id == "municipal-signal"


def test_erasure_leaves_no_personal_data_and_is_logged(store: Store, tmp_path: Path) -> None:
    people = _world(store)
    _import(store, tmp_path, people["investigator"])
    with store.transaction() as conn:
        everything = list(conn.execute(select(records.c.uid)).scalars())
        assert any("rejections" in t for t in _text_containing(conn, ("Broken",)))
        open_case(conn, people["investigator"], "case-1", "Car washes")
        add_records(conn, people["investigator"], "case-1", everything)
        consult_records(conn, people["investigator"], everything, justification="case-1")
        with pytest.raises(AccessDenied, match="may not erase"):
            erase_records(conn, people["investigator"], everything, reason="review")
        erase_records(conn, people["admin"], everything, reason="review 2026: no longer needed")
    with store.engine.connect() as conn:
        leftovers = _text_containing(conn, NAMES)
        assert verify(conn).ok
        tombstones = conn.execute(select(erasures)).mappings().all()
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).mappings().first()
    assert leftovers == []
    assert len(tombstones) == len(everything)
    assert last is not None and last["action"] == "erasure"
    assert last["justification"] == "review 2026: no longer needed"


def _text_containing(conn: Connection, needles: tuple[str, ...]) -> list[str]:
    found = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in conn.execute(select(*columns)) if columns else []:
            for value in row:
                if isinstance(value, str) and any(n in value for n in needles):
                    found.append(f"{table.name}: {value[:60]}")
    return found


def test_consultation_needs_justification_and_logs_denials(store: Store, tmp_path: Path) -> None:
    people = _world(store)
    _import(store, tmp_path, people["investigator"])
    with store.transaction() as conn:
        victim = conn.execute(
            select(records.c.uid).where(records.c.person_category == "victim")
        ).scalar_one()
        with pytest.raises(JustificationRequired):
            consult_records(conn, people["investigator"], [victim], justification=" ")
        refused = consult_records(conn, people["caseworker"], [victim], justification="intake")
        assert refused.allowed == [] and "outside the scope" in refused.denied[victim]
        record_consent(
            conn,
            people["admin"],
            ConsentGrant(
                victim, "legal_basis", recipient_kind="reception_centre", reference="art. 61/2"
            ),
        )
        actions = list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())
    assert "denied" in actions
