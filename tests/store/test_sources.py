"""Sources: validated codes, cleaned countries, unique ids — on both backends."""

from __future__ import annotations

import pytest

from crosslink.errors import Conflict, InvalidValue, NotFound
from crosslink.store import Store
from crosslink.store.sources import Source, add_source, get_source, list_sources


def test_a_source_is_stored_with_clean_codes(store: Store) -> None:
    with store.transaction() as conn:
        added = add_source(
            conn,
            Source(
                id="nl-kmar",
                agency="Koninklijke Marechaussee",
                dataset="Border checks",
                jurisdiction="Nederland",
                handling_code="h2",
                source_grade="b",
                info_grade="3",
            ),
        )
    assert (added.jurisdiction, added.default_region) == ("NL", "NL")
    assert (added.handling_code, added.source_grade) == ("H2", "B")
    with store.transaction() as conn:
        assert get_source(conn, "nl-kmar") == added
        assert [s.id for s in list_sources(conn)] == ["nl-kmar"]


def test_uk_grading_takes_its_own_codes(store: Store) -> None:
    with store.transaction() as conn:
        added = add_source(
            conn,
            Source(
                id="uk-nca",
                agency="National Crime Agency",
                dataset="Intel",
                jurisdiction="UK",
                grading_system="uk",
                source_grade="A",
                info_grade="5",
            ),
        )
        assert added.jurisdiction == "GB"
        with pytest.raises(InvalidValue, match="not one of information_grades"):
            add_source(
                conn, Source(id="x", agency="a", dataset="d", jurisdiction="BE", info_grade="5")
            )


def test_duplicates_bad_ids_and_missing_sources(store: Store) -> None:
    src = Source(id="be-sis", agency="SIOD/ECOSOC", dataset="Findings", jurisdiction="BE")
    with store.transaction() as conn:
        add_source(conn, src)
        with pytest.raises(Conflict, match="exists already"):
            add_source(conn, src)
        with pytest.raises(InvalidValue, match="source id"):
            add_source(conn, Source(id="../etc", agency="a", dataset="d", jurisdiction="BE"))
        with pytest.raises(NotFound, match="no source 'nope'"):
            get_source(conn, "nope")
