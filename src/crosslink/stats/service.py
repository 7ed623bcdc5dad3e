"""The statistics as a user reaches them: each call passes the policy and lands in the audit log.

Only aggregates leave this module, and only protected: a table is shown with its cells
suppressed, a release with the method it chose, an estimate as a number with its interval.
The rapporteur's role (``aggregate``, scope ``none``) never reaches a record. A refusal is
written as ``denied`` before :class:`~crosslink.errors.AccessDenied` (or, for a release
disclosure control refuses, :class:`~crosslink.stats.errors.DisclosureRefused`) is raised: the
caller commits the transaction and then lets the error go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from crosslink.access.audit import Event, append
from crosslink.access.policy import Subject, SystemResource, authorize
from crosslink.clock import Clock, SystemClock
from crosslink.errors import AccessDenied
from crosslink.stats.count import Population, count_population
from crosslink.stats.disclosure import Method, Published, protect
from crosslink.stats.errors import DisclosureRefused, InvalidStatsRequest
from crosslink.stats.microdata import Microdata, k_anonymous
from crosslink.stats.mse import Criterion, Estimate, estimate
from crosslink.stats.observe import ObservationInput, RecordInput
from crosslink.stats.releases import Release, list_releases, publish
from crosslink.stats.rules import CountingRules, load_rules
from crosslink.stats.tables import Table, TableSpec, build_table


@dataclass(frozen=True)
class Preview:
    """A table as the user may see it before release: suppressed, never exact."""

    table: Table
    published: Published

    def as_dict(self) -> dict[str, Any]:
        return {
            "spec": self.table.spec.as_dict(),
            "categories": [list(c) for c in self.table.categories],
            "disclosure": self.published.method.params(),
            "rules_version": self.table.rules_version,
            "resolve_run": self.table.resolve_run,
            "inputs": list(self.table.inputs),
            "cells": [{"key": list(k), "count": v} for k, v in self.published.cells.items()],
            "margins": [{"key": list(k), "count": v} for k, v in self.published.margins.items()],
        }


@dataclass(frozen=True)
class StatsContext:
    """What every call shares: the rules, the inputs, the clock."""

    rules: CountingRules
    inputs: tuple[ObservationInput, ...] = (RecordInput(),)
    clock: Clock | None = None

    @classmethod
    def default(cls) -> StatsContext:
        return cls(load_rules())


def _allow(conn: Connection, subject: Subject, what: dict[str, Any]) -> None:
    decision = authorize(subject, "aggregate", SystemResource("statistics"))
    if not decision:
        append(conn, subject, Event("denied", what, details={"reason": decision.reason}))
        raise AccessDenied(decision.reason)


def _log(
    conn: Connection, subject: Subject, action: str, what: dict[str, Any], ctx: StatsContext
) -> None:
    append(conn, subject, Event(action, what), clock=ctx.clock)


def _population(conn: Connection, ctx: StatsContext) -> Population:
    return count_population(conn, ctx.rules, ctx.inputs)


def preview_table(
    conn: Connection, subject: Subject, spec: TableSpec, ctx: StatsContext
) -> Preview:
    what = {"statistics": "table", **spec.as_dict()}
    _allow(conn, subject, what)
    spec.check(ctx.rules)
    table = build_table(_population(conn, ctx), spec, ctx.rules)
    published = protect(table, Method("suppress", threshold=ctx.rules.disclosure.threshold))
    _log(conn, subject, "consultation", what, ctx)
    return Preview(table, published)


def make_release(
    conn: Connection,
    subject: Subject,
    spec: TableSpec,
    method: Method,
    title: str,
    ctx: StatsContext,
) -> Release:
    what = {"statistics": "release", "title": title, **spec.as_dict(), **method.params()}
    _allow(conn, subject, what)
    spec.check(ctx.rules)
    method.check()
    population = _population(conn, ctx)
    table = build_table(population, spec, ctx.rules)
    years = sorted({p.values["year"] for p in population.persons})
    try:
        release = publish(
            conn,
            table,
            protect(table, method),
            title=title,
            actor=subject.username,
            budget=ctx.rules.disclosure.privacy_budget,
            years=years,
            now=(ctx.clock or SystemClock()).now(),
        )
    except DisclosureRefused as exc:
        # Logged like a policy refusal; the caller commits it before letting the error go.
        append(conn, subject, Event("denied", what, details={"reason": str(exc)}), clock=ctx.clock)
        raise
    _log(conn, subject, "disclosure", {**what, "release": release.id}, ctx)
    return release


def releases(conn: Connection, subject: Subject, ctx: StatsContext) -> list[Release]:
    what = {"statistics": "releases"}
    _allow(conn, subject, what)
    found = list_releases(conn)
    _log(conn, subject, "consultation", what, ctx)
    return found


def hidden_number(
    conn: Connection,
    subject: Subject,
    ctx: StatsContext,
    *,
    role: str = "victim",
    years: tuple[int, int] | None = None,
    criterion: Criterion = "bic",
) -> Estimate:
    """The multiple systems estimate over the agencies' lists of ``role``."""
    what = {"statistics": "mse", "role": role, "years": list(years) if years else None}
    _allow(conn, subject, what)
    if role not in ctx.rules.roles:
        raise InvalidStatsRequest(f"unknown role {role!r}")
    if criterion not in ("aic", "bic"):
        raise InvalidStatsRequest("the criterion is aic or bic")
    persons = [p for p in _population(conn, ctx).persons if p.role == role]
    if years:
        persons = [p for p in persons if _in_years(p.values["year"], years)]
    lists = sorted({a for p in persons for a in p.agencies})
    histories = Counter(tuple(int(a in p.agencies) for a in lists) for p in persons)
    found = estimate(lists, histories, criterion=criterion)
    _log(conn, subject, "consultation", what, ctx)
    return found


def _in_years(year: str, years: Sequence[int]) -> bool:
    return year.isdigit() and years[0] <= int(year) <= years[1]


def microdata(
    conn: Connection, subject: Subject, spec: TableSpec, ctx: StatsContext, k: int | None = None
) -> Microdata:
    """k-anonymous rows (k from the rules unless given); the disclosure is audited."""
    chosen_k = k or ctx.rules.disclosure.k
    what = {"statistics": "microdata", "k": chosen_k, **spec.as_dict()}
    _allow(conn, subject, what)
    found = k_anonymous(_population(conn, ctx), spec, ctx.rules, chosen_k)
    _log(conn, subject, "disclosure", {**what, "rows": len(found.rows)}, ctx)
    return found


def report(
    conn: Connection, subject: Subject, ids: Sequence[int], ctx: StatsContext
) -> list[Release]:
    """The releases a report is built from (every release when ``ids`` is empty); audited."""
    what = {"statistics": "report", "releases": list(ids)}
    _allow(conn, subject, what)
    found = list_releases(conn)
    if ids:
        known = {r.id: r for r in found}
        missing = [i for i in ids if i not in known]
        if missing:
            raise InvalidStatsRequest(f"no release {', '.join(map(str, missing))}")
        found = [known[i] for i in ids]
    _log(conn, subject, "disclosure", {**what, "releases": [r.id for r in found]}, ctx)
    return found
