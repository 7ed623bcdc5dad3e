"""A small streaming XLSX writer: byte-for-byte reproducible and fast.

openpyxl stamps the save time into the workbook and the zip entries, and costs about a
millisecond a row; a partner's export needs neither. This writes the few parts a spreadsheet
needs (inline strings, one date style), streamed into the archive row by row, with fixed
timestamps. openpyxl and Excel read the result.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO
from xml.sax.saxutils import escape

FIXED = (2024, 1, 1, 0, 0, 0)
_EPOCH = dt.date(1899, 12, 30)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
{sheets}\
<Override PartName="/docProps/core.xml" \
ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
</Types>"""
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PKG}">\
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
Target="docProps/core.xml"/></Relationships>"""
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>\
</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>\
</cellStyles></styleSheet>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties \
xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>{creator}</dc:creator>\
<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>\
<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>\
</cp:coreProperties>"""

Cell = str | int | float | dt.date | None


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Cell) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


class XlsxWriter:
    """Sheets written one after another, rows streamed; call :meth:`sheet` then :meth:`row`."""

    def __init__(self, path: Path, creator: str) -> None:
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
        self._creator = creator
        self._names: list[str] = []
        self._part: IO[bytes] | None = None
        self._row = 0
        self._letters = [_column(i) for i in range(64)]

    def _entry(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def sheet(self, name: str) -> None:
        self._close_sheet()
        self._names.append(name)
        self._part = self._zip.open(self._entry(f"xl/worksheets/sheet{len(self._names)}.xml"), "w")
        self._part.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_NS}"><sheetData>'.encode()
        )
        self._row = 0

    def row(self, values: Sequence[Cell]) -> int:
        """Append a row; returns its number (the first row is 1)."""
        assert self._part is not None, "call sheet() first"
        self._row += 1
        n = self._row
        cells = "".join(_cell(f"{self._letters[i]}{n}", v) for i, v in enumerate(values))
        self._part.write(f'<row r="{n}">{cells}</row>'.encode())
        return n

    def _close_sheet(self) -> None:
        if self._part is not None:
            self._part.write(b"</sheetData></worksheet>")
            self._part.close()
            self._part = None

    def close(self) -> None:
        self._close_sheet()
        sheets = "".join(
            f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, n in enumerate(self._names, start=1)
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self._names) + 1)
        )
        styles = len(self._names) + 1
        parts = {
            "[Content_Types].xml": _CONTENT.format(
                sheets="".join(_SHEET_TYPE.format(n=i) for i in range(1, len(self._names) + 1))
            ),
            "_rels/.rels": _ROOT_RELS,
            "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{sheets}'
            "</sheets></workbook>",
            "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8" '
            f'standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
            f'{rels}<Relationship Id="rId{styles}" '
            f'Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
            "xl/styles.xml": _STYLES,
            "docProps/core.xml": _CORE.format(creator=escape(self._creator)),
        }
        for name, text in parts.items():
            self._zip.writestr(self._entry(name), text.encode())
        self._zip.close()

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
