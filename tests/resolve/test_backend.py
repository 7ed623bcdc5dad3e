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
