"""Streaming readers: each turns a partner file into numbered rows of raw values.

CSV, JSON Lines and FollowTheMoney streams are read line by line and XLSX in read-only mode, so
memory stays flat however long the file; a JSON document is parsed whole (partners send small
ones; large exports come as JSON Lines). Row numbers are the ones a
person sees: for CSV and XLSX the header is row 1, so the first data row is row 2; for JSON the
first element is row 1; for JSON Lines the line number.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from crosslink.errors import ReaderError

log = logging.getLogger(__name__)

RawValue = str | list[str] | None
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = ",;\t|"


@dataclass
class RawRow:
    """One row as read: ``error`` set when the row itself is malformed (ragged, bad JSON)."""

    number: int
    values: dict[str, RawValue]
    error: str | None = None


@dataclass
class ReadOptions:
    format: str
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    root: str | None = None


@dataclass
class FileReader:
    """Rows of one file, with its header (when it has one) and how far reading has come."""

    path: Path
    options: ReadOptions
    header: list[str] | None = None
    bytes_read: int = 0
    encoding: str | None = None
    _handle: IO[bytes] | None = field(default=None, repr=False)

    def rows(self) -> Iterator[RawRow]:
        if self.path.stat().st_size == 0:
            raise ReaderError("the file is empty", file=self.path.name)
        fmt = self.options.format
        if fmt == "csv":
            return self._csv()
        if fmt == "xlsx":
            from crosslink.ingest._xlsx import read_xlsx

            return read_xlsx(self)
        if fmt == "json":
            return self._json()
        if fmt in {"jsonl", "ftm"}:
            return self._jsonl()
        raise ReaderError(f"unknown format {fmt!r}", file=self.path.name)

    # -- CSV -------------------------------------------------------------------------------
    def _detect_encoding(self, head: bytes) -> str:
        if self.options.encoding != "auto":
            return self.options.encoding
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        try:
            # A cut multi-byte character at the end of the sample is not a decoding failure.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            # cp1252 is what Excel on Windows writes in Western Europe; it is a superset of
            # Latin-1's printable range, and the five bytes it leaves undefined fall back.
            return "cp1252"
        return "utf-8"

    def _lines(self, binary: IO[bytes]) -> Iterator[str]:
        """Decode line by line, so a wrong byte is reported at its own row."""
        encoding = self.encoding or "utf-8"
        if encoding == "utf-8-sig":
            binary.read(len(codecs.BOM_UTF8))
            encoding = "utf-8"
        decoder = codecs.getdecoder(encoding)
        for number, line in enumerate(binary, start=1):
            self.bytes_read += len(line)
            try:
                yield decoder(line)[0]
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start : exc.start + 1]
                raise ReaderError(
                    f"cannot decode as {self.encoding} (byte {bad!r}); "
                    "set 'encoding' in the mapping",
                    file=self.path.name,
                    row=number,
                ) from exc

    def _csv(self) -> Iterator[RawRow]:
        with self.path.open("rb") as binary:
            head = binary.read(_SNIFF_BYTES)
            binary.seek(0)
            self.encoding = self._detect_encoding(head)
            reader = csv.reader(self._lines(binary), delimiter=self._delimiter(head))
            try:
                self.header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise ReaderError("the file is empty", file=self.path.name) from None
            self._check_header(self.header)
            width = len(self.header)
            number = 1
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise ReaderError(
                        f"malformed CSV: {exc}", file=self.path.name, row=number + 1
                    ) from exc
                number += 1
                if not any(c.strip() for c in cells):
                    continue
                values: dict[str, RawValue] = dict(zip(self.header, cells, strict=False))
                error = None
                if len(cells) != width:
                    error = f"row has {len(cells)} cells, the header has {width}"
                yield RawRow(number, values, error)

    def _delimiter(self, head: bytes) -> str:
        if self.options.delimiter != "auto":
            return self.options.delimiter
        sample = head.decode(self.encoding or "utf-8", errors="replace").lstrip("\ufeff")
        lines = sample.splitlines()[:20]
        try:
            return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
        except csv.Error:
            # One column, or too little text to tell: count candidates in the header line.
            first = lines[0] if lines else ""
            return (
                max(_DELIMITERS, key=first.count) if any(d in first for d in _DELIMITERS) else ","
            )

    def _check_header(self, header: list[str]) -> None:
        if not any(header):
            raise ReaderError("the header row is empty", file=self.path.name, row=1)
        seen: set[str] = set()
        for name in header:
            if name in seen:
                raise ReaderError(
                    f"column {name!r} appears twice in the header", file=self.path.name, row=1
                )
            seen.add(name)

    # -- JSON ------------------------------------------------------------------------------
    def _json(self) -> Iterator[RawRow]:
        try:
            with self.path.open("rb") as handle:
                document = json.load(handle)
        except json.JSONDecodeError as exc:
            raise ReaderError(
                f"not valid JSON: {exc.msg} at line {exc.lineno}", file=self.path.name
            ) from exc
        except UnicodeDecodeError as exc:
            raise ReaderError("JSON must be UTF-8", file=self.path.name) from exc
        if self.options.root is not None:
            if not isinstance(document, dict) or self.options.root not in document:
                raise ReaderError(
                    f"no key {self.options.root!r} at the top of the document", file=self.path.name
                )
            document = document[self.options.root]
        if not isinstance(document, list):
            kind = type(document).__name__
            raise ReaderError(
                f"the document is a {kind}, not a list of records", file=self.path.name
            )
        self.bytes_read = self.path.stat().st_size
        for number, item in enumerate(document, start=1):
            yield _object_row(number, item)

    def _jsonl(self) -> Iterator[RawRow]:
        with self.path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                self.bytes_read += len(line)
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    yield RawRow(number, {}, f"not a JSON object: {exc}")
                    continue
                if self.options.format == "ftm" and isinstance(item, dict):
                    from crosslink.ingest._ftm import check_entity

                    problem = check_entity(item)
                    if problem:
                        yield RawRow(number, {}, problem)
                        continue
                yield _object_row(number, item)


def _object_row(number: int, item: Any) -> RawRow:
    if not isinstance(item, dict):
        return RawRow(number, {}, f"expected an object, found a {type(item).__name__}")
    values: dict[str, RawValue] = {}
    problem = _flatten(item, "", values)
    return RawRow(number, values, problem)


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, RawValue]) -> str | None:
    """Nested objects become dotted keys; lists of scalars become multiple values."""
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            problem = _flatten(value, f"{name}.", out)
            if problem:
                return problem
        elif isinstance(value, list):
            if any(isinstance(v, dict | list) for v in value):
                return f"field {name!r} holds nested lists or objects, which cannot be mapped"
            out[name] = [scalar_text(v) for v in value if v is not None]
        else:
            out[name] = None if value is None else scalar_text(value)
    return None


def scalar_text(value: Any) -> str:
    """The text of a spreadsheet or JSON scalar, as a person would read it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)
