"""Map rows on several cores: cleaning (phonenumbers, dates, transliteration) is pure Python
and dominates an import, so worker processes map chunks while the caller reads and writes.

Order is kept: results come back chunk by chunk in the order the rows were read, and at most a
few chunks are in flight, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from crosslink.ingest._drafts import RowResult, SourceDefaults
from crosslink.ingest._mapper import RowMapper
from crosslink.ingest.mapping import Mapping
from crosslink.ingest.readers import RawRow
from crosslink.model import load_model

_CHUNK = 500
_IN_FLIGHT_PER_WORKER = 3
_WATCH_SECONDS = 1.0
_worker_mapper: list[RowMapper] = []  # one per worker process, set by its initializer


def _init_worker(mapping: Mapping, defaults: SourceDefaults, importer: int) -> None:
    _worker_mapper[:] = [RowMapper(mapping, load_model(), defaults)]
    threading.Thread(target=_watch, args=(importer,), daemon=True).start()


def _watch(importer: int) -> None:
    """End this worker when the importing process is gone (killed: no shutdown reaches us)."""
    while True:
        time.sleep(_WATCH_SECONDS)
        try:
            os.kill(importer, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid was reused by another user's process
            os._exit(1)


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
    # spawn, not fork: the importer holds database connections and may hold threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(mapping, defaults, os.getpid()),
    ) as pool:
        window: deque[tuple[list[RawRow], Future[list[RowResult]]]] = deque()
        for chunk in _chunks(rows, _CHUNK):
            window.append((chunk, pool.submit(_map_chunk, chunk)))
            if len(window) >= workers * _IN_FLIGHT_PER_WORKER:
                done, future = window.popleft()
                yield from zip(done, future.result(), strict=True)
        while window:
            done, future = window.popleft()
            yield from zip(done, future.result(), strict=True)
