from __future__ import annotations

import gettext
from collections.abc import Callable

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosslink.model.types import country

SETTINGS = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    "raw",
    [
        "UK",
        "United Kingdom",
        "Groot-Brittannië",
        "Royaume-Uni",
        "Vereinigtes Königreich",
        "GBR",
        "gb",
        "British",
        "Brits",
    ],
)
def test_united_kingdom(raw: str) -> None:
    assert country.clean(raw) == "GB"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Roemeens", "RO"),
        ("Roemeense", "RO"),
        ("roumaine", "RO"),
        ("rumänisch", "RO"),
        ("RUMÄNISCHE", "RO"),
        ("Moroccan", "MA"),
        ("Marokkaans", "MA"),
        ("marocain(e)", "MA"),
        ("Bulgaars", "BG"),
        ("bulgare", "BG"),
        ("Syrië", "SY"),
        ("Syrian Arab Republic", "SY"),
        ("syrienne", "SY"),
        ("Afghaanse", "AF"),
        ("Eritreeër", "ER"),
        ("Albanees", "AL"),
        ("Irakees", "IQ"),
        ("iranien", "IR"),
        ("Nigerian", "NG"),
        ("Viet Nam", "VN"),
        ("Oekraïens", "UA"),
        ("Türkei", "TR"),
        ("Belge", "BE"),
        ("the Netherlands", "NL"),
        ("Nederlandse", "NL"),
        ("Duitser", "DE"),
        ("polonaise", "PL"),
        ("moldave", "MD"),
        ("Slowaaks", "SK"),
        ("Ungarin", "HU"),
        ("indienne", "IN"),
        ("chinesisch", "CN"),
        ("brésilienne", "BR"),
        ("Côte d'Ivoire", "CI"),
        ("COTE D IVOIRE", "CI"),
        ("Russia", "RU"),
    ],
)
def test_names_and_demonyms(raw: str, code: str) -> None:
    assert country.clean(raw) == code


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("Atlantis", "unknown country 'Atlantis'"),
        ("Korea", "unknown country 'Korea'"),  # North or South: refuse to guess
        ("XX", "unknown country 'XX'"),
        ("", "empty value"),
    ],
)
def test_rejects(raw: str, reason: str) -> None:
    assert country.validate(raw) == reason


def test_demonyms_file_is_valid() -> None:
    table = country.demonyms()
    assert {"RO", "BG", "MA", "SY", "AF", "GB", "ER", "VN", "UA"} <= set(table)
    for code, entry in table.items():
        assert pycountry.countries.get(alpha_2=code) is not None
        assert set(entry) <= {"aliases", *country.LANGUAGES}
        for words in entry.values():
            for word in words:
                assert country.clean(word) == code, word


def test_compare_and_fingerprint() -> None:
    assert country.compare("GB", "GB") == 1.0
    assert country.compare("GB", "IE") == 0.0
    assert country.fingerprint("GB") == "GB"


# (alpha-2, alpha-3, English name) of every country pycountry knows.
COUNTRIES = sorted((str(c.alpha_2), str(c.alpha_3), str(c.name)) for c in pycountry.countries)
CASES: list[Callable[[str], str]] = [str.upper, str.lower, str.title, str.strip]


def _spell(entry: tuple[str, str, str], form: str) -> str:
    alpha_2, alpha_3, name = entry
    if form == "alpha_2":
        return alpha_2
    if form == "alpha_3":
        return alpha_3
    if form == "en":
        return name
    catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[form])
    return catalog.gettext(name)


@SETTINGS
@given(
    st.sampled_from(COUNTRIES),
    st.sampled_from(["en", "nl", "fr", "de", "alpha_2", "alpha_3"]),
    st.sampled_from(CASES),
)
def test_any_language_gives_the_same_code(
    entry: tuple[str, str, str], form: str, case: Callable[[str], str]
) -> None:
    cleaned = country.clean(case(_spell(entry, form)))
    assert cleaned == entry[0]
    assert country.clean(cleaned) == cleaned
    assert country.fingerprint(cleaned) == country.fingerprint(country.clean(entry[1]))
