"""The migrations build exactly the schema the code declares, on both backends."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from crosslink.ingest import parse_mapping
from crosslink.store import Store
from crosslink.store.schema import all_tables, record_values
from crosslink.store.sources import Source, add_source
from tests.ingest.helpers import HEADER, POLICE_MAPPING, run_import, write_csv


def test_migrations_match_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), all_tables())
    assert diff == []


def test_migrate_is_idempotent(store: Store) -> None:
    store.migrate()
    store.migrate()
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert {t.name for t in all_tables().sorted_tables} <= tables
    assert "alembic_version" in tables


def _last_name_fingerprints(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(record_values.c.cleaned, record_values.c.fingerprint).where(
                record_values.c.prop == "last_name"
            )
        )
        return dict(rows.all())


def _imported(store: Store, tmp_path: Path, rows: list[str]) -> dict[str, str]:
    """Import police rows (after the header) and return the stored last-name fingerprints."""
    with store.transaction() as conn:
        add_source(conn, Source("be-police", "Federal Police", "THB reports", "BE"))
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    run_import(store, write_csv(tmp_path / "pv.csv", [HEADER, *rows]), mapping)
    return _last_name_fingerprints(store)


def _downgraded(store: Store, revision: str) -> dict[str, str]:
    with store.transaction() as conn:
        command.downgrade(store.alembic_config(conn), revision)
    return _last_name_fingerprints(store)


def test_name_fingerprints_follow_the_arabic_article_both_ways(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        "P1;الجبوري;أحمد;1977;Irakees;slachtoffer;;;",
        "P2;Aljubouri;Ahmed;1977;Irakees;getuige;;;",
        "P3;ليلى;Leila;1990;Iraans;getuige;;;",  # ل at the start is no article
    ]
    current = {"الجبوري": "jbwry", "Aljubouri": "aljubouri", "ليلى": "lyla"}
    assert _imported(store, tmp_path, rows) == current
    # As revision 0007's code stored them: the article glued to the name.
    assert _downgraded(store, "0007") == {**current, "الجبوري": "ljbwry"}
    store.migrate()
    assert _last_name_fingerprints(store) == current


def test_name_fingerprints_keep_a_word_with_an_ayn_whole_both_ways(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        "P1;بلعيد;سعيد;1977;Marokkaans;slachtoffer;;;",
        "P2;Saʿid;Belaid;1980;Marokkaans;getuige;;;",  # ʿ: ayn in a scholarly transliteration
        "P3;الجبوري;أحمد;1977;Irakees;slachtoffer;;;",  # no ayn: left as it is
    ]
    current = {"بلعيد": "blyd", "Saʿid": "said", "الجبوري": "jbwry"}
    assert _imported(store, tmp_path, rows) == current
    # As revision 0009's code stored them: split at the ayn.
    assert _downgraded(store, "0009") == {**current, "بلعيد": "bl yd", "Saʿid": "id sa"}
    store.migrate()
    assert _last_name_fingerprints(store) == current


def _link_indexes(store: Store) -> dict[str, list[str]]:
    with store.engine.connect() as conn:
        found = inspect(conn).get_indexes("links")
    return {str(index["name"]): [str(c) for c in index["column_names"]] for index in found}


def test_the_covering_index_of_links_goes_and_comes_back(store: Store) -> None:
    covering = {"ix_links_target_uid_source_uid_uid": ["target_uid", "source_uid", "uid"]}
    assert covering.items() <= _link_indexes(store).items()
    with store.transaction() as conn:
        command.downgrade(store.alembic_config(conn), "0008")
    indexes = _link_indexes(store)
    assert indexes["ix_links_target_uid"] == ["target_uid"]
    assert "ix_links_target_uid_source_uid_uid" not in indexes
    store.migrate()
    assert covering.items() <= _link_indexes(store).items()
    assert "ix_links_target_uid" not in _link_indexes(store)
