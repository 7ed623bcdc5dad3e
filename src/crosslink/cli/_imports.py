"""crosslink source … and crosslink import."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from crosslink.access import load_subject
from crosslink.cli._context import state
from crosslink.cli._output import print_table
from crosslink.errors import ReaderError
from crosslink.ingest import (
    ImportClock,
    ImportRequest,
    ImportSummary,
    auto_workers,
    import_file,
    load_mapping,
)
from crosslink.ingest.limits import InputLimits
from crosslink.store.sources import Source, add_source, list_sources

_DRY_RUN = "dry run: nothing was written"


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def register(app: typer.Typer) -> None:
    source_app = typer.Typer(
        help="Partners' datasets: jurisdiction, handling code, grading.", no_args_is_help=True
    )
    source_app.command("add")(source_add)
    source_app.command("list")(source_list)
    app.add_typer(source_app, name="source")
    app.command("import")(import_command)


def source_add(
    ctx: typer.Context,
    source_id: str = typer.Argument(..., help="Short id, e.g. be-fedpol-reports."),
    agency: str = typer.Option(..., help="The agency that provides the data."),
    dataset: str = typer.Option(..., help="What the dataset is."),
    jurisdiction: str = typer.Option(..., help="Country of the agency (BE, NL, FR, DE, GB …)."),
    region: str = typer.Option(None, help="Default region for phones and plates."),
    handling: str = typer.Option("H0", help="Default Europol handling code (H0–H3)."),
    conditions: str = typer.Option(None, help="H3 conditions, in free text."),
    grading: str = typer.Option("europol", help="Grading system: europol (4x4) or uk (3x5x2)."),
    source_grade: str = typer.Option("X", help="Default source reliability grade."),
    info_grade: str = typer.Option("4", help="Default information grade."),
) -> None:
    """Register a partner's dataset as a source of files."""
    if grading not in {"europol", "uk"}:
        raise typer.BadParameter("grading must be 'europol' or 'uk'")
    store = state(ctx).store()
    with store.transaction() as conn:
        added = add_source(
            conn,
            Source(
                id=source_id,
                agency=agency,
                dataset=dataset,
                jurisdiction=jurisdiction,
                default_region=region,
                handling_code=handling,
                handling_conditions=conditions,
                grading_system=grading,  # type: ignore[arg-type]
                source_grade=source_grade,
                info_grade=info_grade,
            ),
        )
    typer.echo(
        f"source {added.id} added ({added.agency}, {added.jurisdiction}, "
        f"{added.handling_code}, {added.source_grade}{added.info_grade})"
    )


def source_list(ctx: typer.Context) -> None:
    """List the registered sources."""
    with state(ctx).store().transaction() as conn:
        found = list_sources(conn)
    headers = ["id", "agency", "dataset", "jurisdiction", "region", "handling", "grading"]
    print_table(
        headers,
        [
            [
                s.id,
                s.agency,
                s.dataset,
                s.jurisdiction,
                s.default_region or "",
                s.handling_code,
                f"{s.grading_system} {s.source_grade}{s.info_grade}",
            ]
            for s in found
        ],
    )


def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The partner's file (CSV, XLSX, JSON, JSONL, FtM)."),
    mapping: str = typer.Option(..., "--mapping", "-m", help="Bundled mapping name or YAML path."),
    source: str = typer.Option(..., "--source", "-s", help="Id of the source the file is from."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Any rejected row aborts the batch."),
    user: str = typer.Option("cli", help="Who imports (recorded on the batch)."),
    as_user: str = typer.Option(None, "--as", envvar="CROSSLINK_AS", help="Crosslink user."),
) -> None:
    """Validate every row of a file and import it as one batch (all or nothing)."""
    if not file.is_file():
        raise ReaderError("no such file", file=str(file))
    store = state(ctx).store()
    with store.transaction() as conn:
        subject = load_subject(conn, as_user) if as_user else None
    request = ImportRequest(
        path=file,
        mapping=load_mapping(mapping),
        source_id=source,
        imported_by=user,
        strict=strict,
        chunk_size=state(ctx).settings.import_chunk_size,
        workers=auto_workers(file, state(ctx).settings.import_workers),
        subject=subject,
        limits=InputLimits.from_settings(state(ctx).settings),
    )
    summary: ImportSummary | None = None
    clock = ImportClock()

    def advance(done: int, total: int, rows: int) -> None:
        bar.update(task, completed=done, line=str(clock.line(done, total, rows)))

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TextColumn("{task.fields[line]}"),
        transient=True,
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(file.name, total=file.stat().st_size, line="")
        try:
            with store.transaction() as conn:
                summary = import_file(conn, request, advance)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    assert summary is not None
    print_summary(summary, dry_run=dry_run)


def print_summary(summary: ImportSummary, *, dry_run: bool = False) -> None:
    if summary.duplicate_of is not None:
        typer.echo(
            f"{summary.file}: already imported as batch {summary.duplicate_of}; nothing added"
        )
        return
    for issue in summary.issues:
        where = f"{summary.file}, row {issue.row}"
        if issue.column:
            where += f", column {issue.column!r}"
        value = f", value {issue.value!r}" if issue.value is not None else ""
        typer.echo(f"{issue.severity}: {where}{value}: {issue.reason}", err=True)
    shown = len(summary.issues)
    total = summary.rows_rejected + summary.warnings
    if total > shown:
        typer.echo(f"… and more: see `crosslink rejections {summary.batch_id}`", err=True)
    if summary.unknown_columns:
        typer.echo(
            f"note: columns not in the mapping: {', '.join(summary.unknown_columns)}", err=True
        )
    label = _DRY_RUN if dry_run else f"batch {summary.batch_id}"
    typer.echo(
        f"{summary.file}: {label}: {summary.rows_read} rows read, {summary.rows_rejected} "
        f"rejected, {summary.warnings} warnings; {summary.records_added} records added, "
        f"{summary.records_existing} already known, {summary.links_added} links added "
        f"({summary.seconds:.1f} s, {summary.rows_per_second:,.0f} rows/s)"
    )
