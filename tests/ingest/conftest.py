"""Fixtures for import tests: a registered Belgian police source and its mapping."""

from __future__ import annotations

import pytest

from crosslink.ingest import Mapping, parse_mapping
from crosslink.store import Store
from crosslink.store.sources import Source, add_source
from tests.ingest.helpers import POLICE_MAPPING


@pytest.fixture
def police_mapping() -> Mapping:
    return parse_mapping(POLICE_MAPPING, "test-police.yaml")


@pytest.fixture
def police_source(store: Store) -> Source:
    with store.transaction() as conn:
        return add_source(
            conn,
            Source(
                id="be-police",
                agency="Federal Police",
                dataset="THB reports",
                jurisdiction="BE",
                handling_code="H1",
                source_grade="B",
                info_grade="2",
            ),
        )
