"""``records.source_key``: the source's own key kept readable (revision 0011), uids unchanged."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, select

from crosslink.ingest import parse_mapping
from crosslink.store import Store
from crosslink.store.schema import records
from crosslink.store.sources import Source, add_source
from tests.ingest.helpers import GOOD_ROWS, HEADER, POLICE_MAPPING, run_import, write_csv

# Uids of GOOD_ROWS as the code before revision 0011 derived them (the readable key is not
# part of a uid): a change here would make every re-import add its records again.
UIDS_BEFORE_0011 = {
    ("Person", 2): "d1df1e95a563fbe904fe9083f55999da",
    ("Phone", 2): "3391dcd03b2c11784f2f5f896658629e",
    ("BankAccount", 2): "a7af6413bbe820003db200441b28cf08",
    ("Person", 3): "ebc483aa267c42d4e7e57aff9dade1fa",
    ("Phone", 3): "77049739a66012d064995d27b1c81a48",
    ("Person", 4): "e990584555f522345ecb566071026737",
}

TWO_KEYS_MAPPING = """
name: test-two-keys
format: csv
entities:
  person:
    type: Person
    key: [dossier, volgnr]
    properties:
      last_name: {column: naam, required: true}
"""


def _police(store: Store) -> None:
    with store.transaction() as conn:
        add_source(conn, Source("be-police", "Federal Police", "THB reports", "BE"))


def _stored(store: Store) -> dict[tuple[str, int], tuple[str, str | None]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.schema, records.c.row_number, records.c.uid, records.c.source_key)
        )
        return {(s, n): (uid, key) for s, n, uid, key in rows}


def test_imports_keep_the_key_readable_and_the_uids_as_before(store: Store, tmp_path: Path) -> None:
    _police(store)
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    run_import(store, write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS]), mapping)
    stored = _stored(store)
    assert {at: uid for at, (uid, _) in stored.items()} == UIDS_BEFORE_0011
    keys = {at: key for at, (_, key) in stored.items()}
    assert keys[("Person", 2)] == "P1" and keys[("Person", 4)] == "P3"
    # Phones and accounts have no key in the mapping: nothing to keep.
    assert keys[("Phone", 2)] is None and keys[("BankAccount", 2)] is None
    # The same rows in another file (and one more) add only the new row.
    more = "P4;Rusu;Elena;1999;Moldavisch;slachtoffer;;;"
    summary = run_import(
        store, write_csv(tmp_path / "pv2.csv", [HEADER, *GOOD_ROWS, more]), mapping
    )
    assert (summary.records_added, summary.records_existing) == (1, 6)
    assert _stored(store)[("Person", 5)][1] == "P4"


def test_several_key_columns_are_kept_as_a_json_list(store: Store, tmp_path: Path) -> None:
    _police(store)
    mapping = parse_mapping(TWO_KEYS_MAPPING, "two-keys.yaml")
    lines = ["dossier;volgnr;naam", "PV-12;3;Popescu", 'PV-12;"4|5";Ivanova']
    run_import(store, write_csv(tmp_path / "two.csv", lines), mapping)
    keys = {at: key for at, (_, key) in _stored(store).items()}
    assert keys == {("Person", 2): '["PV-12", "3"]', ("Person", 3): '["PV-12", "4|5"]'}


def _columns(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [str(c["name"]) for c in inspect(conn).get_columns("records")]


def test_revision_0011_goes_and_comes_back_and_older_rows_stay_null(
    store: Store, tmp_path: Path
) -> None:
    _police(store)
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    run_import(store, write_csv(tmp_path / "pv.csv", [HEADER, *GOOD_ROWS]), mapping)
    assert "source_key" in _columns(store)
    with store.transaction() as conn:
        command.downgrade(store.alembic_config(conn), "0010")
    assert "source_key" not in _columns(store)
    store.migrate()
    assert "source_key" in _columns(store)
    stored = _stored(store)
    assert {at: uid for at, (uid, _) in stored.items()} == UIDS_BEFORE_0011
    assert {key for _, key in stored.values()} == {None}
