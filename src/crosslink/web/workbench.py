"""The home of each role, and the lists of agencies, sources and permissions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from crosslink.api.deps import UoW, WebUser
from crosslink.web.render import justification, page
from crosslink.web.stats import dashboard
from crosslink.workbench import home, list_agencies, list_permissions, list_sources

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    found = home(uow.conn, user, justification=justification(request))
    figures = dashboard(uow.conn, user) if found.dashboard else None  # the rapporteur's
    return page(request, "role_home.html", user, home=found, dashboard=figures)


@router.get("/agencies", response_class=HTMLResponse)
def agencies_page(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    return page(request, "agencies.html", user, agencies=list_agencies(uow.conn))


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    return page(request, "sources.html", user, sources=list_sources(uow.conn))


@router.get("/permissions", response_class=HTMLResponse)
def permissions_page(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    found = list_permissions(uow.conn, user, include_revoked=True)
    return page(request, "permissions.html", user, permissions=found)
