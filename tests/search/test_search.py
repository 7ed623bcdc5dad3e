"""Search finds people, not rows: one hit per resolved entity, by typo, prefix, script, legal
form, national phone and plate formats; under the policy, and logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from crosslink.access.directory import load_subject
from crosslink.access.schema import audit_log
from crosslink.errors import InvalidValue, JustificationRequired, ModelError
from crosslink.resolve.schema import entity_members
from crosslink.search import SearchQuery, SearchResult, load_rules, parse_rules, search
from crosslink.store import Store

WHY = "case 2026/17: checking a suspect"


def _search(store: Store, text: str, who: str = "analyst", kind: str = "any") -> SearchResult:
    with store.transaction() as conn:
        return search(conn, load_subject(conn, who), SearchQuery(text, kind), justification=WHY)


def test_one_hit_per_person_with_what_tells_namesakes_apart(world: Store) -> None:
    found = _search(world, "Akar")
    assert [h.summary.label for h in found.hits] == ["Bayruhan Akar", "Selin Akar"]
    bayruhan, selin = found.hits
    # three police records of one resolved person make one hit, not three rows
    assert len(bayruhan.records) == 3 and bayruhan.entity_id
    with world.engine.connect() as conn:
        members = set(
            conn.execute(
                select(entity_members.c.record_uid).where(
                    entity_members.c.entity_id == bayruhan.entity_id
                )
            ).scalars()
        )
    assert set(bayruhan.records) == members
    assert bayruhan.summary.names == [("Bayruhan Akar", 3)]
    assert bayruhan.summary.birth_dates == ["1990-03-12"]
    assert selin.summary.birth_dates == ["1975-06-01"]
    assert bayruhan.summary.nationalities == ["TR"] and selin.summary.nationalities == ["NL"]
    assert bayruhan.summary.categories == ["suspect"]
    assert bayruhan.summary.sources == ["demo-be-police"]
    assert (bayruhan.prop, selin.prop) == ("last_name", "last_name")
    assert found.total == 2 and not found.has_more


CASES = [
    # (query, the label of the first hit, the property that matched, its value as written)
    ("Akra", "Bayruhan Akar", "last_name", "Akar"),  # a typo: two letters swapped
    ("Bayru", "Bayruhan Akar", "first_name", "Bayruhan"),  # a prefix
    ("bayruhan AKAR", "Bayruhan Akar", "first_name", "Bayruhan"),
    ("Brese Clean", "Brese Clean BV", "name", "Brese Clean BV"),  # without its legal form
    ("Brese Clean B.V.", "Brese Clean BV", "name", "Brese Clean BV"),
    ("06-12762449", "Bayruhan Akar", "phone", "+31 6 12762449"),  # Dutch, as written locally
    ("0031 6 1276 2449", "Bayruhan Akar", "phone", "+31 6 12762449"),
    ("GK192F", "GK-192-F", "registration", "GK-192-F"),  # Dutch plate, no separators
    ("gk 192 f", "GK-192-F", "registration", "GK-192-F"),
    ("AC-ZS 459", "AC-ZS 459", "registration", "AC-ZS 459"),  # German plate
    ("ACZS459", "AC-ZS 459", "registration", "AC-ZS 459"),
    ("Olena Kovalenko", "Олена Коваленко", "first_name", "Олена"),  # Latin for Cyrillic
    ("Kowalenko", "Олена Коваленко", "last_name", "Коваленко"),  # and a typo on top
]


def test_finds_what_a_user_types(world: Store) -> None:
    for text, label, prop, value in CASES:
        found = _search(world, text)
        assert found.hits, text
        first = found.hits[0]
        # records of one person may write the value differently (Akar, AKAR): any of them
        got = (first.summary.label, first.prop, first.value.casefold())
        assert got == (label, prop, value.casefold()), text


def test_exact_matches_rank_before_typos_and_nothing_is_invented(world: Store) -> None:
    # "Janssens" exactly; "Jansens" is one letter off and still finds him
    assert [h.summary.label for h in _search(world, "Jansens").hits] == ["Marc Janssens"]
    assert _search(world, "Qwxyzzy").hits == []
    # a word of three letters is too short for a typo: "Aka" is a prefix of Akar only
    assert {h.summary.label for h in _search(world, "Aka").hits} == {
        "Bayruhan Akar",
        "Selin Akar",
    }
    # a plate is not found by a name query and the other way round
    assert _search(world, "GK192F", kind="name").hits == []
    assert _search(world, "Akar", kind="plate").read_as == []
    # companies only, when asked for a company
    assert [h.schema for h in _search(world, "Brese", kind="company").hits] == ["Organisation"]


def test_search_is_under_the_policy_and_logged(world: Store) -> None:
    found = _search(world, "Akar")
    with world.engine.connect() as conn:
        entry = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (entry.actor, entry.action, entry.justification) == ("analyst", "consultation", WHY)
    logged = set(json.loads(entry.target)["records"])
    assert logged == {u for h in found.hits for u in h.records}
    # a rapporteur works on statistics, not on people: nothing is given
    assert _search(world, "Akar", who="rapporteur").hits == []
    with world.transaction() as conn, pytest.raises(JustificationRequired):
        search(conn, load_subject(conn, "analyst"), SearchQuery("Akar"), justification=None)


def test_bad_queries_are_refused_clearly(world: Store) -> None:
    with pytest.raises(InvalidValue, match="type something"):
        _search(world, "   ")
    with pytest.raises(InvalidValue, match="kind must be one of"):
        _search(world, "Akar", kind="shoe size")


def test_rules_are_data_checked_with_file_and_line(tmp_path: Path) -> None:
    rules = load_rules()
    assert "NL" in rules.phone_regions and rules.edits_for("akra") == 1
    assert rules.edits_for("aka") == 0 and rules.edits_for("bayruhan") == 2
    good = Path(__file__).parents[2] / "src/crosslink/search/data/search.yaml"
    text = good.read_text("utf-8")
    bad = text.replace("phone_regions: [BE, NL, DE, FR, GB]", "phone_regions: [BE, Holland]")
    line = text.splitlines().index("phone_regions: [BE, NL, DE, FR, GB]") + 1
    with pytest.raises(ModelError, match=rf"bad\.yaml, line {line}: phone_regions: .*Holland"):
        parse_rules(bad, "bad.yaml")
    with pytest.raises(ModelError, match=r"broken\.yaml, line 2: not valid YAML \(mapping"):
        parse_rules("version: 1\nprefix_min: : 3\n", "broken.yaml")
    unknown = text.replace("birth_dates: [birth_date", "birth_dates: [shoe_size")
    with pytest.raises(ModelError, match="shoe_size"):
        parse_rules(unknown, "unknown.yaml")
