"""The inbox of municipal signals for the police and inspectorate: each signal with its
status, and a form to answer it (the answer reaches the officer who sent it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosslink.access.feedback import STATUSES, give_feedback
from crosslink.api.deps import FormUser, Svc, UoW, WebUser
from crosslink.errors import AccessDenied
from crosslink.screen.inbox import incoming_signals
from crosslink.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/signals", response_class=HTMLResponse)
def inbox(request: Request, user: WebUser, uow: UoW, services: Svc) -> HTMLResponse:
    found = incoming_signals(uow.conn, user, clock=services.clock)
    if found.refused is not None:
        uow.commit()  # the refusal stays in the audit log
        raise AccessDenied(found.refused)
    return page(request, "signals.html", user, signals=found.signals, statuses=STATUSES)


@router.post("/signals/{batch_id}/feedback")
def answer(
    user: FormUser,
    uow: UoW,
    services: Svc,
    batch_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    status: Annotated[str, Form(max_length=32)],
    text: Annotated[str, Form(min_length=1, max_length=2000)],
) -> Response:
    give_feedback(uow.conn, user, batch_id, status, text, clock=services.clock)
    return RedirectResponse(f"/signals#signal-{batch_id}", status_code=303)
