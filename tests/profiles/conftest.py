"""The search tests' small police world, for profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.store import Store
from tests.search.conftest import load_search_world


@pytest.fixture
def world(store: Store, tmp_path: Path) -> Store:
    load_search_world(store, tmp_path)
    return store
