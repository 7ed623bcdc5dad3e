"""``create_app(settings)``: the JSON API under ``/api/v1`` and the web pages, in one app.

Configuration is passed in; nothing is read from the environment here. The store is opened
(and migrated) when the app is created, never at import.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from crosslink.access import Clock, IdentityProvider, LocalPasswordProvider, SystemClock
from crosslink.access.uploads import sweep_uploads
from crosslink.api import entities, network, problems, referral, stats, v1, v1_admin
from crosslink.api.bodies import BoundedBodies
from crosslink.api.deps import Services
from crosslink.api.headers import SecurityHeaders
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.dialect import share_across_threads

API_VERSION = "1"


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    clock: Clock | None = None,
    identity: IdentityProvider | None = None,
) -> FastAPI:
    """The Crosslink web service for ``settings`` (a given ``store`` is used as it is)."""
    from crosslink.web import router as web_router
    from crosslink.web.render import error_page

    if store is None:
        store = Store.open(settings)
        store.migrate()
    share_across_threads(store.engine)
    sqlite = store.engine.dialect.name == "sqlite"
    # An idle connection held open keeps SQLite from checkpointing its WAL each time a
    # request's connection closes (the store opens one per unit of work).
    app_keeper = store.engine.connect() if sqlite else None
    app = FastAPI(
        title="Crosslink",
        version=API_VERSION,
        summary="Cross-border analysis against trafficking and smuggling networks.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.sqlite_keeper = app_keeper
    app.state.services = Services(
        settings=settings,
        store=store,
        clock=clock or SystemClock(),
        identity=identity or LocalPasswordProvider(),
    )
    # Staged uploads left by a crash or abandoned hold personal data: gone before serving.
    sweep_uploads(app.state.services.upload_dir, dt.timedelta(minutes=settings.upload_keep_minutes))
    problems.install(app, error_page)
    app.add_middleware(BoundedBodies)
    app.add_middleware(SecurityHeaders)  # added late: outer, so refusals get it too
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    if proxies:
        # The client address (login audit, rate limits) comes from X-Forwarded-For only when
        # the peer is a configured proxy; uvicorn's own trust is off (`crosslink serve`).
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    app.include_router(entities.router)  # before v1's /entities/{ref}
    app.include_router(v1.router)
    app.include_router(v1_admin.router)
    app.include_router(referral.router)
    app.include_router(network.router)
    app.include_router(stats.router)
    app.include_router(web_router)
    static = Path(str(resources.files("crosslink.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema, with problem responses under ``application/problem+json`` only."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
    )
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                if code.startswith(("4", "5")):
                    response["content"] = {problems.PROBLEM_TYPE: {"schema": problem_ref}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    app.openapi_schema = schema
    return schema
