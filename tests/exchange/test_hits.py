"""Hit/no-hit between two installations: a shared person is found by both, nobody else is
revealed, and the encodings are worthless to a dictionary without the key."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from crosslink.access import assign_source
from crosslink.errors import InvalidValue, JustificationRequired
from crosslink.exchange.hits import (
    encode,
    identifiers,
    match,
    name_key,
    new_key,
    read_document,
    read_key,
)
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.store import Store
from crosslink.store.sources import Source, add_source
from tests.conftest import fresh_store
from tests.exchange.conftest import last_entry
from tests.exchange.partners import BE, GB, Side, load_belgian_files, make_side
from tests.ingest.helpers import HEADER, POLICE_MAPPING, write_csv

BRITISH_ROWS = [
    # the Belgian suspect P1 under another phone, his name in another order and case
    "N1;POPESCU;ion;1990-03-12;Romanian;suspect;+44 7911 123456;;",
    "N2;Smith;John;1980-05-05;British;witness;+44 7400 123456;;",
]


def _gb_side(store: Store, folder: Path) -> Side:
    side = make_side(store, GB, [BE], keys=False)
    with store.transaction() as conn:
        add_source(conn, Source("gb-nca", "NCA", "persons", "GB"))
        assign_source(conn, side.subject("admin"), "gb-nca", GB.id)
    path = write_csv(folder / "gb.csv", [HEADER, *BRITISH_ROWS])
    mapping = parse_mapping(POLICE_MAPPING, "test-police.yaml")
    with store.transaction() as conn:
        import_file(conn, ImportRequest(path=path, mapping=mapping, source_id="gb-nca"))
    return side


@pytest.fixture(params=["sqlite", "postgresql"])
def sides(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Side, Side]:
    be_dir, gb_dir = tmp_path / "be", tmp_path / "gb"
    be_dir.mkdir()
    gb_dir.mkdir()
    be_ctx, gb_ctx = (fresh_store(request, request.param, d) for d in (be_dir, gb_dir))
    be_store, gb_store = be_ctx.__enter__(), gb_ctx.__enter__()
    request.addfinalizer(lambda: be_ctx.__exit__(None, None, None))
    request.addfinalizer(lambda: gb_ctx.__exit__(None, None, None))
    be = make_side(be_store, BE, [GB], keys=False)
    load_belgian_files(be, be_dir)
    return be, _gb_side(gb_store, gb_dir)


def test_a_shared_person_is_a_hit_on_both_sides_and_nobody_else_shows(
    sides: tuple[Side, Side],
) -> None:
    be, gb = sides
    key = read_key(new_key())
    with be.store.transaction() as conn:
        document = encode(conn, be.subject("analyst"), key, GB.id, "JIT 17")
        assert last_entry(conn).action == "disclosure"
    text = json.dumps(document)
    assert "Popescu" not in text and "470" not in text and "1990" not in text
    sender, tokens = read_document(text, GB.id)
    with gb.store.transaction() as conn:
        hits = match(conn, gb.subject("analyst"), key, sender, tokens, "JIT 17")
        entry = last_entry(conn)
    assert [h.records for h in hits] == [(gb.uid("N1"),)]
    assert entry.action == "combination" and json.loads(entry.recipients or "[]") == [BE.id]
    # the reference goes back; Belgium finds its own record behind it, and only that
    with be.store.transaction() as conn:
        mine = match(conn, be.subject("analyst"), key, GB.id, [hits[0].reference], "JIT 17")
    assert [h.records for h in mine] == [(be.uid("P1"),)]


def test_a_no_hit_reveals_nothing_and_a_dictionary_needs_the_key(
    sides: tuple[Side, Side],
) -> None:
    be, gb = sides
    key, other = read_key(new_key()), read_key(new_key())
    with be.store.transaction() as conn:
        tokens = set(encode(conn, be.subject("analyst"), key, GB.id, "JIT 17")["tokens"])
    with gb.store.transaction() as conn:
        assert match(conn, gb.subject("analyst"), other, BE.id, tokens, "JIT 17") == []
    # an attacker with the file guesses the right identifier: without the key, no use
    guess = "name-dob:ion popescu|1990-03-12"
    assert hashlib.sha256(guess.encode()).hexdigest() not in tokens
    assert hmac.new(other, guess.encode(), hashlib.sha256).hexdigest() not in tokens
    assert hmac.new(key, guess.encode(), hashlib.sha256).hexdigest() in tokens


def test_identifiers_are_normalised_and_typed() -> None:
    person = {
        "first_name": ["Мария"],
        "last_name": ["Ivanova"],
        "birth_date": ["1992-07-01", "1992"],
        "phone": ["+359888123456", "0888 123"],
        "id_number": ["ab-12 345", "12"],
    }
    assert identifiers(person) == {
        "doc:AB12345",
        "phone:+359888123456",
        "name-dob:ivanova mariya|1992-07-01",
    }
    assert name_key("POPESCU, Ion") == name_key("ion popescu")


def test_bad_keys_files_and_missing_justifications_are_refused(sides: tuple[Side, Side]) -> None:
    be, _ = sides
    with pytest.raises(InvalidValue, match="at least 32 bytes"):
        read_key("c2hvcnQ=")
    with pytest.raises(InvalidValue, match="made for gb-nca, not be-fedpol"):
        read_document(json.dumps({"format": "crosslink-hits/1", "partner": "gb-nca"}), BE.id)
    with be.store.transaction() as conn, pytest.raises(JustificationRequired):
        encode(conn, be.subject("analyst"), read_key(new_key()), GB.id, " ")
    with be.store.transaction() as conn, pytest.raises(InvalidValue, match="not a hit reference"):
        match(conn, be.subject("analyst"), read_key(new_key()), GB.id, ["Popescu"], "x")
