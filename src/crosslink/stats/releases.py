"""Releases: a protected table, stored with its method, checked against every earlier one."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from crosslink.stats.differencing import Sheet, compare
from crosslink.stats.disclosure import Published
from crosslink.stats.errors import DisclosureRefused, InvalidStatsRequest
from crosslink.stats.schema import stats_releases
from crosslink.stats.tables import Key, Table


@dataclass(frozen=True)
class Release:
    id: int
    created_at: dt.datetime
    created_by: str
    title: str
    spec: dict[str, Any]
    params: dict[str, Any]
    epsilon: float
    rules_version: str
    resolve_run: int | None
    inputs: str
    cells: dict[Key, int | None]
    margins: dict[Key, int | None]
    check_notes: str

    def as_dict(self) -> dict[str, Any]:
        """What the rapporteur sees and may publish: never the withheld values."""
        return {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "title": self.title,
            "spec": self.spec,
            "disclosure": self.params,
            "epsilon": self.epsilon,
            "rules_version": self.rules_version,
            "resolve_run": self.resolve_run,
            "inputs": self.inputs,
            "cells": [{"key": list(k), "count": v} for k, v in self.cells.items()],
            "margins": [{"key": list(k), "count": v} for k, v in self.margins.items()],
            "check": self.check_notes,
        }


def _pairs(mapping: dict[Key, Any]) -> str:
    return json.dumps([[list(k), v] for k, v in mapping.items()], ensure_ascii=False)


def _unpairs(text: str) -> dict[Key, Any]:
    return {tuple(k): v for k, v in json.loads(text)}


def spent(conn: Connection) -> float:
    """The privacy budget all releases have spent so far."""
    return float(
        conn.execute(select(func.coalesce(func.sum(stats_releases.c.epsilon), 0.0))).scalar_one()
    )


def publish(
    conn: Connection,
    table: Table,
    published: Published,
    *,
    title: str,
    actor: str,
    budget: float,
    years: list[str],
    now: dt.datetime,
) -> Release:
    """Check and store a release, in the caller's transaction; refuse what would disclose."""
    if not title.strip():
        raise InvalidStatsRequest("a release needs a title")
    if published.epsilon and spent(conn) + published.epsilon > budget + 1e-9:
        raise DisclosureRefused(
            f"the release would spend epsilon {published.epsilon:g}; {spent(conn):g} of the "
            f"privacy budget {budget:g} is spent already"
        )
    sheet = _sheet("new", table.spec.as_dict(), published.method.params(), published)
    earlier = [
        _sheet(str(r.id), r.spec, r.params, r)
        for r in list_releases(conn)
        if r.spec["role"] == table.spec.role
    ]
    verdict = compare(sheet, earlier, years)
    if verdict.revealed:
        raise DisclosureRefused(
            "set beside earlier releases this one would reveal withheld cells: "
            + "; ".join(verdict.revealed[:5])
        )
    notes = (
        f"differenced against {len(earlier)} earlier release(s) of role {table.spec.role}: "
        "no withheld cell revealed"
    )
    if verdict.not_comparable:
        notes += "; made on other data, not comparable: " + ", ".join(verdict.not_comparable)
    row = {
        "created_at": now,
        "created_by": actor,
        "title": title.strip()[:200],
        "role": table.spec.role,
        "spec": json.dumps(table.spec.as_dict()),
        "method": published.method.name,
        "params": json.dumps(published.method.params()),
        "epsilon": published.epsilon,
        "rules_version": table.rules_version,
        "resolve_run": table.resolve_run,
        "inputs": ",".join(table.inputs),
        "cells": _pairs(published.cells),
        "margins": _pairs(published.margins),
        "withheld": json.dumps(sorted(list(k) for k in published.primary)),
        "check_notes": notes,
    }
    new_id = conn.execute(stats_releases.insert().values(**row)).inserted_primary_key
    assert new_id is not None
    return get_release(conn, int(new_id[0]))


def _sheet(ident: str, spec: dict[str, Any], params: dict[str, Any], source: Any) -> Sheet:
    years = tuple(spec["years"]) if spec.get("years") else None
    return Sheet(
        ident,
        tuple(spec["dimensions"]),
        (years[0], years[1]) if years else None,
        str(params["method"]),
        int(params.get("base", 1)),
        dict(source.cells),
        dict(source.margins),
    )


def _release(row: Any) -> Release:
    return Release(
        row.id,
        row.created_at,
        row.created_by,
        row.title,
        json.loads(row.spec),
        json.loads(row.params),
        row.epsilon,
        row.rules_version,
        row.resolve_run,
        row.inputs,
        _unpairs(row.cells),
        _unpairs(row.margins),
        row.check_notes,
    )


def list_releases(conn: Connection) -> list[Release]:
    rows = conn.execute(select(stats_releases).order_by(stats_releases.c.id))
    return [_release(row) for row in rows]


def get_release(conn: Connection, release_id: int) -> Release:
    row = conn.execute(select(stats_releases).where(stats_releases.c.id == release_id)).first()
    if row is None:
        raise InvalidStatsRequest(f"no release {release_id}")
    return _release(row)
