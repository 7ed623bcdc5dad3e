"""``GET /api/v1/entities/export``: resolution's result, record by record, as CSV or Parquet.

The route parses and answers; :mod:`crosslink.exchange.entities` decides, reads and logs.
It is mounted before the records router, whose ``/entities/{ref}`` would take ``export``
for an entity id.
"""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query, Response

from crosslink.access import Subject
from crosslink.api.deps import UoW, api_user
from crosslink.api.v1 import problems
from crosslink.errors import AccessDenied
from crosslink.exchange import EntityExportRequest, export_entities
from crosslink.exchange.entities import FORMATS, MEDIA_TYPES

router = APIRouter(prefix="/api/v1", responses=problems(401, 403, 422, 500, 503))

ExportUser = Annotated[Subject, api_user("records:export")]


@router.get(
    "/entities/export",
    response_class=Response,
    responses={
        200: {
            "content": {media: {} for media in MEDIA_TYPES.values()},
            "description": "entity_id, entity_type, record_uid, source_id, source_key, "
            "file, row, confidence: one row per record",
        }
    },
)
def export_entities_route(
    user: ExportUser,
    uow: UoW,
    entity_type: Annotated[str, Query(alias="type", min_length=1, max_length=40)],
    justification: Annotated[
        str, Query(max_length=1000, description="Why the data leaves (LED art. 25).")
    ] = "",
    fmt: Annotated[str, Query(alias="format", pattern="^(" + "|".join(FORMATS) + ")$")] = "csv",
    recipient: Annotated[list[str] | None, Query(max_length=200)] = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Every resolved record of a type you may export: its entity, the source's own key and
    the record's confidence in its entity. The disclosure is audited; so is a refusal."""
    request = EntityExportRequest(
        user, entity_type, justification, tuple(recipient or ()), source, fmt
    )
    out = io.BytesIO()
    try:
        export_entities(uow.conn, out, request)
    except AccessDenied:
        uow.commit()  # the refusal's audit entry stays
        raise
    name = f"entities-{entity_type}.{fmt}"
    return Response(
        out.getvalue(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
