"""Rendering pages: one Jinja2 environment, autoescaping everything, labels as a global.

Hostile text in the data (a name or an ad with ``<script>``) is escaped by Jinja2's autoescape,
which is on for every template; no template marks data ``|safe``.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from crosslink.access import Subject, csrf_token
from crosslink.access.policy import SystemResource, authorize
from crosslink.api.admin import capabilities
from crosslink.api.deps import JUSTIFICATION_COOKIE, session_token
from crosslink.errors import CrosslinkError, JustificationRequired
from crosslink.web.labels import label

MAX_JUSTIFICATION = 500


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crosslink.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates are package files: no need to stat them on every page.
        auto_reload=False,
    )
    env.globals["t"] = label
    return env


def justification(request: Request) -> str | None:
    raw = request.cookies.get(JUSTIFICATION_COOKIE)
    text = unquote(raw).strip()[:MAX_JUSTIFICATION] if raw else ""
    return text or None


def justification_cookie_value(text: str) -> str:
    return quote(text.strip()[:MAX_JUSTIFICATION], safe="")


def page(
    request: Request,
    template: str,
    user: Subject | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    token = session_token(request)
    values: dict[str, Any] = {
        "user": user,
        "caps": capabilities(user) if user is not None else None,
        "statistics": user is not None
        and bool(authorize(user, "aggregate", SystemResource("statistics"))),
        "csrf": csrf_token(token) if token and user is not None else "",
        "justification": justification(request),
        "path": request.url.path,
        "here": _here(request),
    }
    values.update(context)
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status)


def _here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def error_page(
    request: Request, status: int, title: str, detail: str, exc: CrosslinkError | None
) -> HTMLResponse:
    """The web side of the one error handler: the justification prompt, or an error page."""
    token = session_token(request)
    if isinstance(exc, JustificationRequired) and token:
        return HTMLResponse(
            environment()
            .get_template("justify.html")
            .render(
                user=None,
                caps=None,
                csrf=csrf_token(token),
                justification=None,
                path=request.url.path,
                here=_here(request),
                next=_here(request),
                detail=detail,
            ),
            status_code=status,
        )
    html = (
        environment()
        .get_template("error.html")
        .render(
            user=None,
            caps=None,
            csrf="",
            justification=None,
            path=request.url.path,
            here=_here(request),
            status=status,
            title=title,
            detail=detail,
        )
    )
    return HTMLResponse(html, status_code=status)
