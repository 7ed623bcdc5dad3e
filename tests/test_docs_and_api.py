"""Docs that fail when stale, and a public API that changes only by decision."""

from __future__ import annotations

from pathlib import Path

import typer.core
import typer.main

import crosslink
from crosslink.cli import app
from crosslink.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _docs() -> str:
    parts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in parts)


def _commands(group: typer.core.TyperGroup, prefix: str = "crosslink") -> list[str]:
    found: list[str] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, typer.core.TyperGroup):
            found.extend(_commands(command, path))
        else:
            found.append(path)
    return found


def test_every_cli_command_is_documented() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, typer.core.TyperGroup)
    commands = _commands(root)
    assert "crosslink import" in commands
    docs = _docs()
    missing = [c for c in commands if c not in docs]
    assert missing == []


def test_every_setting_is_documented() -> None:
    docs = _docs()
    missing = [
        f"CROSSLINK_{name.upper()}"
        for name in Settings.model_fields
        if f"CROSSLINK_{name.upper()}" not in docs
    ]
    assert missing == []


def test_the_public_api_is_a_decision() -> None:
    assert sorted(crosslink.__all__) == ["CrosslinkError", "Settings", "__version__"]
