"""crosslink entities export: resolution's result, record by record."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.errors import AccessDenied, InvalidValue
from crosslink.exchange import EntityExportRequest, read_entities, write_entities

entities_app = typer.Typer(
    help="Resolved entities: which entity each source record belongs to.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(entities_app, name="entities")


@entities_app.command("export")
def export_command(
    ctx: typer.Context,
    entity_type: str = typer.Option(..., "--type", "-t", help="Person, Organisation, …"),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv or parquet."),
    out: Path = typer.Option(
        None, "--out", "-o", help="File to write (default: stdout, for CSV only)."
    ),
    justification: str = typer.Option(..., help="Why the data leaves (LED art. 25)."),
    recipient: list[str] = typer.Option([], help="Who receives it (repeatable)."),
    source: str = typer.Option(None, help="Only this source's records."),
    as_user: str = AS_USER,
) -> None:
    """Export entity id, record uid, source, the source's own key, file, row and confidence
    of every resolved record of a type you may export; the disclosure is audited."""
    if out is None and fmt == "parquet":
        raise InvalidValue("Parquet is binary: say where to write it with --out FILE")
    refused: AccessDenied | None = None
    with state(ctx).store().transaction() as conn:
        request = EntityExportRequest(
            who(conn, as_user, "export"),
            entity_type,
            justification,
            tuple(recipient),
            source,
            fmt,
        )
        try:
            table = read_entities(conn, request)
        except AccessDenied as exc:
            refused = exc  # its ``denied`` entry is committed with the transaction
        else:
            if out is None:
                write_entities(table, sys.stdout.buffer, fmt)
                sys.stdout.flush()
            else:
                with out.open("wb") as handle:
                    write_entities(table, handle, fmt)
    if refused is not None:
        raise refused
    typer.echo(f"{table.num_rows} records exported", err=True)
