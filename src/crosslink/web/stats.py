"""The rapporteur's pages: the dashboard on the workbench home (``/``), the table builder,
the releases.

Pages parse the query and call :mod:`crosslink.stats.service` (policy and audit there); what
they show is already protected. Every value is escaped by the templates.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from crosslink.access.policy import Subject, SystemResource, authorize
from crosslink.api.deps import UoW, WebUser
from crosslink.errors import AccessDenied
from crosslink.stats.errors import StatsError
from crosslink.stats.service import Preview, StatsContext, preview_table, releases
from crosslink.stats.tables import TableSpec, parse_years
from crosslink.web.render import page

router = APIRouter(include_in_schema=False)
DASHBOARD = TableSpec("victim", ("year", "status"))


def grid(preview: Preview) -> dict[str, Any]:
    """Rows and columns to show: a two-way table as a grid with its margins, else a list."""
    data = preview.as_dict()
    cells = {tuple(c["key"]): c["count"] for c in data["cells"]}
    margins = {tuple(m["key"]): m["count"] for m in data["margins"]}
    dims = data["spec"]["dimensions"]
    shown = _shown
    if len(dims) == 2:
        rows, cols = data["categories"]
        body = [
            [r, *(shown(cells[(r, c)]) for c in cols), shown(margins.get((r, "*")))] for r in rows
        ]
        foot = ["*", *(shown(margins.get(("*", c))) for c in cols), shown(margins[("*", "*")])]
        head = [f"{dims[0]} \\ {dims[1]}", *cols, "*"]
    else:
        body = [[*key, shown(value)] for key, value in cells.items()]
        foot = [*("*" for _ in dims), shown(margins[tuple("*" for _ in dims)])]
        head = [*dims, "count"]
    provenance = {
        "rules": data["rules_version"],
        "run": data["resolve_run"] or "none",
        "method": ", ".join(f"{k} {v}" for k, v in data["disclosure"].items()),
    }
    return {"head": head, "rows": body, "foot": foot, "provenance": provenance}


def _shown(value: int | None) -> str:
    return "x" if value is None else str(value)


def dashboard(conn: Connection, user: Subject) -> dict[str, Any] | None:
    """The home page's table for a user who works with aggregates; None for others."""
    if not authorize(user, "aggregate", SystemResource("statistics")):
        return None
    try:
        return grid(preview_table(conn, user, DASHBOARD, StatsContext.default()))
    except StatsError:
        return None


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request,
    user: WebUser,
    uow: UoW,
    by: Annotated[list[str] | None, Query()] = None,
    role: str = "victim",
    years: str = "",
) -> HTMLResponse:
    ctx = StatsContext.default()
    chosen = by or ["year", "form"]
    spec = TableSpec(role, tuple(d for d in chosen if d), parse_years(years))
    try:
        shown = grid(preview_table(uow.conn, user, spec, ctx))
        found = releases(uow.conn, user, ctx)
    except AccessDenied:
        uow.commit()  # the refusal's audit entry stays
        raise
    return page(
        request,
        "stats.html",
        user,
        preview=shown,
        releases=found,
        roles=ctx.rules.roles,
        dimensions=ctx.rules.dimensions,
        chosen=chosen,
        role=role,
        years=years,
    )
