"""Alembic environment: always run on a connection handed in by Store.migrate."""

from __future__ import annotations

from alembic import context

from crosslink.store.schema import all_tables

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through crosslink.store.Store.migrate")

context.configure(
    connection=connection,
    target_metadata=all_tables(),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
