"""The requests page: the agency's open requests by deadline, the overdue ones marked.

References, partners and clocks only; a request's summary (which may name a person) stays
behind ``crosslink exchange request show``, where reading it is audited. The library decides
who may read the list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from crosslink.api.deps import UoW, WebUser
from crosslink.exchange.requests import due_requests
from crosslink.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/exchange/requests", response_class=HTMLResponse)
def requests_page(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "request": r,
            "due": r.due_at.astimezone(ZoneInfo(r.time_zone)).strftime("%Y-%m-%d %H:%M %Z"),
            "status": r.status(now),
        }
        for r in due_requests(uow.conn, user)
    ]
    return page(request, "exchange_requests.html", user, rows=rows)
