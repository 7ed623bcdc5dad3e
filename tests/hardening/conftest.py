"""The API fixtures (a populated store per backend, logged-in clients) for the hardening tests."""

from tests.api.conftest import app, client, web_pg_template, web_sqlite_template, web_store, world_dir

__all__ = ["app", "client", "web_pg_template", "web_sqlite_template", "web_store", "world_dir"]
