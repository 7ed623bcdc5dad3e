"""A small demo world, loaded (but for one held-back file) and resolved once per store
backend; tests that change things do so in a transaction they roll back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Connection, select

from crosslink.access import NewUser, add_user
from crosslink.access.grants import provider_of
from crosslink.api.demo import ensure_demo_accounts
from crosslink.demo import WorldConfig, generate_world
from crosslink.demo._api import read_manifest, register_sources
from crosslink.demo.partners import PARTNER_DIR
from crosslink.ingest import ImportRequest, import_file, load_mapping
from crosslink.resolve import ResolveOptions, explain, resolve, review_queue
from crosslink.resolve._pairs import Edge, EdgeArrays
from crosslink.resolve.schema import entity_members, match_edges
from crosslink.store import Store
from crosslink.store.schema import records
from tests.cli.test_cli import run
from tests.conftest import DEMO_RULES, fresh_store

SEED = 11
SCALE = 2000
HELD_BACK = "nl_police_export.ftm.jsonl"


@dataclass
class World:
    out: Path

    def truth(self) -> dict[tuple[str, int, str, str], str]:
        with (self.out / "truth" / "records.csv").open(encoding="utf-8", newline="") as handle:
            return {
                (r["file"], int(r["row"]), r["alias"], r["entity_type"]): r["true_id"]
                for r in csv.DictReader(handle)
            }


@dataclass
class Resolved:
    store: Store
    world: World

    def true_ids(self, conn: Connection, entity_type: str = "Person") -> dict[str, str]:
        truth = self.world.truth()
        rows = conn.execute(
            select(records.c.uid, records.c.file_name, records.c.row_number, records.c.alias).where(
                records.c.schema == entity_type
            )
        )
        out = {}
        for uid, file, row, alias in rows:
            found = truth.get((file, row, alias, entity_type))
            if found:
                out[uid] = found
        return out


def import_files(conn: Connection, out: Path, only: set[str] | None, skip: set[str]) -> None:
    register_sources(conn)
    for entry in read_manifest(out).files:
        if entry.file in skip or (only is not None and entry.file not in only):
            continue
        request = ImportRequest(
            path=out / PARTNER_DIR / entry.file,
            mapping=load_mapping(entry.mapping),
            source_id=entry.source,
            imported_by="test",
        )
        import_file(conn, request)


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("resolve-world")
    generate_world(WorldConfig(seed=SEED, scale=SCALE), out)
    return World(out)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def resolved(
    request: pytest.FixtureRequest,
    small_world: World,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Resolved]:
    """The world (without ``HELD_BACK``) in a store, resolved once."""
    with fresh_store(request, request.param, tmp_path_factory.mktemp("resolve-store")) as store:
        with store.transaction() as conn:
            import_files(conn, small_world.out, None, {HELD_BACK})
            resolve(conn, ResolveOptions(rules=DEMO_RULES))
        yield Resolved(store, small_world)


@pytest.fixture
def conn(resolved: Resolved) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back after the test."""
    with resolved.store.engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


def edges_within(edges: list[Edge], members: dict[str, str]) -> tuple[EdgeArrays, pa.BooleanArray]:
    """``edges`` as arrays, and per edge whether ``members`` puts both its records together."""
    arrays = EdgeArrays.of(edges)
    return arrays, arrays.same(members)


def assert_joined_alone(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pair: tuple[str, str],
    kind: str,
) -> None:
    """The run joined ``pair`` (the record a name alone identifies, then the identified one)
    on names alone and ``kind`` of ties, and says so: the stored edge, the entity's
    explanation, the review queue (an analyst may undo it) and `crosslink explain`."""
    joiner, joined = pair
    with store.transaction() as conn:
        (edge,) = conn.execute(select(match_edges).where(match_edges.c.ties.is_not(None))).all()
        assert {edge.left_uid, edge.right_uid} == {joiner, joined}
        assert edge.sole and edge.ties == kind
        entity = conn.execute(
            select(entity_members.c.entity_id).where(entity_members.c.record_uid == joiner)
        ).scalar_one()
        (member,) = [m for m in explain(conn, entity).members if m.uid == joiner]
        assert [(e.other_uid, e.ties) for e in member.joined_by] == [(joined, (kind,))]
        queued = {(i.left_uid, i.right_uid) for i in review_queue(conn, limit=1000)}
        assert (edge.left_uid, edge.right_uid) in queued
    with store.transaction() as conn:
        # `crosslink explain` acts as a user: an analyst of the agency providing the records.
        ensure_demo_accounts(conn, demo=True)
        source = conn.execute(select(records.c.source_id).where(records.c.uid == joiner)).scalar()
        agency = provider_of(conn, str(source))
        assert agency is not None
        add_user(conn, NewUser("provider.analyst", agency, frozenset({"analyst"}), None))
    url = store.engine.url.render_as_string(hide_password=False)
    where = ("--data-dir", str(tmp_path), "--database-url", url)
    acting = ("--as", "provider.analyst", "--why", "test")
    code, out, err = run(capsys, *where, "explain", entity, *acting)
    assert code == 0, err
    assert f"joined {joined}" in out and f"the only namesake sharing {kind}" in out
