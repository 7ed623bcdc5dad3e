"""A small demo world (more, smaller networks than the default) in a store per backend, with
entity membership taken from the ground truth (not from resolution: these tests judge the
network alone). Generated and loaded once per session and backend; tests roll back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection

from crosslink.demo import Proportions, WorldConfig, generate_world, load_world
from crosslink.graph.evaluate import TrueMember
from crosslink.store import Store
from tests.conftest import fresh_store
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
    with fresh_store(request, request.param, tmp_path_factory.mktemp("graph-store")) as store:
        with store.transaction() as conn:
            load_world(conn, graph_world_files)
            truth = assign_truth_membership(conn, graph_world_files / "truth")
        yield GraphWorld(graph_world_files, store, truth)


@pytest.fixture
def world_conn(graph_world: GraphWorld) -> Iterator[Connection]:
    """A connection in a transaction rolled back after the test."""
    with graph_world.store.engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
