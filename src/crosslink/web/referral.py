"""The caseworker's desk: my referrals and their deadlines, one referral's page with its
timeline and next steps, consent given and withdrawn there. The library decides and audits;
a refusal's audit entry is committed before the refusal is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosslink.access import Subject
from crosslink.api.deps import FormUser, Svc, UnitOfWork, UoW, WebUser
from crosslink.errors import AccessDenied, InvalidValue
from crosslink.referral import (
    ConsentGrant,
    Move,
    due_clocks,
    list_consents,
    list_referrals,
    move,
    record_consent,
    retrafficking_alerts,
    show_referral,
    withdraw_consent,
)
from crosslink.web.render import justification, page

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
ReferralId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=2000)]


def _keeping_refusal(uow: UnitOfWork, work: Callable[[], T]) -> T:
    try:
        return work()
    except AccessDenied:
        uow.commit()  # the refusal's audit entry stays
        raise


@router.get("/desk", response_class=HTMLResponse)
def desk(request: Request, user: WebUser, uow: UoW, services: Svc) -> HTMLResponse:
    clock = services.clock
    return page(
        request,
        "desk.html",
        user,
        referrals=list_referrals(uow.conn, user, scope="mine", open_only=True, clock=clock),
        due=due_clocks(uow.conn, user, scope="mine", within_days=14, clock=clock),
        tasks=due_clocks(uow.conn, user, scope="role", within_days=14, clock=clock),
        alerts=retrafficking_alerts(uow.conn, user, scope="mine", clock=clock),
    )


def _referral_page(
    request: Request,
    user: Subject,
    uow: UnitOfWork,
    services: Svc,
    rid: int,
    done: str | None = None,
) -> HTMLResponse:
    view = _keeping_refusal(
        uow,
        lambda: show_referral(
            uow.conn, user, rid, justification=justification(request), clock=services.clock
        ),
    )
    consents = list_consents(uow.conn, user, view.record_uid, clock=services.clock)
    return page(request, "referral.html", user, view=view, consents=consents, done=done)


@router.get("/referrals/{rid}", response_class=HTMLResponse)
def referral_page(
    request: Request, user: WebUser, uow: UoW, services: Svc, rid: ReferralId
) -> HTMLResponse:
    return _referral_page(request, user, uow, services, rid)


@router.post("/referrals/{rid}/move", response_class=HTMLResponse)
def referral_move(
    request: Request,
    user: FormUser,
    uow: UoW,
    services: Svc,
    rid: ReferralId,
    transition: Annotated[str, Form(max_length=64)],
    doc_kind: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies form defaults)
    doc_ref: Annotated[list[str], Form()] = [],  # noqa: B006
    reason: Text = "",
    outcome: Text = "",
    destination: Annotated[str, Form(max_length=64)] = "",
    caseworker: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    if len(doc_kind) != len(doc_ref):
        raise InvalidValue("each document needs its kind and its reference")
    step = Move(
        transition,
        dict(zip(doc_kind, doc_ref, strict=True)),
        reason.strip() or None,
        destination.strip() or None,
        caseworker.strip() or None,
        outcome.strip() or None,
    )
    _keeping_refusal(uow, lambda: move(uow.conn, user, rid, step, clock=services.clock))
    return _referral_page(request, user, uow, services, rid, done=transition)


@router.post("/referrals/{rid}/consent")
def referral_consent(
    user: FormUser,
    uow: UoW,
    services: Svc,
    rid: ReferralId,
    record_uid: Annotated[str, Form(max_length=64)],
    recipient: Annotated[str, Form(max_length=100)],
    basis: Annotated[str, Form(max_length=16)] = "consent",
    purpose: Annotated[str, Form(max_length=64)] = "",
    reference: Text = "",
) -> Response:
    """``recipient`` is an agency id, or ``kind:police`` for every agency of a kind."""
    kind = recipient.removeprefix("kind:") if recipient.startswith("kind:") else None
    grant = ConsentGrant(
        record_uid,
        basis,
        None if kind else recipient.strip(),
        kind,
        reference.strip() or None,
        purpose.strip() or None,
    )
    record_consent(uow.conn, user, grant, clock=services.clock)
    return RedirectResponse(f"/referrals/{rid}", status_code=303)


@router.post("/referrals/{rid}/consents/{consent_id}/withdraw")
def referral_withdraw(
    user: FormUser,
    uow: UoW,
    services: Svc,
    rid: ReferralId,
    consent_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    withdraw_consent(uow.conn, user, consent_id, clock=services.clock)
    return RedirectResponse(f"/referrals/{rid}", status_code=303)
