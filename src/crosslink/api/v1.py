"""JSON API, records side: session, me, search, entity profiles, review and judgements."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from crosslink.access import (
    Event,
    Password,
    Subject,
    append,
    csrf_token,
    end_session,
    load_subject,
    login,
)
from crosslink.access.uploads import discard_uploads_of
from crosslink.api import schemas
from crosslink.api.admin import capabilities
from crosslink.api.deps import (
    SESSION_COOKIE,
    ReadUser,
    SessionUser,
    Svc,
    UoW,
    api_user,
    session_token,
)
from crosslink.api.problems import PROBLEM_TYPE, Problem, problem_response
from crosslink.api.review import judge_pair, review
from crosslink.errors import AccessDenied
from crosslink.profiles import FORMATS, export_profile, profile
from crosslink.search import KINDS, MAX_PER_PAGE, Hit, SearchQuery, search


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route may give."""
    return {code: {"model": Problem, "content": {PROBLEM_TYPE: {}}} for code in codes}


ExportUser = Annotated[Subject, api_user("records:export")]

router = APIRouter(prefix="/api/v1", responses=problems(401, 403, 422, 500, 503))

Justification = Annotated[
    str | None,
    Query(max_length=1000, description="Why you consult (LED art. 25); needed for persons."),
]


def me_out(subject: Subject) -> schemas.MeOut:
    caps = capabilities(subject)
    return schemas.MeOut(
        username=subject.username,
        agency_id=subject.agency_id,
        agency_kind=subject.agency_kind,
        roles=sorted(subject.roles),
        capabilities=schemas.CapabilitiesOut.model_validate(caps),
    )


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class SessionOut(BaseModel):
    me: schemas.MeOut
    csrf_token: str = Field(description="Send as X-CSRF-Token with POST and DELETE requests.")


@router.post("/session", response_model=SessionOut, responses=problems(429))
def open_session(
    body: LoginIn, request: Request, response: Response, uow: UoW, services: Svc
) -> Any:
    """Log in with a password; the session cookie is set on the response."""
    address = request.client.host if request.client else "unknown"
    outcome = login(
        uow.conn,
        services.identity,
        Password(body.username, body.password),
        address=address,
        clock=services.clock,
        session=services.session_policy,
    )
    if not outcome.ok or outcome.session_token is None or outcome.username is None:
        status = 429 if outcome.retry_after else 401
        headers = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else None
        title = "Too many attempts" if outcome.retry_after else "Authentication failed"
        return problem_response(request, status, title, outcome.reason, headers=headers)
    subject = load_subject(uow.conn, outcome.username)
    set_session_cookie(response, outcome.session_token, services.settings.cookie_secure)
    return SessionOut(me=me_out(subject), csrf_token=csrf_token(outcome.session_token))


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, secure=secure, samesite="strict", path="/"
    )


@router.delete("/session", status_code=204, response_class=Response)
def close_session(request: Request, user: SessionUser, uow: UoW, services: Svc) -> Response:
    """Log out: the session ends at once."""
    end_session(uow.conn, session_token(request) or "", services.clock)
    discard_uploads_of(services.upload_dir, user.username)
    append(uow.conn, user, Event("logout", {"session": "web"}), clock=services.clock)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_model=schemas.MeOut)
def me(user: ReadUser) -> Any:
    """Who you are, and what your roles let you use."""
    return me_out(user)


@router.get("/search", response_model=schemas.SearchPage, response_model_by_alias=True)
def search_records(
    user: ReadUser,
    uow: UoW,
    services: Svc,
    q: Annotated[str, Query(min_length=1, max_length=200, description="What to look for.")],
    kind: Annotated[str, Query(pattern="^(" + "|".join(KINDS) + ")$")] = "any",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 25,
    justification: Justification = None,
) -> Any:
    """Entities you may view whose names, phones, plates, IBANs, documents or addresses match:
    one item per resolved entity, with what tells namesakes apart."""
    found = search(
        uow.conn,
        user,
        SearchQuery(q, kind, page, per_page),
        justification=justification,
        region=services.settings.search_region,
    )
    return schemas.SearchPage(
        items=[hit_out(h) for h in found.hits],
        page=found.query.page,
        per_page=found.query.per_page,
        has_more=found.has_more,
        total=found.total,
        capped=found.capped,
        read_as=found.read_as,
    )


def hit_out(hit: Hit) -> schemas.HitOut:
    summary = hit.summary
    return schemas.HitOut(
        ref=hit.ref,
        entity_id=hit.entity_id,
        schema=hit.schema,
        label=summary.label,
        prop=hit.prop,
        value=hit.value,
        names=[schemas.NameCount(name=n, records=c) for n, c in summary.names],
        birth_dates=summary.birth_dates,
        nationalities=summary.nationalities,
        categories=summary.categories,
        sources=summary.sources,
        agencies=summary.agencies,
        handling_codes=summary.handling_codes,
        records=hit.records,
        conditions=hit.conditions,
    )


@router.get(
    "/entities/{ref}",
    response_model=schemas.ProfileOut,
    response_model_by_alias=True,
    responses=problems(404),
)
def entity_profile(
    ref: Annotated[str, Path(min_length=1, max_length=64)],
    user: ReadUser,
    uow: UoW,
    justification: Justification = None,
) -> Any:
    """An entity (or an unresolved record): every source record, its links, a timeline."""
    return schemas.ProfileOut.model_validate(
        profile(uow.conn, user, ref, justification=justification)
    )


@router.get(
    "/entities/{ref}/export",
    response_class=Response,
    responses={**problems(403, 404), 200: {"content": {m: {} for m in FORMATS.values()}}},
)
def entity_export(
    ref: Annotated[str, Path(min_length=1, max_length=64)],
    user: ExportUser,
    uow: UoW,
    fmt: Annotated[str, Query(alias="format", pattern="^(csv|json)$")] = "csv",
    recipient: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006 (FastAPI copies)
    justification: Justification = None,
) -> Response:
    """The profile as CSV or JSON: a disclosure, decided per record by the policy and logged
    with the justification and recipients."""
    try:
        body = export_profile(
            uow.conn, user, ref, fmt, justification=justification, recipients=tuple(recipient)
        )
    except AccessDenied:
        uow.commit()  # the refusal stays in the audit log
        raise
    return Response(body, media_type=FORMATS[fmt])


@router.get("/review", response_model=list[schemas.PairOut])
def review_queue(
    user: ReadUser,
    uow: UoW,
    justification: Justification = None,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Any:
    """The uncertain pairs you may see, most consequential first, with their match weights."""
    pairs = review(
        uow.conn, user, justification=justification, entity_type=entity_type, limit=limit
    )
    return [schemas.PairOut.model_validate(p) for p in pairs]


@router.post(
    "/judgements", response_model=schemas.JudgementOut, status_code=201, responses=problems(404)
)
def add_judgement(body: schemas.JudgementIn, user: SessionUser, uow: UoW, services: Svc) -> Any:
    """Judge two records (or entities) the same, different, or unsure — with a reason."""
    made = judge_pair(
        uow.conn,
        user,
        body.left,
        body.right,
        body.verdict,
        reason=body.reason,
        clock=services.clock,
    )
    return schemas.JudgementOut.model_validate(made)
