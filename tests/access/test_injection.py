"""Hostile text: SQL, script, spreadsheet formulas, path traversal — kept as text, harmless."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import inspect, select

from crosslink.access import (
    AuditQuery,
    Event,
    append,
    export_csv,
    list_agencies,
    list_users,
    safe_upload_name,
    search,
    verify,
)
from crosslink.access.directory import Agency, NewUser, add_agency, add_user, load_subject
from crosslink.access.schema import audit_log
from crosslink.store import Store
from crosslink.store.export import safe_cell
from crosslink.store.schema import metadata
from tests.access.helpers import make_agency, make_user

SQL = [
    "Robert'); DROP TABLE users;--",
    "' OR '1'='1",
    'x"; DELETE FROM audit_log; --',
    "%_\\ LIKE wildcards",
]
SCRIPT = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]
HOSTILE = SQL + SCRIPT + FORMULAS


def test_hostile_text_is_stored_and_returned_verbatim(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "ops", "police")
        admin = make_user(conn, "admin", "ops", ["administrator"])
        for n, text in enumerate(HOSTILE):
            add_agency(conn, Agency(f"a{n}", text, "police", "BE"))
            add_user(conn, NewUser(f"u{n}", "ops", frozenset({"analyst"}), full_name=text))
            append(
                conn,
                admin,
                Event("consultation", {"query": text}, justification=text, personal=True),
            )
    with store.transaction() as conn:
        names = {a.name for a in list_agencies(conn)}
        full_names = {u.full_name for u in list_users(conn)}
        for text in HOSTILE:
            found = search(conn, admin, AuditQuery(target=text, action="consultation"))
            assert [e.justification for e in found] == [text], text
        literal = search(conn, admin, AuditQuery(target="%_"))  # no wildcard: only real "%_"
        assert literal and all("%_" in e.target for e in literal)
        tables = set(inspect(conn).get_table_names())
        assert verify(conn).ok
    assert set(HOSTILE) <= names and set(HOSTILE) <= full_names
    assert {t.name for t in metadata.sorted_tables} <= tables


def test_user_names_and_lookups_resist_injection(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "ops", "police")
        make_user(conn, "plain", "ops", ["analyst"])
        for text in SQL:
            with pytest.raises(Exception, match="user name|no active user"):
                add_user(conn, NewUser(text, "ops", frozenset({"analyst"})))
            with pytest.raises(Exception, match="no active user"):
                load_subject(conn, text)


def test_audit_csv_export_disarms_formulas(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "ops", "police")
        admin = make_user(conn, "admin", "ops", ["administrator"])
        for text in FORMULAS:
            append(
                conn,
                admin,
                Event("consultation", {"query": "q"}, justification=text, personal=True),
            )
        out = io.StringIO()
        export_csv(conn, admin, out, AuditQuery(action="consultation"))
        raw = [r for r in conn.execute(select(audit_log.c.justification)).scalars() if r]
    cells = {row[6] for row in csv.reader(io.StringIO(out.getvalue()))}
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@SUM(A1)" in cells
    assert "'+cmd|' /C calc'!A0" in cells and "'-2+3" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert set(FORMULAS) <= set(raw)  # the log itself keeps the text as written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "+1"),
        ("-5", "-5"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_safe_cell(text: str | None, expected: str) -> None:
    assert safe_cell(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\config", "config"),
        ("/absolute/path/report.csv", "report.csv"),
        ("C:\\Users\\x\\intake.xlsx", "intake.xlsx"),
        ("....", "upload"),
        ("", "upload"),
        (".bashrc", "bashrc"),
        ("CON.txt", "_CON.txt"),
        ("a\x00b\nc.csv", "abc.csv"),
        ("rapport <script>.csv", "rapport _script_.csv"),
        ("name; rm -rf ~.csv", "name_ rm -rf _.csv"),
        ("Zürich–Liège.csv", "Zürich_Liège.csv"),
    ],
)
def test_safe_upload_name(name: str, expected: str) -> None:
    assert safe_upload_name(name) == expected


def test_safe_upload_name_is_one_short_component() -> None:
    long = "x" * 500 + ".csv"
    result = safe_upload_name("../" * 50 + long)
    assert len(result) <= 200 and result.endswith(".csv") and "/" not in result
