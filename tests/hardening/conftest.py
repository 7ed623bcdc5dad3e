"""The API fixtures (a populated store per backend, logged-in clients) and the import fixtures
(a police source) for the hardening tests."""

from tests.api.conftest import (
    app,
    client,
    web_pg_template,
    web_sqlite_template,
    web_store,
    world_dir,
)
from tests.ingest.conftest import police_mapping, police_source

__all__ = [
    "app",
    "client",
    "police_mapping",
    "police_source",
    "web_pg_template",
    "web_sqlite_template",
    "web_store",
    "world_dir",
]
