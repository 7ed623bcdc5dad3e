"""One settings object, built once by the entry point and passed in; nothing is read at import."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Crosslink's configuration. Environment variables use the ``CROSSLINK_`` prefix.

    ``database_url`` empty means the embedded default: a SQLite file in ``data_dir``.
    """

    model_config = SettingsConfigDict(env_prefix="CROSSLINK_", extra="forbid")

    data_dir: Path = Field(default=Path("data"), description="Where the embedded store lives.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty for SQLite.")
    resolve_backend: Literal["duckdb", "spark"] = Field(
        default="duckdb", description="Engine for entity resolution."
    )
    resolve_memory: str = Field(
        default="2GB",
        pattern=r"^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$",
        description="Memory DuckDB may use in a resolve run; beyond it, it spills to disk.",
    )
    import_chunk_size: int = Field(
        default=2000, ge=1, le=100_000, description="Rows written per statement on import."
    )
    import_workers: int = Field(
        default=0, ge=0, le=64, description="Processes mapping rows on import; 0 = automatic."
    )
    write_wait_seconds: float = Field(
        default=600.0,
        ge=0,
        le=24 * 3600,
        description="How long a command queues behind another write to SQLite (an import).",
    )
    demo: bool = Field(default=False, description="Demo mode: generated world, demo accounts.")
    host: str = Field(default="127.0.0.1", description="Address `crosslink serve` listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port `crosslink serve` uses.")
    web_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes `crosslink serve` runs on PostgreSQL (SQLite: always one).",
    )
    session_hours: float = Field(
        default=8.0, gt=0, le=24 * 7, description="A web session ends this long after login."
    )
    session_idle_minutes: float = Field(
        default=30.0, gt=0, le=24 * 60, description="A web session unused this long ends."
    )
    cookie_secure: bool = Field(default=True, description="Send session cookies over HTTPS only.")
    search_region: str = Field(
        default="BE", min_length=2, max_length=2, description="Country for national numbers."
    )
    upload_max_mb: int = Field(
        default=200, ge=1, le=10_000, description="Largest file the web import accepts."
    )

    trusted_proxies: str = Field(
        default="",
        max_length=2000,
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For is believed; empty: none (the peer's address is the client's).",
    )
    upload_keep_minutes: float = Field(
        default=60.0,
        gt=0,
        le=7 * 24 * 60,
        description="A staged upload not imported within this time is deleted (personal data).",
    )
    request_max_kb: int = Field(
        default=1024, ge=16, le=100_000, description="Largest request body other than an upload."
    )
    zip_max_entries: int = Field(
        default=1000, ge=1, le=1_000_000, description="Most parts an XLSX file may hold."
    )
    zip_max_unpacked_mb: int = Field(
        default=2048, ge=1, le=100_000, description="Most an XLSX file may unpack to, in all."
    )
    zip_max_ratio: int = Field(
        default=200, ge=2, le=100_000, description="Most a part may unpack to per byte packed."
    )
    xlsx_max_part_mb: int = Field(
        default=64,
        ge=1,
        le=10_000,
        description="Most a part read whole (shared strings, styles) may unpack to.",
    )
    json_max_depth: int = Field(
        default=64, ge=2, le=500, description="Deepest nesting of a JSON file or request body."
    )
    line_max_kb: int = Field(
        default=4096, ge=1, le=1_000_000, description="Longest line of a CSV or JSON Lines file."
    )

    @model_validator(mode="after")
    def _absolute_dir(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        return self

    @property
    def store_url(self) -> str:
        """The URL of the transactional store (the SQLite default when none is set)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'crosslink.db'}"
