"""The transactional store: SQLite by default, PostgreSQL by URL; the caller owns transactions."""

from crosslink.access import schema as _access_schema  # noqa: F401  (declares its tables)
from crosslink.store._store import Store
from crosslink.store.dialect import make_engine, normalise_url

__all__ = ["Store", "make_engine", "normalise_url"]
