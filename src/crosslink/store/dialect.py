"""Everything that differs between SQLite and PostgreSQL lives here, and only here."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from crosslink.errors import ConfigurationError

log = logging.getLogger(__name__)

# SQLite and psycopg both accept thousands of bound parameters; keep IN lists well below
# SQLite's historical limit of 999 variables so every build works.
MAX_IN_PARAMS = 900
BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite statement waits for a lock another connection holds (a reader on WAL
recovery, say); :meth:`crosslink.store.Store.transaction` waits longer for the write lock."""


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
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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
    event.listen(engine, "before_cursor_execute", _short_writes)
    log.debug("engine for %s", engine.url.render_as_string(hide_password=True))
    return engine


def _disable_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _emit_begin(conn: Any) -> None:
    conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))


# Execution options belong to one Connection object (a pooled DBAPI connection's ``info``
# outlives it); the short-writes state is reset each time the option is set.
_BEGIN = "crosslink_begin"
_SHORT = "crosslink_short_writes"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def begin_immediately(conn: Connection) -> None:
    """SQLite: the transactions of ``conn`` take the write lock at BEGIN, waiting for it
    (busy timeout). A deferred transaction that read before another committed cannot take
    the lock later: it fails at once ("database is locked") instead of queueing. For units
    of work that read, then write what they read (imports, forms). PostgreSQL: nothing."""
    if is_sqlite(conn.engine):
        conn.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})


def short_writes(conn: Connection) -> None:
    """Commit each run of writes on ``conn`` as soon as a read follows it, and (SQLite) take
    the write lock only for that run. For read-mostly units of work (a page view and its
    audit entry): a long read never holds the one SQLite write lock or the audit head's row
    lock, so it stalls no one; a run of writes (one audit append) stays atomic. The price:
    reads after a write see a newer snapshot than the reads before it."""
    conn.execution_options(**{_SHORT: True})
    conn.info[_SHORT] = "read"


def _short_writes(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if not conn.get_execution_options().get(_SHORT) or conn.in_nested_transaction():
        return  # (a savepoint's work stays in its transaction: a commit would end it)
    state = conn.info.get(_SHORT, "read")
    writing = statement.lstrip()[:7].upper().startswith(_WRITES)
    if writing == (state == "write"):
        return
    dbapi = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite":
        if dbapi.in_transaction:
            dbapi.execute("COMMIT")
        dbapi.execute("BEGIN IMMEDIATE" if writing else "BEGIN")
    elif not writing:
        dbapi.commit()
    conn.info[_SHORT] = "write" if writing else "read"


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


def is_busy(exc: Exception) -> bool:
    """Whether a database error says another writer holds the lock (SQLite's "database is
    locked", PostgreSQL's lock timeout)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "lock timeout" in text or "database is busy" in text


def seen_by_other_connections(conn: Connection) -> bool:
    """Whether another connection to the store reads what ``conn`` reads: the store is a
    file or a server (not SQLite in memory) and the transaction of ``conn`` has written
    nothing yet (another connection sees only what is committed). Unknown: no."""
    url = conn.engine.url
    if is_sqlite(conn.engine):
        # ":memory:", "" (the same), or a URI file opened with mode=memory; a file whose
        # name holds "memory" only counts as unseen.
        if not url.database or "memory" in url.database or url.query.get("mode") == "memory":
            return False
        # The store opens a connection per transaction (no pool): its changes are the
        # transaction's (or, on a connection the caller reused, earlier ones too: then
        # this says no, which costs only speed).
        changes: int = conn.connection.dbapi_connection.total_changes  # type: ignore[union-attr]
        return changes == 0
    if (conn.dialect.server_version_info or (0,)) >= (13,):  # PostgreSQL 13 and later
        assigned = conn.execute(text("SELECT pg_current_xact_id_if_assigned()")).scalar()
        return assigned is None
    return False


@contextmanager
def large_cache(conn: Connection, mebibytes: int = 1024) -> Iterator[None]:
    """A SQLite page cache of ``mebibytes`` while a block writes millions of rows: the pages
    of indexes filled at random keys stay in memory instead of going to the WAL and being
    read back. Allocated only as pages are used; PostgreSQL's buffers are the server's."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(mebibytes) * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={before}")


def bound(conn: Connection, column: Column[Any], value: Any) -> Any:
    """``value`` as SQLAlchemy binds it to ``column`` on ``conn``'s database, for a value that
    :func:`bulk_insert` would leave to the driver to store otherwise (a datetime on SQLite is
    SQLAlchemy's text, not sqlite3's)."""
    processor = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return value if processor is None else processor(value)


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


def bulk_upsert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert many rows as :func:`bulk_insert` does, but a row whose primary key is taken
    updates the row there in place: SQLite's ``INSERT … ON CONFLICT DO UPDATE`` row by row,
    PostgreSQL's from a ``COPY`` into a temporary table. For tables rewritten wholesale: at a
    million records, SQLite took five times as long to delete the rows and insert them again
    (every index entry twice, the new rows scattered over the freed pages)."""
    if not rows:
        return
    unknown = set(columns) - set(table.c.keys())
    key = [c.name for c in table.primary_key.columns]
    if unknown or not set(key) <= set(columns):
        raise ValueError(f"{table.name} has no columns {sorted(unknown)} or misses its key")
    quoted = ", ".join(f'"{n}"' for n in columns)
    target = ", ".join(f'"{n}"' for n in key)
    changes = ", ".join(f'"{n}" = excluded."{n}"' for n in columns if n not in key)
    on_conflict = f"ON CONFLICT ({target}) DO " + (
        f"UPDATE SET {changes}" if changes else "NOTHING"
    )
    driver = conn.connection.driver_connection
    # Names come from the declared schema (checked above), never from input.
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" for _ in columns)
        cursor = driver.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(
                f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks}) {on_conflict}',  # noqa: S608
                _sqlite_values(conn, table, columns, rows),
            )
        finally:
            cursor.close()
        return
    staging = f"_upsert_{table.name}"
    with driver.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(f'CREATE TEMPORARY TABLE "{staging}" (LIKE "{table.name}")')
        with cursor.copy(f'COPY "{staging}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM "{staging}" {on_conflict}'  # noqa: S608
        )
        cursor.execute(f'DROP TABLE "{staging}"')


def _sqlite_values(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Sequence[Sequence[Any]]:
    """Values as the columns' types bind them (a float column's values as floats, a boolean
    column's as integers; datetimes are left to the driver). Converted a column at a time,
    ``map`` over ``zip``: a Python call per value took tens of seconds for the millions of
    edges of a resolve run."""
    processors = [table.c[name].type.bind_processor(conn.dialect) for name in columns]
    if not any(processors):
        return rows
    values: list[Iterable[Any]] = list(zip(*rows, strict=True))
    for i, processor in enumerate(processors):
        if processor is not None:
            values[i] = map(processor, values[i])
    return list(zip(*values, strict=True))
