"""Pages for everyone with a login: the account (API tokens), search, entity profiles,
the justification prompt, and the resolution review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosslink.access import issue_token, list_tokens, revoke_token
from crosslink.access.tokens import SCOPES
from crosslink.api.deps import JUSTIFICATION_COOKIE, FormUser, Svc, UoW, WebUser
from crosslink.api.review import judge_pair, review
from crosslink.errors import AccessDenied, InvalidValue
from crosslink.profiles import FORMATS, dossier, export_profile, profile
from crosslink.search import KINDS, SearchQuery, search
from crosslink.web.auth import safe_next
from crosslink.web.render import justification, justification_cookie_value, page

router = APIRouter(include_in_schema=False)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    tokens = list_tokens(uow.conn, user)
    return page(request, "home.html", user, tokens=tokens, scopes=SCOPES, new_token=None)


@router.post("/tokens", response_class=HTMLResponse)
def new_token(
    request: Request,
    user: FormUser,
    uow: UoW,
    services: Svc,
    name: Annotated[str, Form(min_length=1, max_length=200)],
    scopes: Annotated[list[str], Form()],
) -> HTMLResponse:
    token = issue_token(uow.conn, user, name, set(scopes), services.clock)
    tokens = list_tokens(uow.conn, user)
    return page(request, "home.html", user, tokens=tokens, scopes=SCOPES, new_token=token)


@router.post("/tokens/{token_id}/revoke")
def drop_token(
    user: FormUser, uow: UoW, services: Svc, token_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    revoke_token(uow.conn, user, token_id, services.clock)
    return RedirectResponse("/account", status_code=303)


@router.get("/justification", response_class=HTMLResponse)
def justification_form(
    request: Request, user: WebUser, next: Annotated[str, Query(max_length=2000)] = "/"
) -> HTMLResponse:
    return page(request, "justify.html", user, next=safe_next(next), detail="")


@router.post("/justification")
def justification_submit(
    user: FormUser,
    services: Svc,
    justification: Annotated[str, Form(min_length=1, max_length=500)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not justification.strip():
        raise InvalidValue("a justification cannot be blank")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        JUSTIFICATION_COOKIE,
        justification_cookie_value(justification),
        httponly=True,
        secure=services.settings.cookie_secure,
        samesite="strict",
        path="/",
    )
    return response


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    user: WebUser,
    uow: UoW,
    services: Svc,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=20)] = "any",
    page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    kind = kind if kind in KINDS else "any"
    result = None
    if q.strip():
        result = search(
            uow.conn,
            user,
            SearchQuery(q, kind, page_number, 25),
            justification=justification(request),
            region=services.settings.search_region,
        )
    return page(request, "search.html", user, q=q, kind=kind, kinds=KINDS, result=result)


@router.get("/entities/{ref}", response_class=HTMLResponse)
def entity_page(
    request: Request, user: WebUser, uow: UoW, ref: Annotated[str, Path(max_length=64)]
) -> HTMLResponse:
    found = profile(uow.conn, user, ref, justification=justification(request))
    return page(request, "entity.html", user, profile=found, card=dossier(found))


@router.get("/entities/{ref}/export")
def entity_export(
    request: Request,
    user: WebUser,
    uow: UoW,
    ref: Annotated[str, Path(max_length=64)],
    fmt: Annotated[str, Query(alias="format", pattern="^(csv|json)$")] = "csv",
) -> Response:
    """The profile as a file: a disclosure, decided per record and logged."""
    try:
        body = export_profile(uow.conn, user, ref, fmt, justification=justification(request))
    except AccessDenied:
        uow.commit()  # the refusal stays in the audit log
        raise
    name = f"profile-{ref}.{fmt}"
    return Response(
        body,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _review_page(
    request: Request, user: WebUser, uow: UoW, entity_type: str | None, judged: bool
) -> HTMLResponse:
    pairs = review(
        uow.conn, user, justification=justification(request), entity_type=entity_type or None
    )
    return page(request, "review.html", user, pairs=pairs, entity_type=entity_type, judged=judged)


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    user: WebUser,
    uow: UoW,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    return _review_page(request, user, uow, entity_type, judged=False)


@router.post("/review/judge", response_class=HTMLResponse)
def judge_page(
    request: Request,
    user: FormUser,
    uow: UoW,
    services: Svc,
    left: Annotated[str, Form(max_length=64)],
    right: Annotated[str, Form(max_length=64)],
    verdict: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=2000)],
    entity_type: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    judge_pair(uow.conn, user, left, right, verdict, reason=reason, clock=services.clock)
    return _review_page(request, user, uow, entity_type, judged=True)
