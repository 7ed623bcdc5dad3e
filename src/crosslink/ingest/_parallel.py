"""Map rows on several cores: cleaning (phonenumbers, dates, transliteration) is pure Python
and dominates an import, so worker processes map chunks while the caller reads and writes.

Order is kept: results come back chunk by chunk in the order the rows were read, and at most a
few chunks are in flight, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from crosslink._processes import ordered_map
from crosslink.ingest._drafts import RowResult, SourceDefaults
from crosslink.ingest._mapper import RowMapper
from crosslink.ingest.mapping import Mapping
from crosslink.ingest.readers import RawRow
from crosslink.model import load_model

_CHUNK = 500
_worker_mapper: list[RowMapper] = []  # one per worker process, set by its initializer


def _init_worker(mapping: Mapping, defaults: SourceDefaults) -> None:
    _worker_mapper[:] = [RowMapper(mapping, load_model(), defaults)]


def _map_chunk(rows: list[RawRow]) -> list[RowResult]:
    mapper = _worker_mapper[0]
    return [mapper.map(row) for row in rows]


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def map_rows(
    rows: Iterable[RawRow], mapping: Mapping, defaults: SourceDefaults, workers: int
) -> Iterator[tuple[RawRow, RowResult]]:
    """Each row with its mapping result, in file order; ``workers`` > 1 maps in processes."""
    if workers <= 1:
        mapper = RowMapper(mapping, load_model(), defaults)
        for row in rows:
            yield row, mapper.map(row)
        return
    mapped = ordered_map(
        _map_chunk,
        _chunks(rows, _CHUNK),
        workers,
        initializer=_init_worker,
        initargs=(mapping, defaults),
    )
    for chunk, results in mapped:
        yield from zip(chunk, results, strict=True)
