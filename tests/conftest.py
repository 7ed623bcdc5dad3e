"""Shared fixtures: a store on SQLite and on PostgreSQL (a throwaway server), per test."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text

from crosslink.errors import ServiceUnavailable
from crosslink.resolve.rules import rule_set
from crosslink.store import Store
from crosslink.store.pgserver import TemporaryPostgres

DEMO_RULES = rule_set(
    add=["sole-namesake", "shared-ties", "shared-associates", "strict-dates", "names-need-support"]
)
"""The rules ``make run`` resolves the demo world with: its bank reports and inspections
name people by name alone, and its namesakes (same name, birth year and town, by design)
are told apart by their dates of birth and never joined on names alone."""

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
_TEMPLATE_DB = "crosslink_template"


def _service_missing(what: str) -> NoReturn:
    """Under CI a missing service fails the run; on a developer's machine it skips."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (CI=true: a missing service is an error)")
    pytest.skip(what)


def shared_file(*parts: str) -> Path:
    """A file of the real data sets in ../shared/data; missing is an error under CI."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.is_file():
        _service_missing(f"{path} is not there (the shared data sets sit beside the repo)")
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TemporaryPostgres]:
    try:
        server = TemporaryPostgres().start()
    except ServiceUnavailable as exc:
        _service_missing(f"PostgreSQL unavailable: {exc}")
    try:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {_TEMPLATE_DB}"))
        admin.dispose()
        template = Store.from_url(server.url(_TEMPLATE_DB))
        template.migrate()
        template.dispose()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    template = Store.from_url(f"sqlite:///{path}")
    template.migrate()
    with template.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template.dispose()
    return path


def _sqlite_store(template: Path, tmp_path: Path) -> Store:
    path = tmp_path / "crosslink.db"
    shutil.copyfile(template, path)
    return Store.from_url(f"sqlite:///{path}")


@contextmanager
def fresh_store(request: pytest.FixtureRequest, backend: str, directory: Path) -> Iterator[Store]:
    """A fresh, migrated store on ``backend``, removed afterwards: a copy of the SQLite
    template in ``directory``, or a database made from the PostgreSQL template."""
    if backend == "sqlite":
        created = _sqlite_store(request.getfixturevalue("sqlite_template"), directory)
        try:
            yield created
        finally:
            created.dispose()
        return
    server: TemporaryPostgres = request.getfixturevalue("pg_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE_DB}"))
    created = Store.from_url(server.url(name))
    try:
        yield created
    finally:
        created.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store; every store test runs once per backend."""
    with fresh_store(request, request.param, tmp_path) as created:
        yield created


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[Store]:
    """A fresh SQLite store, for tests about SQLite itself (crash recovery)."""
    created = _sqlite_store(sqlite_template, tmp_path)
    yield created
    created.dispose()
