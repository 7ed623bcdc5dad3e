"""A demo world in a store per backend, persons clustered by the ground truth (so a count
can be judged against the true persons), and users of the roles the statistics concern."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection

from crosslink.access.directory import Agency, NewUser, add_agency, add_user
from crosslink.demo import WorldConfig, generate_world, load_world
from crosslink.store import Store
from tests.conftest import fresh_store
from tests.graph.helpers import assign_truth_membership, truth_of_records

SEED = 11
SCALE = 2000


@dataclass
class StatsWorld:
    out: Path
    store: Store
    record_truth: dict[str, str]
    """Record uid -> true person id."""

    def true_roles(self) -> dict[str, str]:
        with (self.out / "truth" / "persons.csv").open(encoding="utf-8", newline="") as handle:
            return {r["person_id"]: r["role"] for r in csv.DictReader(handle)}


@pytest.fixture(scope="session")
def stats_world_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stats-world")
    generate_world(WorldConfig(seed=SEED, scale=SCALE), out)
    return out


def add_people(conn: Connection) -> None:
    add_agency(conn, Agency("myria", "Myria", "rapporteur", "BE"))
    add_agency(conn, Agency("fedpol", "Federal Police", "police", "BE"))
    add_user(conn, NewUser("rapporteur1", "myria", frozenset({"rapporteur"})))
    add_user(conn, NewUser("analyst1", "fedpol", frozenset({"analyst"})))
    add_user(conn, NewUser("investigator1", "fedpol", frozenset({"investigator"})))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def stats_world(
    request: pytest.FixtureRequest,
    stats_world_files: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[StatsWorld]:
    with fresh_store(request, request.param, tmp_path_factory.mktemp("stats-store")) as store:
        with store.transaction() as conn:
            load_world(conn, stats_world_files)
            assign_truth_membership(conn, stats_world_files / "truth")
            truth = truth_of_records(conn, stats_world_files / "truth")
            add_people(conn)
        yield StatsWorld(stats_world_files, store, truth)


@pytest.fixture
def world_conn(stats_world: StatsWorld) -> Iterator[Connection]:
    """A connection in a transaction rolled back after the test."""
    with stats_world.store.engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()
