"""Resolution's result, record by record, under the policy and audited (both backends)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Connection, or_, select

from crosslink.access import load_subject, verify
from crosslink.errors import AccessDenied, InvalidValue, JustificationRequired
from crosslink.exchange import (
    ENTITY_COLUMNS,
    EntityExportRequest,
    export_entities,
    read_entities,
)
from crosslink.resolve import ResolveOptions, judge, resolve
from crosslink.resolve.schema import match_edges
from tests.conftest import DEMO_RULES
from tests.exchange.conftest import World, last_entry


def _request(
    conn: Connection, user: str, entity_type: str = "Person", **kwargs: Any
) -> EntityExportRequest:
    return EntityExportRequest(load_subject(conn, user), entity_type, "JIT 4/2026", **kwargs)


def _rows(conn: Connection, user: str, **kwargs: Any) -> dict[str, dict[str, Any]]:
    """The export's rows by source key."""
    table = read_entities(conn, _request(conn, user, **kwargs))
    return {str(r["source_key"]): r for r in table.to_pylist()}


def _edge(conn: Connection, a: str, b: str) -> float:
    found = conn.execute(
        select(match_edges.c.probability).where(
            or_(
                (match_edges.c.left_uid == a) & (match_edges.c.right_uid == b),
                (match_edges.c.left_uid == b) & (match_edges.c.right_uid == a),
            )
        )
    ).scalar_one()
    return float(found)


def test_rows_name_the_resolved_entities_and_the_sources_keys(world: World) -> None:
    with world.store.transaction() as conn:
        rows = _rows(conn, "analyst")
        edge = _edge(conn, world.uids["P1"], world.uids["I-7"])
    assert set(rows) == {"P1", "P2", "=1+2", "I-7", "I-8"}
    for key, row in rows.items():
        assert row["entity_id"] == world.entity_of(key)
        assert row["record_uid"] == world.uids[key]
        assert row["entity_type"] == "Person"
    # The police's P1 and the inspection's I-7 are one person; the others stand alone.
    assert rows["P1"]["entity_id"] == rows["I-7"]["entity_id"]
    assert len({r["entity_id"] for r in rows.values()}) == 4
    assert (rows["P1"]["source_id"], rows["P1"]["file"], rows["P1"]["row"]) == (
        "be-police",
        "be-police.csv",
        2,
    )
    assert (rows["I-8"]["source_id"], rows["I-8"]["file"], rows["I-8"]["row"]) == (
        "be-inspection",
        "be-inspection.csv",
        3,
    )
    # Confidence: the strongest stored pair inside the entity; 1.0 for one alone.
    assert 0.9 <= edge < 1.0
    assert rows["P1"]["confidence"] == rows["I-7"]["confidence"] == pytest.approx(edge)
    assert {rows[k]["confidence"] for k in ("P2", "=1+2", "I-8")} == {1.0}


def test_a_source_the_user_may_not_see_gives_none_of_its_rows(world: World) -> None:
    with world.store.transaction() as conn:
        inspector = _rows(conn, "inspector")
        investigator = _rows(conn, "investigator")
        caseworker = _rows(conn, "caseworker")
        only_inspection = _rows(conn, "analyst", source_id="be-inspection")
    # The inspection's user sees the inspection's persons only; the police's investigator
    # every source, but a suspect of another agency (I-7) only with a case (a witness, I-8,
    # needs none); the reception centre's caseworker none of these.
    assert set(inspector) == {"I-7", "I-8"}
    assert set(investigator) == {"P1", "P2", "=1+2", "I-8"}
    assert caseworker == {}
    # A member hidden from the user is not hinted at: I-7 stands alone as far as they see.
    assert inspector["I-7"]["confidence"] == 1.0
    assert inspector["I-7"]["entity_id"] == world.entity_of("I-7")
    # Limited to one source, a record keeps the confidence of the pair the user may see.
    assert set(only_inspection) == {"I-7", "I-8"}
    assert only_inspection["I-7"]["confidence"] < 1.0


def test_the_disclosure_is_audited_with_its_records(world: World) -> None:
    with world.store.transaction() as conn:
        request = _request(conn, "inspector", recipients=("NL National Police",), format="parquet")
        table = read_entities(conn, request)
        entry = last_entry(conn)
        result = verify(conn)
    assert result.ok
    assert (entry.action, entry.actor, entry.agency) == ("disclosure", "inspector", "be-inspection")
    assert entry.justification == "JIT 4/2026"
    assert json.loads(entry.recipients or "[]") == ["NL National Police"]
    target = json.loads(entry.target)
    assert target == {"action": "export", "records": table.column("record_uid").to_pylist()}
    assert sorted(target["records"]) == sorted([world.uids["I-7"], world.uids["I-8"]])
    details = json.loads(entry.details or "{}")
    assert details == {"entity_type": "Person", "format": "parquet", "rows": 2}


def test_nothing_to_export_logs_no_disclosure(world: World) -> None:
    with world.store.transaction() as conn:
        before = last_entry(conn).seq
        assert read_entities(conn, _request(conn, "caseworker")).num_rows == 0
        assert last_entry(conn).seq == before


def test_refusals_are_audited_before_they_are_raised(world: World) -> None:
    with world.store.transaction() as conn:
        with pytest.raises(AccessDenied, match="may not export"):
            read_entities(conn, _request(conn, "rapporteur"))
        refused = last_entry(conn)
        blank = EntityExportRequest(load_subject(conn, "analyst"), "Person", "  ")
        with pytest.raises(JustificationRequired):
            read_entities(conn, blank)
        unjustified = last_entry(conn)
    assert (refused.action, refused.actor) == ("denied", "rapporteur")
    assert json.loads(refused.target) == {"action": "export", "entities": "Person"}
    assert "may not export" in json.loads(refused.details or "{}")["reason"]
    assert (unjustified.action, unjustified.actor) == ("denied", "analyst")
    assert unjustified.seq == refused.seq + 1


def test_unknown_types_and_formats_are_refused(world: World) -> None:
    with world.store.transaction() as conn:
        with pytest.raises(InvalidValue, match="unknown entity type 'Persons'"):
            read_entities(conn, _request(conn, "analyst", entity_type="Persons"))
        with pytest.raises(InvalidValue, match="unknown format 'xlsx'"):
            read_entities(conn, _request(conn, "analyst", format="xlsx"))


def test_csv_disarms_formulas_and_parquet_keeps_the_types(world: World) -> None:
    with world.store.transaction() as conn:
        as_csv, as_parquet = io.BytesIO(), io.BytesIO()
        assert export_entities(conn, as_csv, _request(conn, "analyst")) == 5
        assert export_entities(conn, as_parquet, _request(conn, "analyst", format="parquet")) == 5
    lines = list(csv.DictReader(io.StringIO(as_csv.getvalue().decode("utf-8"))))
    assert list(lines[0]) == list(ENTITY_COLUMNS)
    keys = {line["source_key"] for line in lines}
    assert keys == {"P1", "P2", "'=1+2", "I-7", "I-8"}
    as_parquet.seek(0)
    table = pq.read_table(as_parquet)
    assert table.column_names == list(ENTITY_COLUMNS)
    assert str(table.schema.field("row").type) == "int64"
    assert str(table.schema.field("confidence").type) == "double"
    by_key = {r["source_key"]: r for r in table.to_pylist()}
    assert set(by_key) == {"P1", "P2", "=1+2", "I-7", "I-8"}  # the value itself, unaltered
    for line in lines:
        row = by_key[line["source_key"].removeprefix("'")]
        assert line["entity_id"] == row["entity_id"] and int(line["row"]) == row["row"]
        assert float(line["confidence"]) == pytest.approx(row["confidence"])


def test_a_judgement_same_makes_a_member_certain(world: World) -> None:
    with world.store.transaction() as conn:
        analyst = load_subject(conn, "analyst")
        judge(conn, world.uids["P2"], world.uids["I-8"], "same", reason="test", actor=analyst)
        resolve(conn, ResolveOptions(entity_types=("Person",), started_by="test", rules=DEMO_RULES))
        rows = _rows(conn, "analyst")
    assert rows["P2"]["entity_id"] == rows["I-8"]["entity_id"]
    assert rows["P2"]["confidence"] == rows["I-8"]["confidence"] == 1.0
    assert rows["P1"]["confidence"] < 1.0
