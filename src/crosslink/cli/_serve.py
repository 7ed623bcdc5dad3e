"""crosslink serve: the web pages and the JSON API (uvicorn running ``create_app``).

With several workers (``--workers`` / ``CROSSLINK_WEB_WORKERS``, PostgreSQL only) uvicorn
starts that many processes, each building its app with :func:`app_from_environment` from the
settings this command hands down in the environment; the store is migrated once, here, before
they start. SQLite keeps one process: its unit of work is serialised by a lock inside the
process, and a second process would meet "database is locked" instead of waiting.
"""

from __future__ import annotations

import logging
import os

import typer
from fastapi import FastAPI

from crosslink.cli._context import state
from crosslink.settings import Settings

log = logging.getLogger(__name__)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def app_from_environment() -> FastAPI:
    """The app of one worker process: settings from the environment, the store as migrated."""
    from crosslink.api import create_app
    from crosslink.store import Store

    settings = Settings()
    return create_app(settings, store=Store.open(settings))


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option(None, help="Address to listen on (default: $CROSSLINK_HOST)."),
    port: int = typer.Option(None, help="Port (default: $CROSSLINK_PORT); 0 picks a free one."),
    workers: int = typer.Option(
        None, min=1, max=64, help="Processes (PostgreSQL; default: $CROSSLINK_WEB_WORKERS)."
    ),
    demo_accounts: bool = typer.Option(
        True, help="In demo mode, create the demo accounts (one per role) and print them."
    ),
) -> None:
    """Serve the analysts' workbench (web pages and /api/v1) until interrupted."""
    import uvicorn

    from crosslink.access.passwords import DEMO_PASSWORD
    from crosslink.api import create_app
    from crosslink.api.demo import ensure_demo_accounts

    cli = state(ctx)
    settings = cli.settings
    store = cli.store()
    if settings.demo and demo_accounts:
        with store.transaction() as conn:
            accounts = ensure_demo_accounts(conn, demo=True)
        typer.echo("demo accounts (password: " + DEMO_PASSWORD + "):")
        for account in accounts:
            typer.echo(f"  {account.username:<14} {account.role:<20} {account.agency_id}")
    bind_host = host or settings.host
    bind_port = settings.port if port is None else port
    processes = _processes(settings, workers, sqlite=store.engine.dialect.name == "sqlite")
    typer.echo(f"Crosslink on http://{bind_host}:{bind_port}/ (Ctrl-C stops)")
    options = {
        "host": bind_host,
        "port": bind_port,
        "access_log": False,
        "log_level": "warning",
        "proxy_headers": False,  # create_app trusts only CROSSLINK_TRUSTED_PROXIES
    }
    if processes == 1:
        uvicorn.run(create_app(settings, store=store), **options)  # type: ignore[arg-type]
        return
    store.dispose()  # each worker opens its own engine; none is inherited
    # The workers rebuild Settings from the environment: hand down what the command line set.
    os.environ["CROSSLINK_DATA_DIR"] = str(settings.data_dir)
    os.environ["CROSSLINK_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "crosslink.cli._serve:app_from_environment",
        factory=True,
        workers=processes,
        **options,  # type: ignore[arg-type]
    )


def _processes(settings: Settings, workers: int | None, *, sqlite: bool) -> int:
    wanted = settings.web_workers if workers is None else workers
    if sqlite and wanted > 1:
        log.warning("SQLite: serving with one process, not %d (set a PostgreSQL URL)", wanted)
        return 1
    return wanted
