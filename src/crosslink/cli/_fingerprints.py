"""crosslink fingerprints recompute."""

from __future__ import annotations

import typer

from crosslink.cli._context import state


def register(app: typer.Typer) -> None:
    fingerprints_app = typer.Typer(
        help="Stored fingerprints (the keys search and blocking read).", no_args_is_help=True
    )
    fingerprints_app.command("recompute")(recompute_command)
    app.add_typer(fingerprints_app, name="fingerprints")


def recompute_command(
    ctx: typer.Context,
    value_type: list[str] = typer.Option(
        None, "--type", help="Value types to recompute (default: name)."
    ),
) -> None:
    """Recompute stored fingerprints with the code in force (run after an upgrade that
    changes how names are fingerprinted)."""
    from crosslink.store.fingerprints import recompute_fingerprints

    with state(ctx).store().transaction() as conn:
        summary = recompute_fingerprints(conn, tuple(value_type) if value_type else ("name",))
    typer.echo(f"{summary.checked} values checked, {summary.changed} fingerprints changed")
