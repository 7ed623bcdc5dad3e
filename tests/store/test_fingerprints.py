"""Stored fingerprints recomputed with the code in force, by the library and the CLI, on both
backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from crosslink.cli import main
from crosslink.errors import ModelError
from crosslink.ingest import parse_mapping
from crosslink.model.types import name
from crosslink.store import Store
from crosslink.store.fingerprints import recompute_fingerprints
from crosslink.store.schema import record_values
from crosslink.store.sources import Source, add_source
from tests.ingest.helpers import HEADER, POLICE_MAPPING, run_import, write_csv

ROWS = [
    "P1;الجبوري;أحمد;1977;Irakees;slachtoffer;;;",
    "P2;Aljubouri;Ahmed;1977;Irakees;getuige;;;",
    "P3;Van der Berg;Jan;1980;Nederlands;getuige;;;",
]


def _fingerprints(store: Store) -> dict[tuple[str, str], str | None]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(record_values.c.prop, record_values.c.cleaned, record_values.c.fingerprint)
        ).all()
    return {(prop, cleaned): fp for prop, cleaned, fp in rows}


def _imported_then_stale(store: Store, tmp_path: Path) -> dict[tuple[str, str], str | None]:
    """Import police rows, then make the names' stored fingerprints stale, as an older
    version's code would have left them; returns the fingerprints as imported."""
    with store.transaction() as conn:
        add_source(conn, Source("be-police", "Federal Police", "THB reports", "BE"))
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    run_import(store, write_csv(tmp_path / "pv.csv", [HEADER, *ROWS]), mapping)
    imported = _fingerprints(store)
    with store.transaction() as conn:
        conn.execute(
            update(record_values)
            .where(record_values.c.prop.in_(["first_name", "last_name"]))
            .values(fingerprint="stale")
        )
    return imported


def test_recompute_restores_what_an_import_stores_now(store: Store, tmp_path: Path) -> None:
    imported = _imported_then_stale(store, tmp_path)
    assert imported[("last_name", "الجبوري")] == name.fingerprint("الجبوري") == "jbwry"
    stale = _fingerprints(store)
    names = [key for key, fp in stale.items() if fp == "stale"]
    assert len(names) == 6  # first and last name of three rows; nothing else touched
    with store.transaction() as conn:
        summary = recompute_fingerprints(conn, batch=2)  # pages smaller than the data
    assert summary.changed == 6
    assert summary.checked >= 6
    assert _fingerprints(store) == imported
    with store.transaction() as conn:  # idempotent
        assert recompute_fingerprints(conn).changed == 0


def test_recompute_refuses_an_unknown_value_type(sqlite_store: Store) -> None:
    with sqlite_store.transaction() as conn, pytest.raises(ModelError):
        recompute_fingerprints(conn, ["surname"])


def test_the_command_recomputes(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported = _imported_then_stale(store, tmp_path)
    url = store.engine.url.render_as_string(hide_password=False)
    with pytest.raises(SystemExit) as exit_:
        main(["--database-url", url, "fingerprints", "recompute"])
    out, _ = capsys.readouterr()
    assert exit_.value.code == 0
    assert "6 fingerprints changed" in out
    assert _fingerprints(store) == imported
