"""The transactional store: SQLite by default, PostgreSQL by URL; the caller owns transactions."""

from crosslink.store._store import Store
from crosslink.store.dialect import make_engine, normalise_url

__all__ = ["Store", "make_engine", "normalise_url"]
