"""Pure-Python work on other cores, in order: chunks go to worker processes while the caller
goes on reading (or writing), and results come back chunk by chunk in the order the chunks
were given. At most a few chunks are in flight, so memory stays flat however long the input.

Workers are spawned, not forked: the caller holds database connections and may hold threads
(DuckDB's), which a fork would copy in whatever state they were. A worker ends itself when
the process that started it is gone (killed: no shutdown would reach it).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

__all__ = ["ordered_map"]

_IN_FLIGHT_PER_WORKER = 3
_WATCH_SECONDS = 1.0

C = TypeVar("C")
R = TypeVar("R")


def _start(
    parent: int, collect: bool, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    if not collect:
        gc.disable()
    if initializer is not None:
        initializer(*initargs)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(_WATCH_SECONDS)
        try:
            os.kill(parent, 0)
        except (ProcessLookupError, PermissionError):  # gone, or its pid reused by another
            os._exit(1)


def ordered_map(
    func: Callable[[C], R],
    chunks: Iterable[C],
    processes: int,
    *,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    collect: bool = True,
) -> Iterator[tuple[C, R]]:
    """Each chunk with ``func(chunk)``, computed in ``processes`` (at least one) worker
    processes, in the order of ``chunks``. ``func`` and ``initializer`` must be importable
    module-level functions (a spawned worker imports them). ``collect=False`` turns the
    workers' cyclic garbage collector off, for work that makes millions of small objects
    and no cycles (each collection would walk them all)."""
    workers = max(1, processes)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start,
        initargs=(os.getpid(), collect, initializer, initargs),
    ) as pool:
        window: deque[tuple[C, Future[R]]] = deque()
        for chunk in chunks:
            window.append((chunk, pool.submit(func, chunk)))
            if len(window) >= workers * _IN_FLIGHT_PER_WORKER:
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()
