"""A command that cannot get SQLite's write lock in time stops with one clear line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crosslink.errors import ServiceUnavailable
from crosslink.store import Store


def test_a_command_gives_up_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "crosslink.db"
    store = Store.from_url(f"sqlite:///{path}")
    store.write_wait = 1.5
    with store.transaction() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ServiceUnavailable) as caught, store.transaction() as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(caught.value) == (
        "the store is busy with another write (an import?); try again when it ends"
    )
    with store.transaction() as conn:  # free again: the store works as before
        conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
    store.dispose()
