"""Request bodies bounded while they stream, before the route (and its authentication) runs.

* A body may not exceed ``request_max_kb``, or for a multipart upload ``upload_max_mb``: a
  declared ``Content-Length`` above the limit is refused before a byte is read, and a body
  that grows past it (chunked, or lying) is cut off at the limit with a 413.
* A multipart upload is the one body the framework spools to disk: its sender is
  authenticated (session cookie, or an API token with the ``import`` scope) before a byte
  of it is read, so an anonymous upload writes nothing.
* A JSON body is checked for nesting deeper than ``json_max_depth`` before it is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import anyio.to_thread
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosslink.access import session_subject, token_subject
from crosslink.api.deps import SESSION_COOKIE, Services
from crosslink.api.problems import PROBLEM_TYPE
from crosslink.errors import AccessDenied, AuthenticationFailed
from crosslink.store.dialect import short_writes

_KB = 1024
_MB = 1024 * _KB
_FORM_OVERHEAD = 64 * _KB
"""Room in a multipart body for its boundaries and small fields beside the file."""
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {_size(limit)}")


def _size(limit: int) -> str:
    return f"{limit // _MB} MB" if limit >= _MB else f"{limit // _KB} KB"


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in ``body`` (strings skipped), without parsing it."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _authenticate(services: Services, headers: Headers) -> str | None:
    """Why the sender of an upload is refused, or None when a session or token vouches."""
    authorization = headers.get("authorization", "")
    cookie = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE)
    if not authorization.lower().startswith("bearer ") and not cookie:
        return "send an API token (Authorization: Bearer) or log in before uploading"
    with services.store.engine.connect() as conn:
        short_writes(conn)
        try:
            if authorization.lower().startswith("bearer "):
                token_subject(conn, authorization[7:].strip(), "import", services.clock)
            else:
                session_subject(conn, cookie or "", services.clock, policy=services.session_policy)
        except (AuthenticationFailed, AccessDenied) as exc:
            return str(exc)
        finally:
            conn.commit()
    return None


async def _refuse(scope: Scope, send: Send, status: int, title: str, detail: str) -> None:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["instance"] = str(scope.get("path", ""))
    headers = {"WWW-Authenticate": 'Bearer realm="crosslink"'} if status == 401 else None
    response = JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


def _counting(receive: Receive, limit: int) -> Callable[[], Awaitable[Message]]:
    received = 0

    async def bounded() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return bounded


class BoundedBodies:
    """Pure ASGI middleware applying the limits above to every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        services: Services = scope["app"].state.services
        settings = services.settings
        headers = Headers(scope=scope)
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        multipart = kind == "multipart/form-data"
        limit = (
            settings.upload_max_mb * _MB + _FORM_OVERHEAD
            if multipart
            else settings.request_max_kb * _KB
        )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, send, 413, "Request too large", str(BodyTooLarge(limit).detail))
            return
        if multipart:
            refused = await anyio.to_thread.run_sync(_authenticate, services, headers)
            if refused is not None:
                await _refuse(scope, send, 401, "Authentication failed", refused)
                return
        bounded = _counting(receive, limit)
        if kind == "application/json" or kind.endswith("+json"):
            await self._json(scope, bounded, send, settings.json_max_depth, limit)
            return
        await self._guarded(scope, bounded, send, limit)

    async def _json(
        self, scope: Scope, receive: Receive, send: Send, max_depth: int, limit: int
    ) -> None:
        """Read the JSON body whole (it is small: bounded above), check it, then replay it."""
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except BodyTooLarge as exc:
            await _refuse(scope, send, 413, "Request too large", str(exc.detail))
            return
        body = b"".join(chunks)
        if json_depth(body) > max_depth:
            detail = f"the JSON body is nested deeper than {max_depth} levels"
            await _refuse(scope, send, 422, "Invalid request", detail)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self._guarded(scope, replay, send, limit)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Run the app; a body cut off where nothing catches it still gets its 413."""
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except BodyTooLarge as exc:
            if started:
                raise
            await _refuse(scope, send, 413, "Request too large", str(exc.detail))
