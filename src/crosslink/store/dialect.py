"""Everything that differs between SQLite and PostgreSQL lives here, and only here."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from crosslink.errors import ConfigurationError

log = logging.getLogger(__name__)

# SQLite and psycopg both accept thousands of bound parameters; keep IN lists well below
# SQLite's historical limit of 999 variables so every build works.
MAX_IN_PARAMS = 900


def normalise_url(url: str) -> str:
    """Accept the URLs people type and turn them into ones SQLAlchemy drives with our drivers."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"not a database URL: {url!r}") from exc
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work during an import; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Record uids are content hashes, so index inserts land at random pages: a larger page
    # cache (64 MiB, the default is 2 MiB) keeps big imports from thrashing.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings each backend needs."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take it over so a failed batch
        # rolls back everything, DDL included.
        event.listen(engine, "connect", _disable_pysqlite_begin)
        event.listen(engine, "begin", _emit_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    log.debug("engine for %s", engine.url.render_as_string(hide_password=True))
    return engine


def _disable_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _emit_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def share_across_threads(engine: Engine) -> None:
    """Let a SQLite connection opened in one thread be used and closed in another (a web
    server's thread pool runs each step of a request anywhere; never two at once). PostgreSQL
    connections need nothing."""
    if engine.dialect.name != "sqlite":
        return

    def _connect(_dialect: Any, _record: Any, _args: Any, kwargs: dict[str, Any]) -> None:
        kwargs["check_same_thread"] = False

    event.listen(engine, "do_connect", _connect)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows, tuples in the order of ``columns``, as fast as the backend allows:
    ``executemany`` on SQLite, ``COPY`` on PostgreSQL. Runs in the caller's transaction.
    """
    if not rows:
        return
    unknown = set(columns) - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name} has no columns {sorted(unknown)}")
    driver = conn.connection.driver_connection
    quoted = ", ".join(f'"{n}"' for n in columns)
    if conn.dialect.name == "sqlite":
        rows = _sqlite_values(conn, table, columns, rows)
        marks = ", ".join("?" for _ in columns)
        # Names come from the declared schema (checked above), never from input.
        statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'  # noqa: S608
        cursor = driver.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(statement, rows)
        finally:
            cursor.close()
        return
    with (
        driver.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _sqlite_values(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Sequence[Sequence[Any]]:
    """Values as SQLAlchemy itself would bind them (datetimes as its text format), so that
    reading back through SQLAlchemy gives the same Python values. Memoised: a batch shares
    one timestamp."""
    processors = [table.c[name].type.bind_processor(conn.dialect) for name in columns]
    if not any(processors):
        return rows
    memo: dict[tuple[int, Any], Any] = {}

    def bind(i: int, value: Any) -> Any:
        processor = processors[i]
        if processor is None or value is None:
            return value
        key = (i, value)
        if key not in memo:
            memo[key] = processor(value)
        return memo[key]

    return [tuple(bind(i, v) for i, v in enumerate(row)) for row in rows]
