"""Streaming readers: each turns a partner file into numbered rows of raw values.

CSV, JSON Lines and FollowTheMoney streams are read line by line and XLSX in read-only mode, so
memory stays flat however long the file; a JSON document is parsed whole (partners send small
ones; large exports come as JSON Lines). Row numbers are the ones a
person sees: for CSV and XLSX the header is row 1, so the first data row is row 2; for JSON the
first element is row 1; for JSON Lines the line number.

Encoding is decided over the whole file, never a sample: UTF-8 when the file is UTF-8
throughout, or when it holds UTF-8 characters beside a stray byte (then that byte is reported
at its row: a file is never half re-read as another encoding); cp1252 only for a file with no
UTF-8 character at all. A declared encoding is checked the same way.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from crosslink.errors import ReaderError
from crosslink.ingest.limits import InputLimits

log = logging.getLogger(__name__)

RawValue = str | list[str] | None
_SNIFF_BYTES = 64 * 1024
_SCAN_BYTES = 1024 * 1024
# A character UTF-8 spells in two to four bytes: a single-byte encoding rarely yields one.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_UTF8_NAMES = frozenset({"utf-8", "utf-8-sig"})
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
    limits: InputLimits = field(default_factory=InputLimits)


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
    def _detect_encoding(self, binary: IO[bytes]) -> str:
        declared = self.options.encoding
        if declared == "auto" and binary.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
            return "utf-8-sig"
        binary.seek(0)
        valid, multibyte = _scan_utf8(binary)
        binary.seek(0)
        if declared == "auto":
            # cp1252 is what Excel on Windows writes in Western Europe; chosen only for a
            # file with no UTF-8 character at all, so a stray byte in a UTF-8 file is reported.
            return "utf-8" if valid or multibyte else "cp1252"
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            raise ReaderError(
                f"unknown encoding {declared!r} in the mapping", file=self.path.name
            ) from None
        if name not in _UTF8_NAMES and valid and multibyte:
            raise ReaderError(
                f"the mapping declares {declared!r} but the file is UTF-8 throughout (read as "
                f"{declared} its accented letters would change); set 'encoding: utf-8'",
                file=self.path.name,
            )
        return declared

    def _lines(self, binary: IO[bytes]) -> Iterator[str]:
        """Decode line by line, so a wrong byte is reported at its own row."""
        encoding = self.encoding or "utf-8"
        if encoding == "utf-8-sig":
            binary.read(len(codecs.BOM_UTF8))
            encoding = "utf-8"
        decoder = codecs.getdecoder(encoding)
        for number, line in _bounded_lines(binary, self.options.limits, self.path.name):
            self.bytes_read += len(line)
            try:
                yield decoder(line)[0]
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start : exc.start + 1]
                hint = (
                    "the rest of the file is UTF-8, so the byte is a fault in the file: correct "
                    "it, or set 'encoding' in the mapping"
                    if self.options.encoding == "auto"
                    else "set 'encoding' in the mapping"
                )
                raise ReaderError(
                    f"cannot decode as {self.encoding} (byte {bad!r}, column {exc.start + 1}); "
                    + hint,
                    file=self.path.name,
                    row=number,
                ) from exc

    def _csv(self) -> Iterator[RawRow]:
        with self.path.open("rb") as binary:
            self.encoding = self._detect_encoding(binary)
            head = binary.read(_SNIFF_BYTES)
            binary.seek(0)
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
        except RecursionError:
            raise ReaderError(_too_deep(self.options.limits), file=self.path.name) from None
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
            yield _object_row(number, item, self.options.limits)

    def _jsonl(self) -> Iterator[RawRow]:
        limits = self.options.limits
        with self.path.open("rb") as handle:
            for number, line in _bounded_lines(handle, limits, self.path.name):
                self.bytes_read += len(line)
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    yield RawRow(number, {}, f"not a JSON object: {exc}")
                    continue
                except RecursionError:
                    yield RawRow(number, {}, _too_deep(limits))
                    continue
                if self.options.format == "ftm" and isinstance(item, dict):
                    from crosslink.ingest._ftm import check_entity

                    problem = check_entity(item)
                    if problem:
                        yield RawRow(number, {}, problem)
                        continue
                yield _object_row(number, item, limits)


def _too_deep(limits: InputLimits) -> str:
    return f"JSON nested deeper than {limits.json_max_depth} levels"


def _scan_utf8(binary: IO[bytes]) -> tuple[bool, bool]:
    """(whether the whole stream is valid UTF-8, whether it holds a UTF-8 multi-byte
    character), read in blocks; stops as soon as both answers are known."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid, multibyte = True, False
    while block := binary.read(_SCAN_BYTES):
        if valid:
            try:
                decoder.decode(block, final=False)
            except UnicodeDecodeError:
                valid = False
        multibyte = multibyte or _UTF8_MULTIBYTE.search(block) is not None
        if multibyte and not valid:
            break
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False  # the file ends inside a character
    return valid, multibyte


def _bounded_lines(
    binary: IO[bytes], limits: InputLimits, file: str
) -> Iterator[tuple[int, bytes]]:
    """Numbered lines, refusing one longer than the limit before it is read whole."""
    most = limits.line_max_bytes
    number = 0
    while line := binary.readline(most + 1):
        number += 1
        if len(line) > most:
            raise ReaderError(
                f"the line is longer than {limits.line_max_kb} KB: not a partner file",
                file=file,
                row=number,
            )
        yield number, line


def _object_row(number: int, item: Any, limits: InputLimits) -> RawRow:
    if not isinstance(item, dict):
        return RawRow(number, {}, f"expected an object, found a {type(item).__name__}")
    values: dict[str, RawValue] = {}
    problem = _flatten(item, "", values, limits.json_max_depth)
    return RawRow(number, values, problem)


def _flatten(obj: dict[str, Any], prefix: str, out: dict[str, RawValue], depth: int) -> str | None:
    """Nested objects become dotted keys; lists of scalars become multiple values."""
    if depth <= 0:
        return "the object is nested too deeply"
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            problem = _flatten(value, f"{name}.", out, depth - 1)
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
