"""The rapporteur's statistics as JSON: tables, releases, the hidden number.

Routes only parse and call :mod:`crosslink.stats.service`, which passes the policy and writes
the audit log; a refusal's ``denied`` entry is committed before the refusal is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from crosslink.api.deps import StatsUser, UoW
from crosslink.api.v1 import problems
from crosslink.errors import AccessDenied
from crosslink.stats.disclosure import Method
from crosslink.stats.errors import DisclosureRefused
from crosslink.stats.service import (
    StatsContext,
    hidden_number,
    make_release,
    preview_table,
    releases,
)
from crosslink.stats.tables import TableSpec, parse_years

router = APIRouter(
    prefix="/api/v1/stats",
    tags=["statistics"],
    responses=problems(401, 403, 409, 422, 500, 503),
)
T = TypeVar("T")


class ReleaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    role: str = "victim"
    by: list[str] = Field(min_length=1, max_length=3)
    years: str | None = None
    method: Literal["suppress", "round", "dp"] = "suppress"
    threshold: int | None = None
    base: int | None = None
    epsilon: float | None = None


def _guarded(uow: UoW, work: Callable[[], T]) -> T:
    try:
        return work()
    except (AccessDenied, DisclosureRefused):
        uow.commit()  # the refusal's audit entry stays
        raise


@router.get("/table")
def stats_table(
    user: StatsUser,
    uow: UoW,
    by: Annotated[list[str], Query(description="Dimensions, 1 to 3.")],
    role: str = "victim",
    years: str | None = None,
) -> dict[str, Any]:
    """A table of persons counted once, suppressed for viewing (``null`` = withheld)."""
    spec = TableSpec(role, tuple(by), parse_years(years))
    ctx = StatsContext.default()
    return _guarded(uow, lambda: preview_table(uow.conn, user, spec, ctx).as_dict())


@router.post("/releases", status_code=201)
def stats_release(user: StatsUser, uow: UoW, body: ReleaseIn) -> dict[str, Any]:
    """Protect a table with the chosen method, check it against every earlier release, keep it."""
    ctx = StatsContext.default()
    defaults = ctx.rules.disclosure
    method = Method(
        body.method,
        threshold=body.threshold or defaults.threshold,
        base=body.base or defaults.base,
        epsilon=body.epsilon or defaults.epsilon,
    )
    spec = TableSpec(body.role, tuple(body.by), parse_years(body.years))
    return _guarded(
        uow, lambda: make_release(uow.conn, user, spec, method, body.title, ctx).as_dict()
    )


@router.get("/releases")
def stats_releases(user: StatsUser, uow: UoW) -> list[dict[str, Any]]:
    """Every release with its disclosure method and the privacy budget it spent."""
    ctx = StatsContext.default()
    return _guarded(uow, lambda: [r.as_dict() for r in releases(uow.conn, user, ctx)])


@router.get("/mse")
def stats_mse(
    user: StatsUser,
    uow: UoW,
    role: str = "victim",
    years: str | None = None,
    criterion: Literal["aic", "bic"] = "bic",
) -> dict[str, Any]:
    """The multiple systems estimate of the hidden number, with its interval and warnings."""
    ctx = StatsContext.default()
    chosen = parse_years(years)
    return _guarded(
        uow,
        lambda: hidden_number(
            uow.conn, user, ctx, role=role, years=chosen, criterion=criterion
        ).as_dict(),
    )
