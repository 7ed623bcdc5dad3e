"""The command line: parse arguments, call the library, print results. Nothing more."""

from __future__ import annotations

import logging
import sys

import typer

from crosslink.cli import (
    _access,
    _cases,
    _data,
    _demo,
    _entities,
    _exchange,
    _fingerprints,
    _imports,
    _network,
    _referral,
    _resolve,
    _screen,
    _serve,
    _stats,
    _workbench,
)
from crosslink.cli._context import build_state
from crosslink.errors import CrosslinkError

app = typer.Typer(
    name="crosslink",
    help="Crosslink: cross-border analysis against trafficking and smuggling networks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: str = typer.Option(
        None, help="Data directory (default: ./data or $CROSSLINK_DATA_DIR)."
    ),
    database_url: str = typer.Option(None, help="Database URL (default: SQLite in the data dir)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens."),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    build_state(ctx, data_dir=data_dir, database_url=database_url)


_imports.register(app)
_data.register(app)
_demo.register(app)
_access.register(app)
_cases.register(app)
_resolve.register(app)
_serve.register(app)
_network.register(app)
_fingerprints.register(app)
_entities.register(app)
_screen.register(app)
_stats.register(app)
_referral.register(app)
_exchange.register(app)
_workbench.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: a user's mistake gets one line on stderr and exit code 1, no traceback."""
    try:
        code = app(args=argv, standalone_mode=False, prog_name="crosslink")
    except CrosslinkError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    except typer.TyperException as exc:  # usage errors from the vendored click
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc.format_message()}", err=True)
        raise SystemExit(exc.exit_code) from None
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        raise SystemExit(130) from None
    except OSError as exc:
        typer.echo(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), err=True)
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
