"""Log in and out. The login form has its own CSRF token (a random cookie it must echo),
since there is no session yet to bind one to."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosslink.access import Event, Password, append, end_session, login
from crosslink.access.uploads import discard_uploads_of
from crosslink.api.deps import JUSTIFICATION_COOKIE, SESSION_COOKIE, FormUser, Svc, UoW
from crosslink.api.v1 import set_session_cookie
from crosslink.errors import CsrfRejected
from crosslink.web.labels import label
from crosslink.web.render import page

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_COOKIE = "crosslink_login"


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(
    request: Request, services: Svc, next_url: str, failed: str | None, status: int
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = page(
        request, "login.html", None, status, login_csrf=token, next=next_url, failed=failed
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        secure=services.settings.cookie_secure,
        samesite="strict",
        path="/login",
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, services: Svc, next: Annotated[str | None, Query(max_length=2000)] = None
) -> HTMLResponse:
    return _login_page(request, services, safe_next(next), None, 200)


@router.post("/login")
def login_submit(
    request: Request,
    uow: UoW,
    services: Svc,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf):
        raise CsrfRejected("the login form's security token is missing or wrong: reload the page")
    address = request.client.host if request.client else "unknown"
    outcome = login(
        uow.conn,
        services.identity,
        Password(username, password),
        address=address,
        clock=services.clock,
        session=services.session_policy,
    )
    if not outcome.ok or outcome.session_token is None:
        failed = outcome.reason if outcome.retry_after else label("login.failed")
        status = 429 if outcome.retry_after else 401
        return _login_page(request, services, safe_next(next), failed, status)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, outcome.session_token, services.settings.cookie_secure)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, user: FormUser, uow: UoW, services: Svc) -> Response:
    end_session(uow.conn, request.cookies.get(SESSION_COOKIE, ""), services.clock)
    discard_uploads_of(services.upload_dir, user.username)
    append(uow.conn, user, Event("logout", {"session": "web"}), clock=services.clock)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(JUSTIFICATION_COOKIE, path="/")
    return response
