"""The store: an engine, migrations, and transactions owned by the caller."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import OperationalError

from crosslink.errors import ServiceUnavailable
from crosslink.settings import Settings
from crosslink.store.dialect import make_engine

log = logging.getLogger(__name__)


class Store:
    """Crosslink's transactional store.

    Library functions take a :class:`~sqlalchemy.Connection` and never commit; the caller
    decides where a unit of work begins and ends with :meth:`transaction`.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, settings: Settings) -> Store:
        if not settings.database_url:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(make_engine(settings.store_url))

    @classmethod
    def from_url(cls, url: str) -> Store:
        return cls(make_engine(url))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        try:
            ctx = self.engine.begin()
            conn = ctx.__enter__()
        except OperationalError as exc:
            raise ServiceUnavailable(f"cannot reach the database: {exc.orig}") from exc
        try:
            yield conn
        except BaseException as exc:
            ctx.__exit__(type(exc), exc, exc.__traceback__)
            raise
        ctx.__exit__(None, None, None)

    def alembic_config(self, connection: Connection | None = None) -> Config:
        config = Config()
        location = resources.files("crosslink.store").joinpath("migrations")
        config.set_main_option("script_location", str(Path(str(location))))
        config.attributes["connection"] = connection
        return config

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema up to ``revision`` (idempotent)."""
        with self.transaction() as conn:
            command.upgrade(self.alembic_config(conn), revision)

    def is_initialised(self) -> bool:
        with self.engine.connect() as conn:
            return inspect(conn).has_table("records")

    def dispose(self) -> None:
        self.engine.dispose()
