"""crosslink demo generate | load: the synthetic world with a hidden truth."""

from __future__ import annotations

from pathlib import Path

import typer

from crosslink.cli._context import state
from crosslink.cli._imports import print_summary
from crosslink.demo import LoadedFile, WorldConfig, generate_world, load_world


def register(app: typer.Typer) -> None:
    demo_app = typer.Typer(
        help="The synthetic demo world: generate it, load it.", no_args_is_help=True
    )
    demo_app.command("generate")(generate_command)
    demo_app.command("load")(load_command)
    app.add_typer(demo_app, name="demo")


def generate_command(
    seed: int = typer.Option(1, help="Seed: the same seed gives the same files, byte for byte."),
    scale: int = typer.Option(2000, help="Number of source records (rows) wanted, 100 or more."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the world to."),
) -> None:
    """Generate partner files, ground truth and a manifest for one world."""
    manifest = generate_world(WorldConfig(seed=seed, scale=scale), out)
    for entry in manifest.files:
        typer.echo(
            f"{entry.file}: {entry.rows} rows (mapping {entry.mapping}, source {entry.source})"
        )
    typer.echo(f"{manifest.records} records in {out / 'partners'}; ground truth in {out / 'truth'}")


def load_command(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="A folder written by `crosslink demo generate`."),
) -> None:
    """Register the demo sources and import every partner file of a generated world."""
    store = state(ctx).store()

    def show(result: LoadedFile) -> None:
        print_summary(result.summary)

    with store.transaction() as conn:
        load_world(conn, folder, chunk_size=state(ctx).settings.import_chunk_size, on_file=show)
