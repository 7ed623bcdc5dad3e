"""Hostile files, generated where the tests run: zip bombs, billion laughs, deep JSON, huge
lines, a UTF-8 file with a stray cp1252 byte."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

XLSX_MAPPING = """
name: test-hostile-xlsx
format: xlsx
entities:
  person:
    type: Person
    category: {value: victim}
    properties:
      last_name: {column: Nom, required: true}
"""

JSON_MAPPING = """
name: test-hostile-json
format: {fmt}
entities:
  person:
    type: Person
    category: {{value: victim}}
    properties:
      last_name: {{column: name, required: true}}
"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def workbook(path: Path) -> Path:
    """A small, honest workbook: a header ``Nom`` and two people."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Nom"], ["Peeters"], ["Janssens"]):
        sheet.append(row)
    book.save(path)
    return path


def with_part(source: Path, target: Path, name: str, data: bytes, *, extra: int = 0) -> Path:
    """``source`` with part ``name`` replaced (or added) by ``data``, deflated, plus ``extra``
    small empty parts."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != name:
                new.writestr(item, old.read(item.filename))
        new.writestr(name, data)
        for i in range(extra):
            new.writestr(f"customXml/item{i}.xml", b"<a/>")
    return target


def zip_bomb(folder: Path, unpacked_mb: int = 64) -> Path:
    """A workbook whose shared strings unpack to ``unpacked_mb`` MB from a few hundred KB
    (written a megabyte at a time: the test itself stays small)."""
    honest = workbook(folder / "honest.xlsx")
    target = folder / "bomb.xlsx"
    name = "xl/sharedStrings.xml"
    with zipfile.ZipFile(honest) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != name:
                new.writestr(item, old.read(item.filename))
        with new.open(name, "w", force_zip64=True) as part:
            part.write(b"<sst>")
            block = b"A" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(block)
            part.write(b"</sst>")
    return target


def billion_laughs(folder: Path) -> Path:
    honest = workbook(folder / "honest.xlsx")
    sheet = "xl/worksheets/sheet1.xml"
    return with_part(honest, folder / "laughs.xlsx", sheet, LAUGHS.encode())


def mixed_encoding_csv(path: Path) -> Path:
    """UTF-8 throughout (Cyrillic, umlauts) but for one cp1252 byte on row 4."""
    lines = [
        "persoon_id;achternaam;voornaam;geboortedatum;nationaliteit;rol;telefoon;iban;opmerking",
        "P1;Петров;Иван;1990;Russisch;slachtoffer;;;",
        "P2;Müller;Jürgen;1985;Duits;getuige;;;",
    ]
    body = "\r\n".join(lines).encode("utf-8") + b"\r\nP3;Fran\xe7ois;Luc;1980;Frans;getuige;;;\r\n"
    path.write_bytes(body)
    return path


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth
