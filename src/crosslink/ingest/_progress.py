"""How far an import is: rows a second so far, and the time left judged by the bytes read."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProgressLine:
    rows: int
    rows_per_second: float
    seconds_left: float | None
    """None until a first part of the file is read (nothing to judge the rest by)."""
    fraction: float

    def __str__(self) -> str:
        left = "?" if self.seconds_left is None else _duration(self.seconds_left)
        return (
            f"{self.fraction:4.0%}  {self.rows:,} rows  {self.rows_per_second:,.0f} rows/s  "
            f"{left} left"
        )


@dataclass
class ImportClock:
    """Turns the importer's progress calls (bytes read, file size, rows read) into a
    :class:`ProgressLine`; the time left assumes the rest of the file goes as fast as the
    part read so far."""

    started: float = field(default_factory=time.monotonic)

    def line(self, done: int, total: int, rows: int) -> ProgressLine:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        fraction = min(1.0, done / total) if total > 0 else 1.0
        left = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        return ProgressLine(rows, rows / elapsed, left, fraction)


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
