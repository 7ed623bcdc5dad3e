"""Extraction streams records in uid order and builds the same table a plain reading would."""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from crosslink.access import Subject, visible_records
from crosslink.access.schema import source_agencies
from crosslink.resolve.extract import (
    _QUERIES,
    ENTITY_TYPES,
    RawRecord,
    _appearances_query,
    _linked_props,
    _linked_query,
    appearances,
    extract,
    iter_records,
    person_row,
    read_values,
    to_table,
)
from crosslink.store import Store
from crosslink.store.schema import links, record_values, records
from tests.access.helpers import make_agency, make_user

OWN = "demo-be-inspection"
LINKED = {
    ("Phone", "number"): "phone",
    ("Email", "address"): "email",
    ("BankAccount", "iban"): "iban",
    ("OnlineAccount", "handle"): "handle",
    ("IdentityDocument", "number"): "id_number",
    ("Address", "full"): "address",
    ("Address", "street"): "linked_street",
    ("Address", "postcode"): "linked_postcode",
    ("Address", "city"): "linked_locality",
    ("Organisation", "registration_number"): "linked_registration",
    ("Organisation", "vat_number"): "linked_vat",
}


def plain_records(
    conn: Connection, entity_type: str, visible: set[str] | None = None
) -> list[RawRecord]:
    """Every record with all its values and linked evidence, read table by table and joined
    in Python: the reference the streamed extraction must agree with."""
    seen = (lambda uid: True) if visible is None else visible.__contains__
    rows = conn.execute(select(records.c.uid, records.c.source_id, records.c.schema)).all()
    schema_of = {uid: schema for uid, _, schema in rows}
    raws = {
        uid: RawRecord(uid, source)
        for uid, source, schema in rows
        if schema == entity_type and seen(uid)
    }
    values: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for uid, prop, idx, cleaned in conn.execute(
        select(record_values.c.record_uid, record_values.c.prop, record_values.c.idx)
        .add_columns(record_values.c.cleaned)
        .where(record_values.c.cleaned.is_not(None))
    ):
        values[uid].append((prop, idx, cleaned))
    for uid, raw in raws.items():
        for prop, _, cleaned in sorted(values[uid]):
            raw.values[prop].append(cleaned)
    for source, _, target in sorted(
        conn.execute(select(links.c.source_uid, links.c.uid, links.c.target_uid)).all()
    ):
        schema = schema_of[target]
        if source not in raws or not seen(target) or (schema == entity_type == "Address"):
            continue
        for prop, _, cleaned in sorted(values[target], key=lambda v: v[1]):
            if (schema, prop) in LINKED:
                raws[source].values[LINKED[schema, prop]].append(cleaned)
    return [raws[uid] for uid in sorted(raws)]


def inspector(conn: Connection) -> Subject:
    """A labour inspector who sees the records of one source only."""
    make_agency(conn, "insp", "inspection")
    conn.execute(source_agencies.insert().values(source_id=OWN, agency_id="insp"))
    return make_user(conn, "inspector1", "insp", ["inspector"])


@pytest.mark.parametrize("entity_type", ENTITY_TYPES)
def test_extract_is_the_table_of_every_record_and_its_evidence(
    conn: Connection, entity_type: str
) -> None:
    expected = to_table(entity_type, plain_records(conn, entity_type))
    table = extract(conn, entity_type)
    assert table.num_rows > 0
    for name in table.column_names:
        assert table[name].to_pylist() == expected[name].to_pylist(), name
    assert table.equals(expected)
    assert table["unique_id"].to_pylist() == sorted(table["unique_id"].to_pylist())


def test_extract_under_a_subject_leaves_out_what_it_may_not_see(conn: Connection) -> None:
    subject = inspector(conn)
    visible = set(conn.execute(visible_records(subject)).scalars())
    everything = extract(conn, "Person")
    table = extract(conn, "Person", subject)
    assert 0 < table.num_rows < everything.num_rows
    assert set(table["unique_id"].to_pylist()) <= visible
    assert table.equals(to_table("Person", plain_records(conn, "Person", visible)))


def test_hidden_linked_evidence_stays_in_the_store(conn: Connection) -> None:
    subject = inspector(conn)
    target = aliased(records)
    person = conn.execute(
        select(links.c.source_uid)
        .join(records, records.c.uid == links.c.source_uid)
        .join(target, target.c.uid == links.c.target_uid)
        .where(
            records.c.schema == "Person",
            target.c.schema.in_(["Phone", "IdentityDocument", "BankAccount", "Address"]),
            target.c.source_id != OWN,
        )
        .limit(1)
    ).scalar_one()
    # The person now comes from the inspector's source; its evidence stays where it was.
    conn.execute(records.update().where(records.c.uid == person).values(source_id=OWN))

    def evidence_of(who: Subject | None) -> int:
        raw = next(r for r in iter_records(conn, "Person", who) if r.uid == person)
        return sum(len(found) for found in raw.values.values())

    assert evidence_of(subject) < evidence_of(None)
    assert person in read_values(conn, "Person", subject)


def test_batches_do_not_change_the_table(conn: Connection) -> None:
    raws = plain_records(conn, "Organisation")
    whole = to_table("Organisation", raws)
    assert to_table("Organisation", raws, batch_rows=7).equals(whole)
    # Derived in another process while this one reads on: the same table.
    assert to_table("Organisation", raws, batch_rows=7, processes=1).equals(whole)
    assert to_table("Organisation", []).equals(whole.slice(0, 0))
    assert to_table("Organisation", []).schema == whole.schema
    assert isinstance(whole, pa.Table)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (None, ("1985-07-30", 1985, 7, 30)),  # the number alone: its date
        ("1985", ("1985-07-30", 1985, 7, 30)),  # a year alone: the number completes it
        ("1985-07-31", ("1985-07-31", 1985, 7, 31)),  # a full date as written stays
        ("1986", ("1986", 1986, None, None)),  # a number that disagrees adds nothing
    ],
)
def test_a_belgian_national_number_gives_the_date_of_birth(
    written: str | None, expected: tuple[str, int, int | None, int | None]
) -> None:
    raw = RawRecord("p1", OWN)
    raw.values["last_name"].append("Peeters")
    raw.values["national_id"].append("85073003328")
    if written:
        raw.values["birth_date"].append(written)
    row = to_table("Person", [raw]).to_pylist()[0]
    assert (row["dob"], row["birth_year"], row["birth_month"], row["birth_day"]) == expected


def test_an_employer_is_a_tie_of_the_person(conn: Connection) -> None:
    target = aliased(records)
    value = aliased(record_values)
    person, registration = conn.execute(
        select(links.c.source_uid, value.c.cleaned)
        .join(records, records.c.uid == links.c.source_uid)
        .join(target, target.c.uid == links.c.target_uid)
        .join(value, value.c.record_uid == target.c.uid)
        .where(
            records.c.schema == "Person",
            target.c.schema == "Organisation",
            links.c.link_type == "employed_by",
            value.c.prop == "registration_number",
        )
        .limit(1)
    ).one()
    row = next(r for r in extract(conn, "Person").to_pylist() if r["unique_id"] == person)
    assert registration in row["organisations"]


def test_a_name_in_arabic_script_meets_its_latin_spelling() -> None:
    # A reception centre writes the given name in Latin and the whole name as the client
    # wrote it; the immigration office transliterated it for the passport.
    intake = RawRecord("p1", OWN, {"first_name": ["Rania"], "name": ["رانيا الإدريسي"]})
    passport = RawRecord("p2", OWN, {"first_name": ["Rania"], "last_name": ["Idrissi"]})
    written, transliterated = person_row(intake), person_row(passport)
    assert written["family"] == "drysy"  # the article set apart and left out
    assert written["family_skel"] == transliterated["family_skel"] == "drs"
    assert written["given_skel"] == transliterated["given_skel"]


def test_a_family_name_that_repeats_the_given_name_is_kept() -> None:
    # "Youssef Ben Youssef" in Arabic script, the given name written apart in Latin: the
    # given name drops out once, and the family name meets its glued Latin spelling.
    intake = RawRecord("p1", OWN, {"first_name": ["Youssef"], "name": ["يوسف بن يوسف"]})
    register = RawRecord("p2", OWN, {"first_name": ["Youssef"], "last_name": ["Benyoussef"]})
    written, latin = person_row(intake), person_row(register)
    assert written["family"] == "bn ywsf"
    assert written["family_skel"] == latin["family_skel"] == "bnsf"


def test_linked_evidence_is_read_from_the_linked_records_and_their_covering_index(
    sqlite_store: Store,
) -> None:
    # SQLite plans without statistics: the plan of an empty store is that of a big one. At a
    # million records, walking the persons once per link would take hours.
    with sqlite_store.transaction() as conn:
        mapped = _linked_props("Person", None, _QUERIES[0])
        sql = str(
            _linked_query(conn, "Person", None, mapped).compile(
                conn, compile_kwargs={"literal_binds": True}
            )
        )
        plan = [str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    steps = [step.split(" USING ")[0] for step in plan if step.startswith("SEARCH")]
    assert steps == [
        "SEARCH records_1",  # the linked records (phones, accounts …) first
        "SEARCH record_values_1",
        "SEARCH links",
        "SEARCH records",
    ], plan
    assert (
        "SEARCH links USING COVERING INDEX ix_links_target_uid_source_uid_uid (target_uid=?)"
        in plan
    )
    assert (
        "SEARCH records USING COVERING INDEX ix_records_schema_uid_source_id (schema=? AND uid=?)"
        in plan
    )


def plain_appearances(
    conn: Connection, crowd: int, visible: set[str] | None = None
) -> set[tuple[str, str]]:
    """Which person appears in which report, from every link read at once, counted in Python."""
    seen = (lambda uid: True) if visible is None else visible.__contains__
    persons = set(conn.execute(select(records.c.uid).where(records.c.schema == "Person")).scalars())
    present: dict[str, set[str]] = defaultdict(set)
    for source, target in conn.execute(
        select(links.c.source_uid, links.c.target_uid).where(links.c.link_type == "subject_of")
    ):
        if source in persons and seen(source) and seen(target):
            present[target].add(source)
    return {(uid, report) for report, who in present.items() if len(who) <= crowd for uid in who}


def _pairs(table: pa.Table) -> set[tuple[str, str]]:
    found = set(zip(table["uid"].to_pylist(), table["report"].to_pylist(), strict=True))
    assert len(found) == table.num_rows  # each appearance once
    return found


@pytest.mark.parametrize("crowd", [30, 3])
def test_which_person_appears_in_which_report_is_read_from_the_links(
    conn: Connection, crowd: int
) -> None:
    expected = plain_appearances(conn, crowd)
    assert len({report for _, report in expected}) < len(expected)  # reports name several
    persons = extract(conn, "Person")["unique_id"]
    assert _pairs(appearances(conn, persons, None, ("subject_of",), crowd)) == expected


def test_a_subject_reads_only_the_appearances_it_may_see(conn: Connection) -> None:
    subject = inspector(conn)
    visible = set(conn.execute(visible_records(subject)).scalars())
    expected = plain_appearances(conn, 30, visible)
    assert expected
    assert expected != plain_appearances(conn, 30)
    persons = extract(conn, "Person", subject)["unique_id"]
    assert _pairs(appearances(conn, persons, subject, ("subject_of",), 30)) == expected


def test_appearances_are_read_in_one_pass_over_the_links(sqlite_store: Store) -> None:
    # Joined to the records for their type, SQLite sought each person's links one by one.
    stmt = _appearances_query(None, ["subject_of"])
    with sqlite_store.transaction() as conn:
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = [str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    assert plan == ["SCAN links"], plan
