"""Pages for importers and administrators: import (upload, validate, commit), the audit log,
and user administration. The policy decides inside the library calls; nothing here checks a
role."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crosslink.access import AUDIT_ACTIONS, AuditQuery, NewUser, load_roles
from crosslink.access import search as audit_search
from crosslink.api import admin, uploads
from crosslink.api.deps import FormUser, Svc, UoW, WebUser
from crosslink.ingest import bundled_mappings
from crosslink.ingest.limits import InputLimits
from crosslink.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    sources = uploads.importable_sources(uow.conn, user)
    return page(request, "import.html", user, sources=sources, mappings=bundled_mappings())


@router.post("/import", response_class=HTMLResponse)
def import_validate(
    request: Request,
    user: FormUser,
    uow: UoW,
    services: Svc,
    file: Annotated[UploadFile, File()],
    mapping: Annotated[str, Form(max_length=200)],
    source_id: Annotated[str, Form(max_length=64)],
) -> HTMLResponse:
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
            dry_run=True,
            chunk_size=services.settings.import_chunk_size,
            limits=InputLimits.from_settings(services.settings),
        )
    except BaseException:
        uploads.discard(staged)
        raise
    return page(
        request,
        "import_report.html",
        user,
        summary=summary,
        dry_run=True,
        upload_id=staged.id,
        upload_name=staged.name,
        mapping=mapping,
        source_id=source_id,
    )


@router.post("/import/commit", response_class=HTMLResponse)
def import_commit(
    request: Request,
    user: FormUser,
    uow: UoW,
    services: Svc,
    upload_id: Annotated[str, Form(max_length=64)],
    mapping: Annotated[str, Form(max_length=200)],
    source_id: Annotated[str, Form(max_length=64)],
) -> HTMLResponse:
    staged = uploads.staged(services.upload_dir, user, upload_id)
    summary = uploads.run_import(
        uow.conn,
        user,
        staged,
        mapping_name=mapping,
        source_id=source_id,
        dry_run=False,
        chunk_size=services.settings.import_chunk_size,
        limits=InputLimits.from_settings(services.settings),
    )
    uploads.discard(staged)
    return page(
        request,
        "import_report.html",
        user,
        summary=summary,
        dry_run=False,
        upload_id=staged.id,
        upload_name=staged.name,
        mapping=mapping,
        source_id=source_id,
    )


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: WebUser,
    uow: UoW,
    services: Svc,
    actor: Annotated[str, Query(max_length=200)] = "",
    action: Annotated[str, Query(max_length=40)] = "",
    target: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    query = AuditQuery(actor or None, action or None, target or None, limit=200)
    entries = audit_search(uow.conn, user, query, clock=services.clock)
    return page(request, "audit.html", user, entries=entries, query=query, actions=AUDIT_ACTIONS)


def _users_page(
    request: Request, user: WebUser, uow: UoW, *, created: bool = False
) -> HTMLResponse:
    return page(
        request,
        "users.html",
        user,
        users=admin.users(uow.conn, user),
        agencies=admin.agencies(uow.conn, user),
        roles=sorted(load_roles().roles),
        created=created,
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, user: WebUser, uow: UoW) -> HTMLResponse:
    return _users_page(request, user, uow)


@router.post("/admin/users", response_class=HTMLResponse)
def users_add(
    request: Request,
    user: FormUser,
    uow: UoW,
    services: Svc,
    username: Annotated[str, Form(max_length=200)],
    agency_id: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1000)],
    roles: Annotated[list[str], Form()],
    full_name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    new = NewUser(username, agency_id, frozenset(roles), password, full_name or None)
    admin.create_user(uow.conn, user, new, demo=services.settings.demo, clock=services.clock)
    return _users_page(request, user, uow, created=True)


@router.post("/admin/users/active")
def users_active(
    user: FormUser,
    uow: UoW,
    services: Svc,
    username: Annotated[str, Form(max_length=200)],
    active: Annotated[bool, Form()],
) -> Response:
    admin.set_user_active(uow.conn, user, username, active, clock=services.clock)
    return RedirectResponse("/admin/users", status_code=303)


__all__ = ["router"]
