"""Map rows on several cores: cleaning (phonenumbers, dates, transliteration) is pure Python
and dominates an import, so worker processes map chunks while the caller reads and writes.

Order is kept: results come back chunk by chunk in the order the rows were read, and at most a
few chunks are in flight, so memory stays flat whatever the file's size. Rows go out as plain
tuples and come back packed (:mod:`crosslink.ingest._packed`), which pickle several times
faster than the dataclasses they stand for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from crosslink._processes import ordered_map
from crosslink.ingest._drafts import SourceDefaults
from crosslink.ingest._mapper import RowMapper
from crosslink.ingest._packed import Packed, pack
from crosslink.ingest.mapping import Mapping
from crosslink.ingest.readers import RawRow, RawValue
from crosslink.model import load_model

CHUNK = 500
_worker_mapper: list[RowMapper] = []  # one per worker process, set by its initializer

_Sent = tuple[int, dict[str, RawValue], str | None]


def _init_worker(mapping: Mapping, defaults: SourceDefaults) -> None:
    _worker_mapper[:] = [RowMapper(mapping, load_model(), defaults)]


def _map_chunk(sent: list[_Sent]) -> Packed:
    mapper = _worker_mapper[0]
    rows = [RawRow(number, values, error) for number, values, error in sent]
    return pack((row, mapper.map(row)) for row in rows)


def chunks(rows: Iterable[RawRow], size: int, boundary: int) -> Iterator[list[RawRow]]:
    """Lists of at most ``size`` rows, none straddling a multiple of ``boundary`` rows (the
    writer's chunk), so the writer flushes after exactly the rows it flushed after before."""
    size, boundary = max(1, size), max(1, boundary)
    chunk: list[RawRow] = []
    for count, row in enumerate(rows, 1):
        chunk.append(row)
        if len(chunk) >= size or count % boundary == 0:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def map_chunks(
    rows: Iterable[RawRow],
    mapping: Mapping,
    defaults: SourceDefaults,
    workers: int,
    boundary: int = CHUNK,
) -> Iterator[Packed]:
    """Each chunk of rows mapped and packed, in file order; ``workers`` > 1 maps in
    processes. A chunk ends at every multiple of ``boundary`` rows."""
    split = chunks(rows, CHUNK, boundary)
    if workers <= 1:
        mapper = RowMapper(mapping, load_model(), defaults)
        for chunk in split:
            yield pack((row, mapper.map(row)) for row in chunk)
        return
    sent = ([(r.number, r.values, r.error) for r in chunk] for chunk in split)
    mapped = ordered_map(
        _map_chunk, sent, workers, initializer=_init_worker, initargs=(mapping, defaults)
    )
    for _, packed in mapped:
        yield packed
