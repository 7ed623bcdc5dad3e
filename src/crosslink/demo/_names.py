"""Name pools per country of origin: Latin spellings, native-script forms, variants.

Faker's person providers supply the lists for most origins; ``data/names.yaml`` those Faker
lacks in usable form (Arabic and Persian names with their Latin spellings, Albanian names).
Cyrillic names (Bulgaria, Ukraine) get two Latin transliterations: the official system and an
older, French- or German-influenced one.
"""

from __future__ import annotations

import importlib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class NameForm:
    """One name: its Latin spellings (the first is canonical) and its native-script form."""

    latin: tuple[str, ...]
    native: str | None = None


@dataclass(frozen=True)
class NamePool:
    given_male: tuple[NameForm, ...]
    given_female: tuple[NameForm, ...]
    family: tuple[NameForm, ...]


_FAKER_LOCALES = {
    "RO": "ro_RO",
    "HU": "hu_HU",
    "TR": "tr_TR",
    "BE": "nl_BE",
    "NL": "nl_NL",
    "FR": "fr_FR",
    "DE": "de_DE",
    "GB": "en_GB",
    "VN": "vi_VN",
    "NG": "en_NG",
    "BG": "bg_BG",
    "UA": "uk_UA",
}
_CURATED = {
    "MA": "arabic",
    "DZ": "arabic",
    "SY": "arabic",
    "IQ": "arabic",
    "AF": "persian",
    "IR": "persian",
    "AL": "albanian",
}
_POOL_LIMIT = 400

_BG_OFFICIAL = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sht",
    "ъ": "a",
    "ь": "y",
    "ю": "yu",
    "я": "ya",
}
_BG_OLD = {
    **_BG_OFFICIAL,
    "ж": "j",
    "х": "kh",
    "ц": "c",
    "щ": "st",
    "ъ": "u",
    "ю": "iu",
    "я": "ia",
    "й": "i",
}
_UA_OFFICIAL = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
}
_UA_OLD = {
    **_UA_OFFICIAL,
    "г": "g",
    "и": "i",
    "х": "h",
    "є": "ye",
    "ю": "yu",
    "я": "ya",
    "ї": "yi",
    "й": "y",
    "щ": "sch",
}
_CYRILLIC = {"BG": (_BG_OFFICIAL, _BG_OLD), "UA": (_UA_OFFICIAL, _UA_OLD)}


def transliterate(text: str, table: dict[str, str]) -> str:
    out: list[str] = []
    for ch in text:
        low = ch.lower()
        latin = table.get(low, ch)
        out.append(latin.capitalize() if ch != low and latin else latin)
    return "".join(out)


def strip_accents(text: str) -> str:
    special = text.replace("ı", "i").replace("ß", "ss").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", special)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _umlaut_variant(text: str) -> str:
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(a, b)
    return text


def _latin_forms(name: str, country: str) -> NameForm:
    if country in _CYRILLIC:
        official, old = _CYRILLIC[country]
        forms = [transliterate(name, official), transliterate(name, old)]
        return NameForm(tuple(dict.fromkeys(forms)), name)
    forms = [name, strip_accents(name)]
    if country in {"DE", "HU", "TR"}:
        forms.insert(1, _umlaut_variant(name))
    return NameForm(tuple(dict.fromkeys(forms)))


def _faker_names(values: Any) -> list[str]:
    names = list(values.keys()) if isinstance(values, dict) else list(values)
    return sorted({str(n) for n in names if str(n).strip() and " " not in str(n)})[:_POOL_LIMIT]


def _faker_pool(country: str) -> NamePool:
    provider = importlib.import_module(f"faker.providers.person.{_FAKER_LOCALES[country]}").Provider

    def forms(attr: str) -> tuple[NameForm, ...]:
        return tuple(_latin_forms(n, country) for n in _faker_names(getattr(provider, attr)))

    return NamePool(forms("first_names_male"), forms("first_names_female"), forms("last_names"))


def _curated_pool(group: str) -> NamePool:
    text = resources.files("crosslink.demo").joinpath("data", "names.yaml").read_text("utf-8")
    data = yaml.safe_load(text)[group]

    def forms(key: str) -> tuple[NameForm, ...]:
        return tuple(NameForm(tuple(str(x) for x in e[1:]), e[0]) for e in data[key])

    return NamePool(forms("given_male"), forms("given_female"), forms("family"))


@cache
def pool(country: str) -> NamePool:
    """The name pool for people from ``country`` (ISO alpha-2)."""
    if country in _CURATED:
        return _curated_pool(_CURATED[country])
    if country in _FAKER_LOCALES:
        return _faker_pool(country)
    return _faker_pool("GB")


ORIGINS = tuple(sorted({*_FAKER_LOCALES, *_CURATED}))
