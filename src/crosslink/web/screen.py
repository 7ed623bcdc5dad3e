"""The signal desk: the top-scored ads of the latest screening run and the clusters of ads,
each with the indicators that fired and their evidence marked in the ad's text.

Ad text comes from the internet: it is rendered through autoescape only (never ``|safe``),
links in it are shown as text and never fetched.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from crosslink.api.deps import Svc, UoW, WebUser
from crosslink.screen import ad_clusters, latest_run, top_ads
from crosslink.screen.views import highlighted
from crosslink.web.render import justification, page

router = APIRouter(include_in_schema=False)


@router.get("/screen", response_class=HTMLResponse)
def signal_desk(
    request: Request,
    user: WebUser,
    uow: UoW,
    services: Svc,
    flagged: Annotated[bool, Query()] = True,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> HTMLResponse:
    if latest_run(uow.conn) is None:
        return page(request, "screen.html", user, ads=[], clusters=[], flagged=flagged, run=None)
    why = justification(request)
    ads = top_ads(
        uow.conn, user, limit=limit, flagged_only=flagged, justification=why, clock=services.clock
    )
    clusters = ad_clusters(uow.conn, user, justification=why, clock=services.clock)
    return page(
        request,
        "screen.html",
        user,
        ads=[(ad, highlighted(ad)) for ad in ads],
        clusters=clusters,
        flagged=flagged,
        run=latest_run(uow.conn),
    )
