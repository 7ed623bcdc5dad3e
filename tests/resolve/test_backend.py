"""The DuckDB backend's bounds: memory it may use, where it spills, sizes it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.errors import ConfigurationError
from crosslink.resolve.backend import DuckDBBackend, make_backend
from crosslink.settings import Settings


def _setting(backend: DuckDBBackend, name: str) -> str:
    row = backend._con.execute(f"SELECT current_setting('{name}')").fetchone()
    assert row is not None
    return str(row[0])


def test_memory_limit_and_spill_directory_reach_duckdb(tmp_path: Path) -> None:
    backend = make_backend("duckdb", memory_limit="512MB", spill_dir=tmp_path / "spill")
    assert isinstance(backend, DuckDBBackend)
    try:
        assert _setting(backend, "memory_limit").startswith("488")  # 512 MB in MiB
        assert _setting(backend, "temp_directory") == str(tmp_path / "spill")
        assert (tmp_path / "spill").is_dir()
    finally:
        backend.close()


@pytest.mark.parametrize("size", ["lots", "3GB'; DROP TABLE x; --", "12"])
def test_a_size_that_is_not_one_is_refused(size: str) -> None:
    with pytest.raises(ConfigurationError, match="not a memory size"):
        DuckDBBackend(memory_limit=size)


def test_the_setting_refuses_what_is_not_a_size() -> None:
    assert Settings(resolve_memory="2GB").resolve_memory == "2GB"
    with pytest.raises(ValueError, match="resolve_memory"):
        Settings(resolve_memory="all of it")


def _resident_mib() -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) // 1024


@pytest.mark.parametrize("limit", ["2GB", None])
def test_release_hands_back_the_memory_of_dropped_tables_and_keeps_the_rest(
    limit: str | None,
) -> None:
    backend = DuckDBBackend(memory_limit=limit)
    con = backend._con
    bound = _setting(backend, "memory_limit")
    try:
        con.execute("CREATE TABLE kept AS SELECT range AS i FROM range(1000)")
        con.execute(
            "CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(5000000)"
        )
        con.execute("CREATE TABLE sorted AS SELECT * FROM big ORDER BY s")
        con.execute("DROP TABLE sorted")
        con.execute("DROP TABLE big")
        before = _resident_mib()
        backend.release()
        assert before - _resident_mib() > 150  # the two tables held about 400 MB
        backend.release()
        assert _setting(backend, "memory_limit") == bound  # as configured, however often
        assert con.execute("SELECT sum(i) FROM kept").fetchone() == (499500,)
    finally:
        backend.close()
