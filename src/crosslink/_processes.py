"""Work on other cores. :func:`ordered_map`: chunks go to worker processes while the caller
goes on reading (or writing), and results come back chunk by chunk in the order the chunks
were given; at most a few chunks are in flight, so memory stays flat however long the input.
:class:`Aside`: one call in one worker process while the caller does something else.

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
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar

__all__ = ["Aside", "ordered_map"]

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


class Aside(Generic[R]):
    """``func(*args)`` in a spawned worker process, started at once; :meth:`result` waits
    for it. Leaving the ``with`` block stops a worker whose result was not taken (the caller
    failed: nobody will read it). ``func`` must be an importable module-level function."""

    def __init__(self, func: Callable[..., R], *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_aside, args=(os.getpid(), send, func, args), name=f"aside-{func.__name__}"
        )
        self._process.start()
        send.close()  # the worker holds the sending end: its exit ends the pipe

    def result(self) -> R:
        """The value ``func`` returned; what it raised is raised here."""
        try:
            ok, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise ChildProcessError(
                f"worker {self._process.name} ended without a result "
                f"(exit code {self._process.exitcode})"
            ) from None
        self._process.join()
        if not ok:
            raise value
        result: R = value
        return result

    def __enter__(self) -> Aside[R]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _aside(parent: int, send: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    try:
        outcome: tuple[bool, Any] = (True, func(*args))
    except Exception as exc:  # handed to the caller, which raises it
        # A pickled error loses its traceback: the worker's goes along as a note.
        exc.add_note(f"in worker process {os.getpid()}:\n{traceback.format_exc()}")
        outcome = (False, exc)
    try:
        send.send(outcome)
    except Exception as exc:  # a value or an error that does not pickle
        send.send((False, ChildProcessError(f"worker result not sent: {exc!r}")))
    finally:
        send.close()
