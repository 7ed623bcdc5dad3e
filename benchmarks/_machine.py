"""How fast this machine is right now, for reading a benchmark's times.

These machines share their cores: the loop below took 1.44 to 1.97 s in six runs a few
seconds apart on an idle machine (2026-11-23), a third more from one to the next. A
benchmark prints it before and after its cases, so that two runs' times can be compared
(or not).
"""

from __future__ import annotations

import time

_LOOP = 30_000_000


def reference_seconds() -> float:
    """Seconds for a fixed loop of additions in Python, on one core."""
    started = time.perf_counter()
    total = 0
    for i in range(_LOOP):
        total += i
    return time.perf_counter() - started
