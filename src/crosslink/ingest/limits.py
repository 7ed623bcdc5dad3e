"""Bounds on what one partner file may make the reader do, checked before parsing.

A zip container (XLSX) is checked from its central directory: Python's :mod:`zipfile` never
unpacks an entry beyond the size its directory declares (a lying entry fails its CRC check),
so the declared sizes bound memory and time. Parts openpyxl reads whole (shared strings,
styles, the workbook) have a tighter bound than the worksheets it streams.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from crosslink.errors import ReaderError
from crosslink.settings import Settings

_MB = 1024 * 1024
# Entries smaller than this may compress as well as they like (an empty sheet of styles).
_RATIO_FLOOR = 1 * _MB


@dataclass(frozen=True)
class InputLimits:
    """The defaults are :class:`crosslink.settings.Settings`' defaults."""

    zip_max_entries: int = 1000
    zip_max_unpacked_mb: int = 2048
    zip_max_ratio: int = 200
    xlsx_max_part_mb: int = 64
    json_max_depth: int = 64
    line_max_kb: int = 4096

    @property
    def line_max_bytes(self) -> int:
        return self.line_max_kb * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        return cls(
            zip_max_entries=settings.zip_max_entries,
            zip_max_unpacked_mb=settings.zip_max_unpacked_mb,
            zip_max_ratio=settings.zip_max_ratio,
            xlsx_max_part_mb=settings.xlsx_max_part_mb,
            json_max_depth=settings.json_max_depth,
            line_max_kb=settings.line_max_kb,
        )


def _read_whole(name: str) -> bool:
    """Whether openpyxl reads this part whole (every part but a worksheet, in read-only mode)."""
    return not (name.startswith("xl/worksheets/") and name.endswith(".xml"))


def check_zip(path: Path, limits: InputLimits) -> None:
    """Refuse a zip container that would unpack too much, too many entries or too steeply."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReaderError(f"not a readable XLSX workbook ({exc})", file=name) from exc
    if len(entries) > limits.zip_max_entries:
        raise ReaderError(
            f"the workbook holds {len(entries)} parts, more than {limits.zip_max_entries}",
            file=name,
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR and ratio > limits.zip_max_ratio:
            raise ReaderError(
                f"part {entry.filename!r} unpacks {ratio:.0f} times its packed size "
                f"(limit {limits.zip_max_ratio}): refused as a zip bomb",
                file=name,
            )
        if _read_whole(entry.filename) and entry.file_size > limits.xlsx_max_part_mb * _MB:
            raise ReaderError(
                f"part {entry.filename!r} unpacks to {entry.file_size // _MB} MB, more than "
                f"{limits.xlsx_max_part_mb} MB",
                file=name,
            )
    if total > limits.zip_max_unpacked_mb * _MB:
        raise ReaderError(
            f"the workbook unpacks to {total // _MB} MB, more than {limits.zip_max_unpacked_mb} MB",
            file=name,
        )
