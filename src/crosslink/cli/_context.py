"""Settings and store for one CLI invocation, kept on click's context object."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import typer
from pydantic import ValidationError

from crosslink.errors import ConfigurationError
from crosslink.settings import Settings
from crosslink.store import Store


@dataclass
class CliState:
    settings: Settings
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The store, migrated to the current schema (idempotent)."""
        if self._store is None:
            self._store = Store.open(self.settings)
            self._store.migrate()
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
            self._store = None


def build_state(ctx: typer.Context, *, data_dir: str | None, database_url: str | None) -> None:
    overrides: dict[str, object] = {}
    if data_dir:
        overrides["data_dir"] = Path(data_dir)
    if database_url:
        overrides["database_url"] = database_url
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigurationError(f"invalid settings: {exc.errors()[0]['msg']}") from exc
    state = CliState(settings)
    ctx.obj = state
    ctx.call_on_close(state.close)


def state(ctx: typer.Context) -> CliState:
    found = ctx.find_root().obj
    if not isinstance(found, CliState):
        raise ConfigurationError("the CLI state was not built")
    return found
