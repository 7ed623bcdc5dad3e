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
from crosslink.store.dialect import (
    BUSY_TIMEOUT_MS,
    begin_immediately,
    is_busy,
    is_sqlite,
    make_engine,
)

log = logging.getLogger(__name__)


class Store:
    """Crosslink's transactional store.

    Library functions take a :class:`~sqlalchemy.Connection` and never commit; the caller
    decides where a unit of work begins and ends with :meth:`transaction`.
    """

    def __init__(self, engine: Engine, *, write_wait: float = 600.0) -> None:
        self.engine = engine
        self.write_wait = write_wait
        """Seconds :meth:`transaction` queues behind another writer (SQLite) before it gives
        up with one clear line."""

    @classmethod
    def open(cls, settings: Settings) -> Store:
        if not settings.database_url:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(make_engine(settings.store_url), write_wait=settings.write_wait_seconds)

    @classmethod
    def from_url(cls, url: str) -> Store:
        return cls(make_engine(url))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed when the block ends, rolled back if it raises.

        On SQLite it holds the write lock from its start, so two imports at once queue (for
        :attr:`write_wait` seconds at most) instead of one failing when it first writes.
        """
        try:
            conn = self.engine.connect()
        except OperationalError as exc:
            raise ServiceUnavailable(f"cannot reach the database: {exc.orig}") from exc
        try:
            begin_immediately(conn)
            self._begin(conn)
            yield conn
            conn.commit()
        except OperationalError as exc:
            conn.rollback()
            if is_busy(exc):
                raise ServiceUnavailable(
                    "the store is busy with another write (an import?); try again when it ends"
                ) from exc
            raise
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _begin(self, conn: Connection) -> None:
        """Begin, telling the user when another writer holds the store (SQLite) and waiting."""
        if not is_sqlite(self.engine):
            conn.begin()
            return
        # On the DBAPI connection: a statement through ``conn`` would begin the transaction.
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        dbapi.execute("PRAGMA busy_timeout=1000")
        try:
            conn.begin()
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            conn.rollback()
            log.warning("another write holds the store; waiting up to %.0f s", self.write_wait)
            dbapi.execute(f"PRAGMA busy_timeout={int(self.write_wait * 1000)}")
            conn.begin()
        finally:
            # The waits above are for the write lock; the statements of the unit of work wait
            # as every connection's do (not one second: a reader's WAL recovery takes longer).
            dbapi.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

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
