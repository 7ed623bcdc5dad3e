"""The home of each role: links to its work and what the store holds for it (``homes.yaml``).

Lists that name people (a caseworker's victims) are given only with a justification, decided
per record by the policy and logged, like every other read of personal data; without one the
home says how many there are and asks for the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Connection, func, select

from crosslink.access import Subject, record_filter
from crosslink.access.consult import consult_records
from crosslink.access.feedback import feedback_on_my_signals
from crosslink.access.roles import load_roles
from crosslink.access.schema import source_agencies
from crosslink.resolve.schema import entity_members, resolve_runs
from crosslink.search.labels import record_labels
from crosslink.search.rules import parse_yaml_as
from crosslink.store.schema import batches, records

MAX_ROWS = 25


class Tile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(min_length=1)
    href: str = Field(pattern=r"^/[A-Za-z0-9/_\-]*$")


class RoleHome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tiles: tuple[Tile, ...] = ()
    lists: tuple[str, ...] = ()
    dashboard: bool = False
    """The home shows the statistics dashboard (the web's ``crosslink.web.stats.dashboard``)."""

    @field_validator("lists")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in LISTS]
        if unknown:
            raise ValueError(f"unknown lists {unknown} (known: {sorted(LISTS)})")
        return value


class HomesSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1)
    homes: dict[str, RoleHome]

    @field_validator("homes")
    @classmethod
    def _roles(cls, value: dict[str, RoleHome]) -> dict[str, RoleHome]:
        known = set(load_roles().roles)
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"no such roles {unknown} (known: {sorted(known)})")
        return value


@dataclass(frozen=True)
class HomeList:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    count: int = 0
    needs_justification: bool = False
    """Rows name people: they are shown once a justification is given."""


@dataclass(frozen=True)
class Home:
    tiles: list[Tile]
    lists: list[HomeList]
    dashboard: bool = False


def _recent_runs(conn: Connection, subject: Subject, why: str | None) -> HomeList:
    r = resolve_runs.c
    rows = conn.execute(
        select(r.id, r.entity_type, r.finished_at, r.records, r.entities)
        .order_by(r.id.desc())
        .limit(MAX_ROWS)
    )
    out = [(i, t, _when(at), n, e) for i, t, at, n, e in rows]
    columns = ("run", "entity type", "finished", "records", "entities")
    return HomeList("recent_runs", columns, out, len(out))


def _my_batches(conn: Connection, subject: Subject, why: str | None) -> HomeList:
    b = batches.c
    rows = conn.execute(
        select(b.id, b.source_id, b.file_name, b.finished_at, b.rows_read, b.rows_rejected)
        .where(b.imported_by == subject.username)
        .order_by(b.id.desc())
        .limit(MAX_ROWS)
    )
    out = [(i, s, f, _when(at), n, rej) for i, s, f, at, n, rej in rows]
    columns = ("batch", "source", "file", "imported", "rows", "rejected")
    return HomeList("my_batches", columns, out, len(out))


def _my_victims(conn: Connection, subject: Subject, why: str | None) -> HomeList:
    """Victims in the sources of the user's own agency, one row per entity."""
    own = select(source_agencies.c.source_id).where(
        source_agencies.c.agency_id == subject.agency_id
    )
    chosen = (
        select(func.coalesce(entity_members.c.entity_id, records.c.uid).label("ref"), records.c.uid)
        .outerjoin(entity_members, entity_members.c.record_uid == records.c.uid)
        .where(
            records.c.person_category == "victim",
            records.c.source_id.in_(own),
            record_filter(subject),
        )
        .order_by(records.c.uid)
    )
    first: dict[str, str] = {}
    for ref, uid in conn.execute(chosen):
        first.setdefault(ref, uid)
    columns = ("person", "record")
    if not (why or "").strip():
        return HomeList("my_victims", columns, [], len(first), needs_justification=True)
    shown = dict(list(first.items())[:MAX_ROWS])
    consulted = consult_records(conn, subject, shown.values(), justification=why)
    labels = record_labels(conn, consulted.allowed)
    allowed = set(consulted.allowed)
    rows = [(labels.get(uid, uid), ref) for ref, uid in shown.items() if uid in allowed]
    return HomeList("my_victims", columns, rows, len(first))


def _my_feedback(conn: Connection, subject: Subject, why: str | None) -> HomeList:
    """What became of the signals the user sent (feedback on their batches)."""
    found = feedback_on_my_signals(conn, subject)[:MAX_ROWS]
    rows = [
        (f.batch_id, f.file_name, f.status, f.text, f.agency_id, _when(f.given_at)) for f in found
    ]
    columns = ("signal", "file", "status", "feedback", "agency", "at")
    return HomeList("my_feedback", columns, rows, len(rows))


def _when(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


LISTS: dict[str, Callable[[Connection, Subject, str | None], HomeList]] = {
    "recent_runs": _recent_runs,
    "my_batches": _my_batches,
    "my_victims": _my_victims,
    "my_feedback": _my_feedback,
}


@cache
def load_homes() -> HomesSpec:
    text = resources.files("crosslink.workbench").joinpath("data", "homes.yaml").read_text()
    return parse_yaml_as(HomesSpec, text, "crosslink/workbench/data/homes.yaml")


def home(conn: Connection, subject: Subject, *, justification: str | None) -> Home:
    """The tiles and lists of every role of ``subject``, each once, in the roles' order."""
    spec = load_homes()
    tiles: dict[str, Tile] = {}
    names: list[str] = []
    dashboard = False
    for role in sorted(subject.roles):
        mine = spec.homes.get(role, RoleHome())
        dashboard = dashboard or mine.dashboard
        for tile in mine.tiles:
            tiles.setdefault(tile.href, tile)
        names += [n for n in mine.lists if n not in names]
    lists = [LISTS[name](conn, subject, justification) for name in names]
    return Home(list(tiles.values()), lists, dashboard)
