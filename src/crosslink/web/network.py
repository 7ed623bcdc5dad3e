"""The network pages: the list of networks (``/networks``) and an actor's ego network as an
interactive link chart (``/network/{ref}``).

The page renders the first view on the server (so a missing justification gets the usual
prompt, and an unknown subject the usual error page) and hands it to ``static/network.js`` as
JSON in a data attribute — autoescaped, never marked safe, and no inline script (CSP).
Expanding a node fetches that node's ego network from the JSON API
(``/api/v1/network/{id}``); the date range and the radius are a plain form that reloads the
page.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from crosslink.api import schemas
from crosslink.api.deps import Svc, UoW, WebUser
from crosslink.api.network import MAX_HOPS, EgoQuery, ego_view
from crosslink.graph import InvalidGraphOption
from crosslink.graph.cache import cache_dir, shared_cache
from crosslink.graph.listing import list_networks
from crosslink.web.labels import EN
from crosslink.web.render import justification, page

router = APIRouter(include_in_schema=False)

# The texts network.js writes itself (evidence, counts, errors): handed over with the data.
SCRIPT_LABELS = {key: text for key, text in EN.items() if key.startswith("network.")}


def _day(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidGraphOption(f"not a date (YYYY-MM-DD): {text!r}") from None


@router.get("/network/{ref}", response_class=HTMLResponse)
def network_page(
    request: Request,
    user: WebUser,
    uow: UoW,
    services: Svc,
    ref: Annotated[str, Path(max_length=64)],
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 1,
    start: Annotated[str, Query(max_length=10)] = "",
    end: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    query = EgoQuery(ref, hops, start=_day(start), end=_day(end))
    view = ego_view(
        uow.conn,
        user,
        query,
        justification=justification(request),
        clock=services.clock,
        cache=shared_cache(cache_dir(services.settings.data_dir), services.store),
    )
    data = schemas.NetworkOut.model_validate(view).model_dump_json()
    return page(
        request,
        "network.html",
        user,
        view=view,
        data=data,
        script_labels=json.dumps(SCRIPT_LABELS),
        hops=hops,
        max_hops=MAX_HOPS,
        start=query.start.isoformat() if query.start else "",
        end=query.end.isoformat() if query.end else "",
    )


@router.get("/networks", response_class=HTMLResponse)
def networks_page(request: Request, user: WebUser, uow: UoW, services: Svc) -> HTMLResponse:
    """The networks the user may see, largest first, each opening on its first key player."""
    listing = list_networks(
        uow.conn,
        user,
        shared_cache(cache_dir(services.settings.data_dir), services.store),
        justification=justification(request),
        clock=services.clock,
    )
    return page(request, "networks.html", user, rows=listing.rows, total=len(listing.detected))
