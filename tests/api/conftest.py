"""Fixtures: the app on a populated store, once per backend, and clients logged in as roles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from crosslink.api import create_app
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.pgserver import TemporaryPostgres
from tests.api.helpers import (
    Client,
    make_world,
    pg_copy,
    pg_drop,
    pg_template,
    sqlite_copy,
    sqlite_template,
)


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_world(tmp_path_factory.mktemp("web-world"))


@pytest.fixture(scope="session")
def web_sqlite_template(tmp_path_factory: pytest.TempPathFactory, world_dir: Path) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("web-sqlite"), world_dir)


@pytest.fixture(scope="session")
def web_pg_template(pg_server: TemporaryPostgres, world_dir: Path) -> str:
    return pg_template(pg_server, world_dir)


@pytest.fixture(params=["sqlite", "postgresql"])
def web_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store holding the resolved demo world and the demo accounts, on each backend."""
    if request.param == "sqlite":
        store = sqlite_copy(request.getfixturevalue("web_sqlite_template"), tmp_path)
        yield store
        store.dispose()
        return
    server: TemporaryPostgres = request.getfixturevalue("pg_server")
    store, name = pg_copy(server, request.getfixturevalue("web_pg_template"))
    try:
        yield store
    finally:
        store.dispose()
        pg_drop(server, name)


@pytest.fixture
def app(web_store: Store, tmp_path: Path) -> FastAPI:
    return create_app(Settings(data_dir=tmp_path, demo=True), store=web_store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[Callable[[str | None], Client]]:
    """``client("analyst")``: a client logged in as that demo user (None: anonymous)."""
    made: list[Client] = []

    def make(username: str | None = None) -> Client:
        new = Client(app)
        made.append(new)
        return new.login(username) if username else new

    yield make
    for each in made:
        each.close()
