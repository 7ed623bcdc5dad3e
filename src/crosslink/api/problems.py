"""The one place where errors become responses: RFC 9457 problem details for the API, an
error page (or the login page, or the justification prompt) for the web.

:class:`~crosslink.errors.CrosslinkError` carries its HTTP status and title as class
attributes; the framework's own errors (validation, unknown route) and anything unexpected
are shaped the same way, so a client sees one format.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from crosslink.errors import (
    AuthenticationFailed,
    CrosslinkError,
    RateLimited,
)

log = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"

WebRenderer = Callable[[Request, int, str, str, CrosslinkError | None], Response]
"""Renders an error for a browser: (request, status, title, detail, the error if ours)."""


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in words a person can act on."""

    type: str = Field(default="about:blank")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Each invalid field, for a request that failed validation."
    )


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    body = Problem(
        title=title, status=status, detail=detail, instance=request.url.path, errors=errors
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers=headers,
    )


def _headers(exc: CrosslinkError) -> dict[str, str]:
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, AuthenticationFailed):
        return {"WWW-Authenticate": 'Bearer realm="crosslink"'}
    return {}


def install(app: FastAPI, web: WebRenderer) -> None:
    """Register the handlers on ``app``; ``web`` renders errors for pages."""

    async def crosslink_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CrosslinkError)
        status, title = exc.http_status, exc.title
        detail = str(exc) if status < 500 else title
        if status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc)
        if is_api(request):
            return problem_response(request, status, title, detail, headers=_headers(exc))
        if isinstance(exc, AuthenticationFailed) and not isinstance(exc, RateLimited):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return web(request, status, title, detail, exc)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors) or "invalid"
        if is_api(request):
            return problem_response(request, 422, "Invalid request", detail, errors=errors)
        return web(request, 422, "Invalid request", detail, None)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        title = {404: "Not found", 405: "Method not allowed", 413: "Request too large"}.get(
            exc.status_code, "Error"
        )
        detail = str(exc.detail)
        if is_api(request):
            headers = dict(exc.headers) if exc.headers else None
            return problem_response(request, exc.status_code, title, detail, headers=headers)
        return web(request, exc.status_code, title, detail, None)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if is_api(request):
            return problem_response(request, 500, "Internal error", "an unexpected error")
        return web(request, 500, "Internal error", "an unexpected error", None)

    app.add_exception_handler(CrosslinkError, crosslink_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
