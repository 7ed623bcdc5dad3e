"""Cleaning each distinct value once (the mapper's cache) changes nothing, to the character:
random rows and the demo world's files map alike with the cache, a tiny one that is emptied
all the time, and none."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosslink.demo import WorldConfig, generate_world, read_manifest
from crosslink.demo.partners import PARTNER_DIR, PARTNERS
from crosslink.ingest import load_mapping, parse_mapping
from crosslink.ingest._drafts import RowResult, SourceDefaults
from crosslink.ingest._importer import _defaults
from crosslink.ingest._mapper import RowMapper
from crosslink.ingest._packed import pack
from crosslink.ingest.mapping import Mapping
from crosslink.ingest.readers import FileReader, RawRow, ReadOptions
from crosslink.model import load_model

DEFAULTS = SourceDefaults("be-police", "BE", "H1", None, "europol", "B", "2")

MAPPING = """
name: cache-check
description: Columns whose cleaning depends on the value, the type and the row's country
format: csv
entities:
  person:
    type: Person
    key: [id]
    category: {column: role}
    properties:
      last_name: {column: name, required: true}
      birth_date: {column: born}
      nationality: {column: nationality}
      phone: {column: phone, split: ";", region_column: country}
  address:
    type: Address
    properties:
      postcode: {column: postcode, region_column: country, required: true}
links:
  - {type: lives_at, source: person, target: address}
"""

# Values that repeat (as partner columns do), valid and not, and a few that differ only in
# case or spacing, so a cache keyed too loosely would give one the other's answer.
POOLS = {
    "name": ["Popescu", "popescu", " Popescu ", "Иванов", "El Amrani", "", "X" * 120],
    "born": ["12/03/1990", "03/12/1990", "1990", "1990-07", "31/02/1990", "gisteren", ""],
    "nationality": ["Roemeens", "roemeens", "Belg", "BE", "Marsiaans", ""],
    "role": ["verdachte", "slachtoffer", "getuige", "onbekend", ""],
    "phone": ["0470 12 34 56", "+32 487 65 43 21", "06 12345678", "12", "0470123456;12", ""],
    "postcode": ["1000", "1012 AB", "75001", "B-1000", "abc", ""],
    "country": ["BE", "NL", "FR", "België", "Nederland", "??", ""],
}
COLUMNS = ["id", *POOLS]


def _rows(draw_values: list[dict[str, str]]) -> list[RawRow]:
    return [RawRow(n + 2, {"id": f"P{n % 7}", **values}) for n, values in enumerate(draw_values)]


def _map(mapping: Mapping, rows: list[RawRow], limit: int) -> list[RowResult]:
    mapper = RowMapper(mapping, load_model(), DEFAULTS, cache_limit=limit)
    return [mapper.map(row) for row in rows]


def _value(column: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(POOLS[column]), st.text(max_size=12))


ROW = st.fixed_dictionaries({column: _value(column) for column in POOLS})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=40))
def test_cached_cleaning_is_uncached_cleaning(values: list[dict[str, str]]) -> None:
    mapping = parse_mapping(MAPPING, "cache-check.yaml")
    rows = _rows(values)
    fresh = _map(mapping, rows, 0)
    assert _map(mapping, rows, 200_000) == fresh
    assert _map(mapping, rows, 3) == fresh  # emptied every few values
    assert pack(zip(rows, fresh, strict=True)) == pack(
        zip(rows, _map(mapping, rows, 200_000), strict=True)
    )


def test_the_check_sees_a_difference() -> None:
    """The comparison above is not blind: rows that differ in one value map differently."""
    mapping = parse_mapping(MAPPING, "cache-check.yaml")
    base = dict.fromkeys(POOLS, "")
    one = _rows([{**base, "name": "Popescu", "phone": "0470 12 34 56", "country": "BE"}])
    other = _rows([{**base, "name": "Popescu", "phone": "0470 12 34 56", "country": "NL"}])
    assert _map(mapping, one, 0) != _map(mapping, other, 0)


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate_world(WorldConfig(seed=5, scale=400), out)
    return out


def test_demo_files_map_alike_with_and_without_the_cache(demo_world: Path) -> None:
    sources = {spec.source.id: spec.source for spec in PARTNERS}
    files = read_manifest(demo_world).files
    assert files
    for entry in files:
        mapping = load_mapping(entry.mapping)
        path = demo_world / PARTNER_DIR / entry.file
        options = ReadOptions(
            format=mapping.format,
            encoding=mapping.encoding,
            delimiter=mapping.delimiter,
            sheet=mapping.sheet,
            root=mapping.root,
        )
        rows = list(FileReader(path, options).rows())
        defaults = _defaults(sources[entry.source])
        model = load_model()
        cached = RowMapper(mapping, model, defaults)
        fresh = RowMapper(mapping, model, defaults, cache_limit=0)
        assert rows, entry.file
        for row in rows:
            assert cached.map(row) == fresh.map(row), (entry.file, row.number)
