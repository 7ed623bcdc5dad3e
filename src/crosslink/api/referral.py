"""JSON API of the referral room: lists, due clocks, one referral, one step. Parsing and
rendering only; the library asks the policy and writes the audit log. A refusal's audit entry
is committed before the refusal is answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from crosslink.api.deps import ReadUser, SessionUser, Svc, UnitOfWork, UoW
from crosslink.api.v1 import Justification, problems
from crosslink.errors import AccessDenied
from crosslink.referral import Move, due_clocks, list_referrals, move, show_referral

router = APIRouter(prefix="/api/v1", responses=problems(401, 403, 422, 500, 503))
T = TypeVar("T")
ReferralId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ScopeQuery = Annotated[Literal["mine", "agency", "role"], Query()]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class SummaryOut(_Out):
    id: int
    jurisdiction: str
    state: str
    state_label: str
    destination: str
    caseworker: str
    agency_id: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class ClockOut(_Out):
    referral_id: int
    jurisdiction: str
    clock_id: str
    label: str
    owner_role: str
    kind: str
    started_on: dt.date
    due_on: dt.date
    status: str
    on_expiry: str


class StepOut(_Out):
    transition: str
    from_state: str | None
    to_state: str
    actor: str
    agency_id: str
    at: dt.datetime
    reason: str | None
    version: str
    documents: dict[str, str]


class NextStepOut(_Out):
    transition: str
    label: str
    role: str
    requires: list[str]
    yours: bool


class ReferralOut(_Out):
    summary: SummaryOut
    record_uid: str
    minor: bool
    guardian: str | None
    exploitation: str | None
    sector: str | None
    means_of_control: str | None
    outcome: str | None
    steps: list[StepOut]
    clocks: list[ClockOut]
    next_steps: list[NextStepOut]
    conditions: str | None


class StepIn(BaseModel):
    transition: str = Field(min_length=1, max_length=64)
    documents: dict[str, Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=dict, max_length=20, description="Document kind -> reference."
    )
    reason: str | None = Field(None, max_length=2000)
    destination: str | None = Field(None, max_length=64)
    caseworker: str | None = Field(None, max_length=200)
    outcome: str | None = Field(None, max_length=2000)


class StateOut(BaseModel):
    state: str


def _keeping_refusal(uow: UnitOfWork, work: Callable[[], T]) -> T:
    try:
        return work()
    except AccessDenied:
        uow.commit()
        raise


@router.get("/referrals", response_model=list[SummaryOut])
def referrals(
    user: ReadUser,
    uow: UoW,
    services: Svc,
    scope: Annotated[Literal["mine", "agency", "all"], Query()] = "all",
    open_only: bool = False,
) -> Any:
    """The referrals you may see (no names)."""
    return list_referrals(uow.conn, user, scope=scope, open_only=open_only, clock=services.clock)


@router.get("/referrals/due", response_model=list[ClockOut])
def due(
    user: ReadUser,
    uow: UoW,
    services: Svc,
    scope: ScopeQuery = "mine",
    within_days: Annotated[int, Query(ge=0, le=366)] = 7,
) -> Any:
    """Deadlines due within ``within_days`` or overdue, soonest first."""
    return due_clocks(uow.conn, user, scope=scope, within_days=within_days, clock=services.clock)


@router.get("/referrals/{rid}", response_model=ReferralOut, responses=problems(404))
def referral(
    user: ReadUser, uow: UoW, services: Svc, rid: ReferralId, justification: Justification = None
) -> Any:
    """One referral: timeline, clocks, next steps (a consultation: give a justification)."""
    return _keeping_refusal(
        uow,
        lambda: show_referral(
            uow.conn, user, rid, justification=justification, clock=services.clock
        ),
    )


@router.post(
    "/referrals/{rid}/steps", response_model=StateOut, status_code=201, responses=problems(404)
)
def step(body: StepIn, user: SessionUser, uow: UoW, services: Svc, rid: ReferralId) -> Any:
    """Make one step of the procedure (the role the procedure names, on a record you may view)."""
    made = Move(
        body.transition,
        body.documents,
        body.reason,
        body.destination,
        body.caseworker,
        body.outcome,
    )
    state = _keeping_refusal(uow, lambda: move(uow.conn, user, rid, made, clock=services.clock))
    return StateOut(state=state)
