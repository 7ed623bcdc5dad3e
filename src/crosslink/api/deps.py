"""Typed dependencies: the services of one app, the unit of work, and the current user.

The unit of work is one database transaction per request: committed when the route returns,
rolled back when it raises. A route that must keep a record of a refusal (a failed login, a
denied consultation) calls :meth:`UnitOfWork.commit` before it refuses.

No lock is shared between requests. A form or API call that changes data (POST, PUT, DELETE)
is one transaction that takes SQLite's write lock when it begins, queueing behind other
writers for at most the busy timeout; a page view (GET) reads concurrently and commits each
run of writes (its audit entry, the session's idle clock) as soon as it ends, so a long view
holds no lock another request waits for (:func:`crosslink.store.dialect.short_writes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from crosslink.access import (
    Clock,
    IdentityProvider,
    LocalPasswordProvider,
    SessionPolicy,
    Subject,
    SystemClock,
    check_csrf,
    session_subject,
    token_subject,
)
from crosslink.access.audit import Event, append
from crosslink.errors import (
    AccessDenied,
    AuthenticationFailed,
    JustificationRequired,
    ServiceUnavailable,
)
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.dialect import begin_immediately, short_writes

SESSION_COOKIE = "crosslink_session"
JUSTIFICATION_COOKIE = "crosslink_justification"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Services:
    """What every request of one app shares; built by :func:`crosslink.api.create_app`."""

    settings: Settings
    store: Store
    clock: Clock = field(default_factory=SystemClock)
    identity: IdentityProvider = field(default_factory=LocalPasswordProvider)

    @property
    def session_policy(self) -> SessionPolicy:
        return SessionPolicy(
            lifetime=dt.timedelta(hours=self.settings.session_hours),
            idle=dt.timedelta(minutes=self.settings.session_idle_minutes),
        )

    @property
    def upload_dir(self) -> Path:
        return self.settings.data_dir / "uploads"


async def get_services(request: Request) -> Services:
    # async: FastAPI runs a plain ``def`` dependency in the thread pool, a hop per request
    # for reading one attribute.
    found = request.app.state.services
    assert isinstance(found, Services)
    return found


Svc = Annotated[Services, Depends(get_services)]


class UnitOfWork:
    """One transaction; library functions receive :attr:`conn` and never commit."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def commit(self) -> None:
        """Make what was written so far durable (a refusal's audit entry, before refusing)."""
        self.conn.commit()


def unit_of_work(request: Request, services: Svc) -> Iterator[UnitOfWork]:
    try:
        conn = services.store.engine.connect()
    except OperationalError as exc:
        raise ServiceUnavailable("cannot reach the database") from exc
    if request.method in _SAFE_METHODS:
        short_writes(conn)
    else:
        begin_immediately(conn)
    try:
        yield UnitOfWork(conn)
        conn.commit()
    except OperationalError as exc:
        conn.rollback()
        raise ServiceUnavailable("the database is busy or unreachable: try again") from exc
    except AccessDenied as exc:
        conn.rollback()
        _log_refusal(conn, request, services, exc)
        raise
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()


def _log_refusal(conn: Connection, request: Request, services: Services, exc: AccessDenied) -> None:
    """A ``denied`` audit entry for a refusal of a known user, after the request's own work
    was rolled back (a justification prompt is a question, not a refusal)."""
    subject = getattr(request.state, "subject", None)
    if not isinstance(subject, Subject) or isinstance(exc, JustificationRequired):
        return
    target = {"path": request.url.path, "method": request.method}
    event = Event("denied", target, details={"reason": exc.reason[:300]})
    try:
        append(conn, subject, event, clock=services.clock)
        conn.commit()
    except OperationalError:  # the refusal stands; its record is lost only if the store is down
        conn.rollback()


UoW = Annotated[UnitOfWork, Depends(unit_of_work, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="An API token (clk_…) for scripts.")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The session cookie of a web login."
)


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def web_user(request: Request, uow: UoW, services: Svc) -> Subject:
    """The user of the session cookie (web pages: sessions only, never tokens)."""
    token = session_token(request)
    if not token:
        raise AuthenticationFailed("please log in")
    subject = session_subject(uow.conn, token, services.clock, policy=services.session_policy)
    request.state.subject = subject
    return subject


WebUser = Annotated[Subject, Depends(web_user)]


def form_user(
    request: Request, user: WebUser, csrf: Annotated[str | None, Form()] = None
) -> Subject:
    """The session's user, for a form that carries the session's CSRF token."""
    check_csrf(session_token(request) or "", csrf)
    return user


FormUser = Annotated[Subject, Depends(form_user)]


def _api_user(
    request: Request,
    uow: UoW,
    services: Svc,
    bearer: HTTPAuthorizationCredentials | None,
    cookie: str | None,
    scope: str | None,
) -> Subject:
    if bearer is not None:
        if scope is None:
            raise AuthenticationFailed("this endpoint needs a web session, not an API token")
        subject = token_subject(uow.conn, bearer.credentials, scope, services.clock)
        request.state.subject = subject
        return subject
    if not cookie:
        raise AuthenticationFailed("send an API token (Authorization: Bearer) or log in")
    subject = session_subject(uow.conn, cookie, services.clock, policy=services.session_policy)
    request.state.subject = subject  # before the CSRF check: a forged form is a refusal too
    if request.method not in _SAFE_METHODS:
        check_csrf(cookie, request.headers.get(CSRF_HEADER))
    return subject


def api_user(scope: str | None) -> object:
    """A dependency: the caller by API token carrying ``scope``, or by session cookie.

    ``scope=None``: sessions only. Unsafe methods by session need the ``X-CSRF-Token`` header.
    """

    def dependency(
        request: Request,
        uow: UoW,
        services: Svc,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        cookie: Annotated[str | None, Depends(_cookie)],
    ) -> Subject:
        return _api_user(request, uow, services, bearer, cookie, scope)

    return Depends(dependency)


ReadUser = Annotated[Subject, api_user("records:read")]
ImportUser = Annotated[Subject, api_user("import")]
AuditUser = Annotated[Subject, api_user("audit:read")]
StatsUser = Annotated[Subject, api_user("stats:read")]
SessionUser = Annotated[Subject, api_user(None)]
