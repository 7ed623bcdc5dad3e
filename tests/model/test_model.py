"""The data model loads, is consistent, and refuses what it does not know."""

from __future__ import annotations

import pytest

from crosslink.errors import InvalidValue, ModelError
from crosslink.model import Model, load_model
from crosslink.model import types as value_types

ENTITY_TYPES = {
    "Person",
    "Organisation",
    "Address",
    "Phone",
    "Email",
    "OnlineAccount",
    "Vehicle",
    "BankAccount",
    "IdentityDocument",
    "Ad",
    "Place",
}
LINK_TYPES = {
    "employed_by",
    "registered_at",
    "lives_at",
    "owns",
    "uses",
    "ad_contact",
    "director_of",
    "family",
    "associate",
    "payment",
    "travelled_with",
    "co_offender",
    "recruited",
    "transported",
    "exploited",
    "victim_of",
}


def test_the_model_has_what_the_field_needs() -> None:
    model = load_model()
    assert set(model.entities) >= ENTITY_TYPES
    assert set(model.links) >= LINK_TYPES
    cats = model.categories
    assert set(cats["handling_codes"].values) == {"H0", "H1", "H2", "H3"}
    assert set(cats["source_grades"].values) == {"A", "B", "C", "X"}
    assert set(cats["information_grades"].values) == {"1", "2", "3", "4"}
    assert set(cats["uk_intelligence_grades"].values) == {"1", "2", "3", "4", "5"}
    assert set(cats["uk_handling_codes"].values) == {"P", "C"}
    assert {"suspect", "convicted", "victim", "other"} <= set(cats["person_categories"].values)
    assert {
        "sexual",
        "labour",
        "begging",
        "criminality",
        "domestic_servitude",
        "organ_removal",
    } <= set(cats["exploitation_forms"].values)


def test_every_property_names_a_known_type_or_category() -> None:
    model = load_model()
    known = set(value_types.names())
    for entity in model.entities.values():
        for prop in entity.properties.values():
            assert (prop.type in known) or (prop.category in model.categories)


@pytest.mark.parametrize(
    ("category", "word", "code"),
    [
        ("person_categories", "Slachtoffer", "victim"),
        ("person_categories", "VICTIME", "victim"),
        ("person_categories", "verdächtiger", "suspect"),
        ("person_categories", "témoin", "other"),
        ("labour_sectors", "Horeca", "hospitality"),
        ("labour_sectors", "car-wash", "car_wash"),
        ("exploitation_forms", "exploitation économique", "labour"),
        ("handling_codes", "h2", "H2"),
    ],
)
def test_partners_words_map_to_codes(category: str, word: str, code: str) -> None:
    assert load_model().category_code(category, word) == code


def test_unknown_words_and_names_are_refused_with_the_choices() -> None:
    model = load_model()
    with pytest.raises(InvalidValue, match="'schurk' is not one of person_categories"):
        model.category_code("person_categories", "schurk")
    with pytest.raises(ModelError, match="unknown entity type 'Persoon'"):
        model.entity("Persoon")
    with pytest.raises(ModelError, match="Person has no property 'shoe_size'"):
        model.prop("Person", "shoe_size")
    with pytest.raises(ModelError, match="unknown link type"):
        model.link("knows")


def test_an_invalid_model_is_refused_when_loaded() -> None:
    raw = load_model().model_dump()
    raw["entities"]["Person"]["properties"]["phone"]["type"] = "telephone"
    with pytest.raises(ValueError, match="Person.phone: unknown value type 'telephone'"):
        Model.model_validate(raw)
    raw = load_model().model_dump()
    raw["links"]["uses"]["target"].append("Spaceship")
    with pytest.raises(ValueError, match="unknown entity type 'Spaceship'"):
        Model.model_validate(raw)
