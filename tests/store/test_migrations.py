"""The migrations build exactly the schema the code declares, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from crosslink.store import Store
from crosslink.store.schema import all_tables


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
