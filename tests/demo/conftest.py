"""A small world, generated once per session, and the same world loaded into SQLite."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crosslink.demo import LoadedFile, WorldConfig, WorldManifest, generate_world, load_world
from crosslink.store import Store

SEED = 7
SCALE = 6000


@dataclass
class Generated:
    config: WorldConfig
    out: Path
    manifest: WorldManifest

    def truth(self, name: str) -> list[dict[str, str]]:
        with (self.out / "truth" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))


@dataclass
class Loaded:
    world: Generated
    store: Store
    files: list[LoadedFile]


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    config = WorldConfig(seed=SEED, scale=SCALE)
    out = tmp_path_factory.mktemp("world")
    return Generated(config, out, generate_world(config, out))


@pytest.fixture(scope="session")
def loaded(world: Generated, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    folder = tmp_path_factory.mktemp("store")
    store = Store.from_url(f"sqlite:///{folder}/x.db")
    store.migrate()
    with store.transaction() as conn:
        files = load_world(conn, world.out)
    yield Loaded(world, store, files)
    store.dispose()
