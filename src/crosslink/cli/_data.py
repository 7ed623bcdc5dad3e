"""crosslink batches, rejections, mappings, model, export."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from sqlalchemy import select

from crosslink.access import Event, append
from crosslink.access.consult import authorize_import
from crosslink.cli._access import AS_USER, who
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import NotFound
from crosslink.exchange import ExportRequest, export_values_csv
from crosslink.ingest import bundled_mappings
from crosslink.model import load_model
from crosslink.store.schema import batches, rejections


def register(app: typer.Typer) -> None:
    app.command("batches")(batches_command)
    app.command("rejections")(rejections_command)
    app.command("mappings")(mappings_command)
    app.command("model")(model_command)
    app.command("export")(export_command)


def batches_command(ctx: typer.Context) -> None:
    """List import batches with their counts."""
    with state(ctx).store().transaction() as conn:
        rows = conn.execute(select(batches).order_by(batches.c.id)).mappings().all()
    headers = [
        "batch",
        "source",
        "file",
        "mapping",
        "rows",
        "rejected",
        "records",
        "links",
        "by",
        "finished",
    ]
    print_table(
        headers,
        [
            [
                str(r["id"]),
                r["source_id"],
                r["file_name"],
                r["mapping"],
                str(r["rows_read"]),
                str(r["rows_rejected"]),
                str(r["records_added"]),
                str(r["links_added"]),
                r["imported_by"],
                r["finished_at"].strftime("%Y-%m-%d %H:%M"),
            ]
            for r in rows
        ],
    )


def rejections_command(
    ctx: typer.Context,
    batch: int = typer.Argument(..., help="Batch id."),
    errors_only: bool = typer.Option(False, "--errors", help="Only rejected rows, no warnings."),
    as_user: str = AS_USER,
) -> None:
    """Every rejected row and warning of a batch: row, column, value and reason (for those
    who may import into its source; logged)."""
    with state(ctx).store().transaction() as conn:
        subject = who(conn, as_user, "read rejected rows")
        batch_row = conn.execute(
            select(batches.c.file_name, batches.c.source_id).where(batches.c.id == batch)
        ).first()
        if batch_row is None:
            raise NotFound(f"no batch {batch}")
        # The rejected values are what a partner sent: shown to those who import it.
        authorize_import(conn, subject, batch_row.source_id)
        found = batch_row.file_name
        query = select(rejections).where(rejections.c.batch_id == batch)
        if errors_only:
            query = query.where(rejections.c.severity == "error")
        rows = list(
            conn.execute(query.order_by(rejections.c.row_number, rejections.c.id)).mappings()
        )
        target = {"batch": batch, "rejections": len(rows)}
        append(conn, subject, Event("consultation", target))
        for r in rows:
            column = f", column {r['column']!r}" if r["column"] else ""
            value = f", value {r['value']!r}" if r["value"] is not None else ""
            typer.echo(
                f"{r['severity']}: {found}, row {r['row_number']}{column}{value}: {r['reason']}"
            )


def mappings_command() -> None:
    """List the mappings bundled with Crosslink."""
    for name, description in bundled_mappings().items():
        typer.echo(f"{name}: {description}")


def model_command(
    entity: str = typer.Argument(None, help="An entity type to show in full."),
) -> None:
    """Show the data model: entity types, link types and category lists."""
    model = load_model()
    if entity:
        spec = model.entity(entity)
        typer.echo(f"{entity}: {spec.label}")
        for name, prop in spec.properties.items():
            kind = prop.type or f"category {prop.category}"
            flags = " ".join(f for f, on in (("match", prop.match), ("key", prop.key)) if on)
            typer.echo(f"  {name} ({kind}) {prop.label} {flags}".rstrip())
        return
    typer.echo("entity types: " + ", ".join(model.entities))
    typer.echo("link types: " + ", ".join(model.links))
    typer.echo("categories: " + ", ".join(model.categories))


def export_command(
    ctx: typer.Context,
    out: Path = typer.Option(None, "--out", "-o", help="CSV file to write (default: stdout)."),
    source: str = typer.Option(None, help="Only this source's records."),
    justification: str = typer.Option(..., help="Why the data leaves (LED art. 25)."),
    recipient: list[str] = typer.Option([], help="Who receives it (repeatable)."),
    as_user: str = AS_USER,
) -> None:
    """Export the values of the records you may export, as CSV with formulas disarmed; the
    disclosure is audited."""
    with state(ctx).store().transaction() as conn:
        request = ExportRequest(
            who(conn, as_user, "export"), justification, tuple(recipient), source
        )
        if out is None:
            count = export_values_csv(conn, sys.stdout, request)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                count = export_values_csv(conn, handle, request)
    typer.echo(f"{count} values exported", err=True)
