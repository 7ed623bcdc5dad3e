"""Where Splink runs: DuckDB in process by default, Spark (local or a cluster) at scale.

A backend hands Splink its database API, takes Arrow tables in and gives Arrow tables back;
nothing else in :mod:`crosslink.resolve` knows which engine runs. pyspark is imported only
when the Spark backend is built: the core installs and imports without it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from crosslink.errors import ConfigurationError, ServiceUnavailable

__all__ = [
    "Backend",
    "DuckDBBackend",
    "SparkBackend",
    "SparkOptions",
    "make_backend",
    "size_bytes",
]

log = logging.getLogger(__name__)


class Backend(Protocol):
    """The small interface resolution needs from an engine."""

    name: str

    @property
    def db_api(self) -> DatabaseAPISubClass: ...

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame:
        """Make ``table`` a Splink input named after ``name`` (made unique per backend)."""
        ...

    def to_arrow(self, frame: SplinkDataFrame) -> pa.Table:
        """Bring a Splink result back as Arrow."""
        ...

    def release(self) -> None:
        """Give back to the system the memory of tables dropped so far (called after the big
        ones, before Python needs the memory)."""
        ...

    def close(self) -> None: ...


class _Names:
    """Splink refuses a table name twice in one database API: number them."""

    def __init__(self) -> None:
        self._n = 0

    def next(self, name: str) -> str:
        self._n += 1
        return f"{name}_{self._n}"


class DuckDBBackend:
    """Splink on an in-memory DuckDB connection (the default)."""

    name = "duckdb"

    def __init__(
        self,
        threads: int | None = None,
        *,
        memory_limit: str | None = None,
        spill_dir: Path | None = None,
    ) -> None:
        from splink import DuckDBAPI

        self._con = duckdb.connect(":memory:")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        # At a million records the blocked pairs outgrow memory: bounded, DuckDB spills
        # its joins and sorts to disk instead of taking the machine down.
        self._limit = _size(memory_limit) if memory_limit else None
        if self._limit:
            self._con.execute(f"SET memory_limit = '{self._limit}'")
        if spill_dir is not None:
            spill_dir.mkdir(parents=True, exist_ok=True)
            self._con.execute(f"SET temp_directory = '{_quoted(str(spill_dir))}'")
        self._api = DuckDBAPI(self._con)
        self._names = _Names()

    @property
    def db_api(self) -> DatabaseAPISubClass:
        return self._api

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame:
        return self._api.register(table, table_name=self._names.next(name))

    def to_arrow(self, frame: SplinkDataFrame) -> pa.Table:
        return frame.as_pyarrow_table()  # type: ignore[no-untyped-call]

    def release(self) -> None:
        # DuckDB's allocator keeps what dropped tables used, for its own reuse; setting the
        # memory limit, even to the same value, hands it back, for the pairs' Python objects
        # to use next (scoring a million persons peaked 1.6 GB lower). Set as given: the
        # setting reads back rounded, and would shrink a little each time.
        self._con.execute(
            f"SET memory_limit = '{self._limit}'" if self._limit else "RESET memory_limit"
        )

    def close(self) -> None:
        self._con.close()


@dataclass(frozen=True)
class SparkOptions:
    """A local Spark session by default; ``master`` points at a cluster in production."""

    master: str = "local[2]"
    shuffle_partitions: int = 4
    driver_memory: str = "2g"
    checkpoint_dir: str | None = None


class SparkBackend:
    """Splink on Spark through Splink's Spark backend (needs the ``spark`` extra and Java)."""

    name = "spark"

    def __init__(self, options: SparkOptions | None = None) -> None:
        opts = options or SparkOptions()
        try:
            from pyspark.sql import SparkSession
            from splink import SparkAPI
            from splink.backends.spark import similarity_jar_location
        except ImportError as exc:
            raise ConfigurationError(
                "the Spark backend needs pyspark: install crosslink[spark]"
            ) from exc
        builder: Any = (
            SparkSession.builder.master(opts.master)
            .appName("crosslink-resolve")
            .config("spark.sql.shuffle.partitions", str(opts.shuffle_partitions))
            .config("spark.default.parallelism", str(opts.shuffle_partitions))
            .config("spark.driver.memory", opts.driver_memory)
            .config("spark.ui.enabled", "false")
            .config("spark.jars", similarity_jar_location())  # Splink's Jaro-Winkler UDFs
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        )
        try:
            self._spark = builder.getOrCreate()
        except Exception as exc:  # the JVM did not start: no Java, no memory, no port
            raise ServiceUnavailable(f"cannot start Spark: {exc}") from exc
        self._spark.sparkContext.setLogLevel("ERROR")
        if opts.checkpoint_dir:
            self._spark.sparkContext.setCheckpointDir(opts.checkpoint_dir)
        self._api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=self._spark,
            num_partitions_on_repartition=opts.shuffle_partitions,
            break_lineage_method="persist",
        )
        self._names = _Names()

    @property
    def db_api(self) -> DatabaseAPISubClass:
        return self._api

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame:
        frame = self._spark.createDataFrame(table)
        return self._api.register(frame, table_name=self._names.next(name))

    def to_arrow(self, frame: SplinkDataFrame) -> pa.Table:
        result: pa.Table = frame.as_spark_dataframe().toArrow()
        return result

    def release(self) -> None:
        """Nothing to do: Spark's memory is the JVM's, apart from this process."""

    def close(self) -> None:
        self._spark.catalog.clearCache()


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(MB|GB|MiB|GiB)")
_UNITS = {"MB": 10**6, "GB": 10**9, "MiB": 2**20, "GiB": 2**30}


def _sized(text: str) -> re.Match[str]:
    found = _SIZE.fullmatch(text.strip())
    if found is None:
        raise ConfigurationError(f"not a memory size: {text!r} (say 3GB or 512MB)")
    return found


def _size(text: str) -> str:
    """A memory size for DuckDB's SET (checked: it is spliced into the statement)."""
    return _sized(text)[0]


def size_bytes(text: str) -> float:
    """The bytes a memory size (as :func:`_size` accepts it) stands for."""
    found = _sized(text)
    return float(found[1]) * _UNITS[found[2]]


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def make_backend(
    name: str,
    *,
    spark: SparkOptions | None = None,
    memory_limit: str | None = None,
    spill_dir: Path | None = None,
) -> Backend:
    """The backend ``Settings.resolve_backend`` names (DuckDB bounded by ``memory_limit``,
    spilling to ``spill_dir``)."""
    if name == "duckdb":
        return DuckDBBackend(memory_limit=memory_limit, spill_dir=spill_dir)
    if name == "spark":
        return SparkBackend(spark)
    raise ConfigurationError(f"unknown resolve backend {name!r}: use duckdb or spark")
