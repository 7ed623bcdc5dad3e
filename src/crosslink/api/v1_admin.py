"""JSON API, administration side: imports, API tokens, the audit log, users."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile

from crosslink.access import (
    AuditQuery,
    NewUser,
    issue_token,
    list_tokens,
    revoke_token,
)
from crosslink.access import search as audit_search
from crosslink.api import admin, schemas, uploads
from crosslink.api.deps import AuditUser, ImportUser, SessionUser, Svc, UoW
from crosslink.api.v1 import problems
from crosslink.ingest import ImportSummary, bundled_mappings
from crosslink.ingest.limits import InputLimits

router = APIRouter(prefix="/api/v1", responses=problems(401, 403, 422, 500, 503))


def report(summary: ImportSummary, *, dry_run: bool) -> schemas.ImportReport:
    return schemas.ImportReport(
        file=summary.file,
        dry_run=dry_run,
        batch_id=None if dry_run else summary.batch_id,
        duplicate_of=summary.duplicate_of,
        rows_read=summary.rows_read,
        rows_rejected=summary.rows_rejected,
        records_added=summary.records_added,
        records_existing=summary.records_existing,
        links_added=summary.links_added,
        warnings=summary.warnings,
        unknown_columns=summary.unknown_columns,
        issues=[schemas.IssueOut.model_validate(i) for i in summary.issues],
    )


@router.get("/mappings", response_model=list[schemas.MappingOut])
def mappings(user: ImportUser) -> Any:
    """The bundled mappings a file can be imported with."""
    return [schemas.MappingOut(name=n, description=d) for n, d in bundled_mappings().items()]


@router.get("/sources", response_model=list[schemas.SourceOut])
def sources(user: ImportUser, uow: UoW) -> Any:
    """The sources you may import into."""
    return [schemas.SourceOut.model_validate(s) for s in uploads.importable_sources(uow.conn, user)]


@router.post("/imports", response_model=schemas.ImportReport, responses=problems(404, 413))
def import_upload(
    user: ImportUser,
    uow: UoW,
    services: Svc,
    file: Annotated[UploadFile, File(description="The partner's file.")],
    mapping: Annotated[str, Form(min_length=1, max_length=200)],
    source_id: Annotated[str, Form(min_length=1, max_length=64)],
    dry_run: Annotated[bool, Form()] = True,
) -> Any:
    """Validate a file (dry run, the default: nothing is written) or import it as one batch."""
    staged = uploads.stage(
        services.upload_dir,
        user,
        file.filename or "upload",
        file.file,
        max_bytes=services.settings.upload_max_mb * 1024 * 1024,
        keep=dt.timedelta(minutes=services.settings.upload_keep_minutes),
    )
    try:
        summary = uploads.run_import(
            uow.conn,
            user,
            staged,
            mapping_name=mapping,
            source_id=source_id,
            dry_run=dry_run,
            chunk_size=services.settings.import_chunk_size,
            limits=InputLimits.from_settings(services.settings),
        )
    finally:
        uploads.discard(staged)
    return report(summary, dry_run=dry_run)


@router.get("/audit", response_model=list[schemas.AuditEntryOut])
def audit(
    user: AuditUser,
    uow: UoW,
    services: Svc,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Search the audit log, newest first (administrators); the search is logged too."""
    query = AuditQuery(actor or None, action or None, target or None, since, until, limit)
    found = audit_search(uow.conn, user, query, clock=services.clock)
    return [schemas.AuditEntryOut.model_validate(e) for e in found]


@router.get("/users", response_model=list[schemas.UserOut])
def users(user: SessionUser, uow: UoW) -> Any:
    """Every user and their roles (administrators)."""
    return [
        schemas.UserOut(
            id=u.id,
            username=u.username,
            agency_id=u.agency_id,
            roles=sorted(u.roles),
            active=u.active,
            full_name=u.full_name,
        )
        for u in admin.users(uow.conn, user)
    ]


@router.post(
    "/users", response_model=schemas.UserOut, status_code=201, responses=problems(404, 409)
)
def add_user(body: schemas.UserIn, user: SessionUser, uow: UoW, services: Svc) -> Any:
    """Create a user (administrators)."""
    new = NewUser(
        body.username, body.agency_id, frozenset(body.roles), body.password, body.full_name
    )
    made = admin.create_user(uow.conn, user, new, demo=services.settings.demo, clock=services.clock)
    return schemas.UserOut(
        id=made.id,
        username=made.username,
        agency_id=made.agency_id,
        roles=sorted(made.roles),
        active=made.active,
        full_name=made.full_name,
    )


@router.put(
    "/users/{username}/active", status_code=204, response_class=Response, responses=problems(404)
)
def set_active(
    username: Annotated[str, Path(min_length=1, max_length=200)],
    body: schemas.ActiveIn,
    user: SessionUser,
    uow: UoW,
    services: Svc,
) -> Response:
    """Activate or deactivate a user (administrators); deactivation ends their sessions."""
    admin.set_user_active(uow.conn, user, username, body.active, clock=services.clock)
    return Response(status_code=204)


@router.get("/tokens", response_model=list[schemas.TokenOut])
def tokens(user: SessionUser, uow: UoW) -> Any:
    """Your API tokens (never the tokens themselves: they are stored hashed)."""
    return [
        schemas.TokenOut(
            id=t.id,
            name=t.name,
            scopes=sorted(t.scopes),
            created_at=t.created_at,
            expires_at=t.expires_at,
            revoked=t.revoked,
        )
        for t in list_tokens(uow.conn, user)
    ]


@router.post("/tokens", response_model=schemas.NewTokenOut, status_code=201)
def new_token(body: schemas.TokenIn, user: SessionUser, uow: UoW, services: Svc) -> Any:
    """Issue an API token for scripts; it is shown once."""
    token = issue_token(uow.conn, user, body.name, set(body.scopes), services.clock)
    return schemas.NewTokenOut(token=token)


@router.delete(
    "/tokens/{token_id}", status_code=204, response_class=Response, responses=problems(404)
)
def delete_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], user: SessionUser, uow: UoW, services: Svc
) -> Response:
    """Revoke a token (its owner or an administrator)."""
    revoke_token(uow.conn, user, token_id, services.clock)
    return Response(status_code=204)
