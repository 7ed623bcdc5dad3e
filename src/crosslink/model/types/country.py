"""``country``: countries and nationalities, canonical as ISO 3166-1 alpha-2 (``GB``).

Accepted: alpha-2 and alpha-3 codes, English names (common, short, official), the Dutch,
French and German names pycountry ships, and the aliases and nationality words in
``demonyms.yaml`` ("UK", "Groot-Brittannië", "Roemeens", "marocaine", "rumänisch").
The lookup table is built on first use, not at import.
"""

from __future__ import annotations

import gettext
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from crosslink.errors import InvalidValue, ModelError
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._util import fold, require

__all__ = [
    "LANGUAGES",
    "TYPE",
    "clean",
    "compare",
    "demonyms",
    "fingerprint",
    "lookup_key",
    "validate",
]

LANGUAGES = ("en", "nl", "fr", "de")
_NON_WORD = re.compile(r"[\W_]+")
_GENDER_SUFFIX = re.compile(r"\((?:e|ne|le|se|in|en|er|es|s|n)\)$")
# Inflection endings tried when a nationality word is not listed as written ("Roemeense",
# "rumänischen"); longest first so "-en" wins over "-n".
_ENDINGS = ("en", "er", "es", "e", "s", "n")
_Layer = dict[str, set[str]]


def lookup_key(text: str) -> str:
    """The form names are compared in: folded case and accents, punctuation as spaces."""
    folded = _GENDER_SUFFIX.sub("", fold(text).strip())
    words = _NON_WORD.sub(" ", folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@cache
def demonyms() -> dict[str, dict[str, list[str]]]:
    """``demonyms.yaml``: code -> {"aliases" | language -> words}."""
    text = resources.files(__package__).joinpath("demonyms.yaml").read_text(encoding="utf-8")
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ModelError("demonyms.yaml must map country codes to word lists")
    out: dict[str, dict[str, list[str]]] = {}
    for code, entry in data.items():
        if not isinstance(entry, dict) or pycountry.countries.get(alpha_2=str(code)) is None:
            raise ModelError(f"demonyms.yaml: {code!r} is not a known alpha-2 code with lists")
        out[str(code)] = {str(k): [str(w) for w in v or []] for k, v in entry.items()}
    return out


def _names(country: Any) -> Iterator[str]:
    for attr in ("name", "official_name", "common_name"):
        value = getattr(country, attr, None)
        if value:
            yield str(value)


def _add(layer: _Layer, words: Iterable[str], code: str) -> None:
    for word in words:
        key = lookup_key(word)
        if key:
            layer[key].add(code)


def _layers() -> list[_Layer]:
    codes: _Layer = defaultdict(set)
    english: _Layer = defaultdict(set)
    translated: _Layer = defaultdict(set)
    words: _Layer = defaultdict(set)
    catalogs = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in LANGUAGES[1:]
    ]
    for country in pycountry.countries:
        code = str(country.alpha_2)
        _add(codes, (code, str(country.alpha_3)), code)
        names = list(_names(country))
        _add(english, names, code)
        local = [catalog.gettext(name) for catalog in catalogs for name in names]
        # "Syrië", but also "Syrienne, République arabe" -> "Syrienne".
        heads = [name.split(",")[0].split("(")[0] for name in names + local]
        _add(translated, local + heads, code)
    for code, entry in demonyms().items():
        _add(english, entry.get("aliases", []), code)
        for lang in LANGUAGES:
            _add(words, entry.get(lang, []), code)
    return [codes, english, translated, words]


@cache
def _table() -> dict[str, str]:
    """Key -> code; earlier layers win, and a key two countries share in a layer is dropped."""
    table: dict[str, str] = {}
    blocked: set[str] = set()
    for layer in _layers():
        for key, found in layer.items():
            if key in table or key in blocked:
                continue
            if len(found) == 1:
                table[key] = next(iter(found))
            else:
                blocked.add(key)
    return table


@cache
def _word_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, entry in demonyms().items():
        for lang in LANGUAGES:
            for word in entry.get(lang, []):
                table.setdefault(lookup_key(word), code)
    return table


def _inflected(key: str) -> str | None:
    words = _word_table()
    for ending in _ENDINGS:
        if len(key) > len(ending) + 3 and key.endswith(ending):
            code = words.get(key[: -len(ending)])
            if code:
                return code
    return None


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """ISO 3166-1 alpha-2 code for a code, a name or a nationality word."""
    key = lookup_key(require(raw))
    code = _table().get(key) or _inflected(key)
    if code is None:
        raise InvalidValue(f"unknown country {raw.strip()!r}")
    return code


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


def compare(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def fingerprint(cleaned: str) -> str:
    return cleaned


TYPE = ValueType(name="country", clean=clean, compare=compare, fingerprint=fingerprint)
