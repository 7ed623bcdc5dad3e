"""XLSX reading (openpyxl, read-only, values not formulas), after the zip container is checked
against the limits and only with openpyxl parsing its XML through defusedxml (no entities, so
no billion laughs and no external files)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

import openpyxl
from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from crosslink.errors import ReaderError
from crosslink.ingest.limits import check_zip

if TYPE_CHECKING:
    from crosslink.ingest.readers import FileReader, RawRow


def _cell_text(value: Any) -> str | None:
    from crosslink.ingest.readers import scalar_text

    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    text = scalar_text(value).strip()
    return text or None


def read_xlsx(reader: FileReader) -> Iterator[RawRow]:
    name = reader.path.name
    if not openpyxl.DEFUSEDXML:
        # openpyxl falls back to the standard parser when OPENPYXL_DEFUSEDXML=False is set.
        raise ReaderError("XLSX files are read only through defusedxml, which is off", file=name)
    check_zip(reader.path, reader.options.limits)
    # Our own handle: openpyxl leaves its file open when the workbook fails to load.
    with reader.path.open("rb") as handle:
        workbook = _load(handle, name)
        try:
            yield from _rows(reader, workbook)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ReaderError(f"not a readable XLSX workbook ({exc})", file=name) from exc
        except DefusedXmlException as exc:
            raise ReaderError(f"refused XML in the workbook ({exc!r})", file=name) from exc
        finally:
            workbook.close()
    reader.bytes_read = reader.path.stat().st_size


def _load(handle: IO[bytes], name: str) -> Any:
    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ReaderError(f"not a readable XLSX workbook ({exc})", file=name) from exc
    except ValueError as exc:  # openpyxl wraps what the XML parser (defusedxml) refused
        cause = exc if isinstance(exc, DefusedXmlException) else exc.__cause__
        if isinstance(cause, DefusedXmlException):
            raise ReaderError(f"refused XML in the workbook ({cause!r})", file=name) from exc
        raise ReaderError("not a readable XLSX workbook (invalid XML)", file=name) from exc


def _rows(reader: FileReader, workbook: Any) -> Iterator[RawRow]:
    from crosslink.ingest.readers import RawRow, RawValue

    name = reader.path.name
    sheets = workbook.sheetnames
    wanted = reader.options.sheet
    if wanted is None:
        if len(sheets) != 1:
            listed = ", ".join(repr(s) for s in sheets)
            raise ReaderError(
                f"the workbook has {len(sheets)} sheets ({listed}); name one with 'sheet' in "
                "the mapping",
                file=name,
            )
        wanted = sheets[0]
    elif wanted not in sheets:
        raise ReaderError(f"no sheet {wanted!r} (sheets: {', '.join(sheets)})", file=name)
    rows = workbook[wanted].iter_rows(values_only=True)
    try:
        header_cells = next(rows)
    except StopIteration:
        raise ReaderError(f"sheet {wanted!r} is empty", file=name) from None
    header = [(_cell_text(c) or "") for c in header_cells]
    while header and not header[-1]:
        header.pop()
    reader._check_header(header)
    reader.header = header
    width = len(header)
    for number, cells in enumerate(rows, start=2):
        texts = [_cell_text(c) for c in cells]
        while len(texts) > width and texts[-1] is None:
            texts.pop()
        if not any(texts):
            continue
        values: dict[str, RawValue] = dict(zip(header, texts, strict=False))
        error = None
        if len(texts) > width:
            error = f"row has {len(texts)} cells, the header has {width}"
        yield RawRow(number, values, error)
