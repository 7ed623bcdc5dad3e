"""crosslink serve: the web pages and the JSON API (uvicorn running ``create_app``)."""

from __future__ import annotations

import typer

from crosslink.cli._context import state


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option(None, help="Address to listen on (default: $CROSSLINK_HOST)."),
    port: int = typer.Option(None, help="Port (default: $CROSSLINK_PORT); 0 picks a free one."),
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
    typer.echo(f"Crosslink on http://{bind_host}:{bind_port}/ (Ctrl-C stops)")
    uvicorn.run(
        create_app(settings, store=store),
        host=bind_host,
        port=bind_port,
        access_log=False,
        log_level="warning",
    )
