"""A small world for screening: an agency, an analyst, a source of scraped ads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from crosslink.access.policy import Subject
from crosslink.store import Store
from tests.access.helpers import make_agency, make_source, make_user

DATA = Path(__file__).parent / "data"
ADS = DATA / "ads.jsonl"


@dataclass
class ScreenWorld:
    store: Store
    analyst: Subject
    municipal: Subject


@pytest.fixture
def world(store: Store) -> ScreenWorld:
    with store.transaction() as conn:
        make_agency(conn, "fedpol", "police")
        make_agency(conn, "gent", "municipality")
        analyst = make_user(conn, "ana", "fedpol", ["analyst"])
        municipal = make_user(conn, "mo", "gent", ["municipal_officer"])
        make_source(conn, "ads-scraper", "fedpol")
    return ScreenWorld(store, analyst, municipal)


def labels() -> dict[str, dict[str, object]]:
    loaded = yaml.safe_load((DATA / "labels.yaml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded
