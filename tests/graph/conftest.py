"""A small demo world (more, smaller networks than the default) in a store per backend, with
entity membership taken from the ground truth (not from resolution: these tests judge the
network alone). Generated and loaded once per session and backend; tests roll back."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text

from crosslink.demo import Proportions, WorldConfig, generate_world, load_world
from crosslink.graph.evaluate import TrueMember
from crosslink.store import Store
from crosslink.store.pgserver import TemporaryPostgres
from tests.conftest import _TEMPLATE_DB, _sqlite_store
from tests.graph.helpers import assign_truth_membership

SEED = 11
SCALE = 2000
RECORDS_PER_NETWORK = 250  # eight networks at this scale (the default would give two)


@dataclass
class GraphWorld:
    out: Path
    store: Store
    truth: dict[str, str]
    """Entity id -> true id."""

    def members(self) -> dict[str, TrueMember]:
        path = self.out / "truth" / "members.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            return {
                r["person_id"]: TrueMember(r["network_id"], r["role"])
                for r in csv.DictReader(handle)
            }


@pytest.fixture(scope="session")
def graph_world_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("graph-world")
    config = WorldConfig(
        seed=SEED, scale=SCALE, proportions=Proportions(records_per_network=RECORDS_PER_NETWORK)
    )
    generate_world(config, out)
    return out


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def graph_world(
    request: pytest.FixtureRequest,
    graph_world_files: Path,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GraphWorld]:
    cleanup = None
    if request.param == "sqlite":
        store = _sqlite_store(sqlite_template, tmp_path_factory.mktemp("graph-store"))
    else:
        server: TemporaryPostgres = request.getfixturevalue("pg_server")
        name = f"g_{uuid.uuid4().hex[:12]}"
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE_DB}"))
        store = Store.from_url(server.url(name))

        def cleanup() -> None:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
            admin.dispose()

    with store.transaction() as conn:
        load_world(conn, graph_world_files)
        truth = assign_truth_membership(conn, graph_world_files / "truth")
    try:
        yield GraphWorld(graph_world_files, store, truth)
    finally:
        store.dispose()
        if cleanup is not None:
            cleanup()


@pytest.fixture
def world_conn(graph_world: GraphWorld) -> Iterator[Connection]:
    """A connection in a transaction rolled back after the test."""
    with graph_world.store.engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
