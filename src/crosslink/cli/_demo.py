"""crosslink demo … (the synthetic world arrives with the demo package)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
