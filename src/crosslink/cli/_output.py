"""Tables for people at a terminal, tab-separated lines for scripts and pipes."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer
from rich.console import Console
from rich.table import Table


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    if sys.stdout.isatty():
        table = Table(*headers)
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    typer.echo("\t".join(headers))
    for row in rows:
        typer.echo("\t".join(cell.replace("\t", " ") for cell in row))
