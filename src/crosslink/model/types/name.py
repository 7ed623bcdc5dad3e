"""``name``: names of people and organisations.

The cleaned form keeps the script the source used (a Cyrillic name stays Cyrillic, an Arabic
name stays Arabic): the original spelling is evidence. Matching works on :func:`latin`, a
lowercase ASCII transliteration, split into :func:`tokens` without particles, so that
"Mohammed El Amrani" meets "Muhammad Amrani" and "Pop Ion" meets "Ion Pop".

Rules that belong to one origin apply to the names of that origin only: the consonant
:func:`skeleton` reads a name with the rules of Arabic script (short vowels and the letters
for long ones left out, a glued article dropped, ...) when it was written in that script or
is recognisably a transliteration from it (:func:`arabic_token`, :func:`arabic_origin`,
with the names listed in ``arabic_names.yaml``); any other name keeps its first letter and
its consonants, so that Albert does not meet Bert, nor Willem Lem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from importlib import resources
from typing import Any

import jellyfish
import yaml
from rigour.names import tokenize_name
from rigour.text.scripts import text_scripts

from crosslink.errors import InvalidValue, ModelError
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._similarity import jaro_winkler, token_set_similarity
from crosslink.model.types._util import ascii_lower, collapse, require, strip_controls

__all__ = [
    "PARTICLES",
    "TYPE",
    "ArabicNames",
    "arabic_names",
    "arabic_origin",
    "arabic_token",
    "clean",
    "compare",
    "fingerprint",
    "latin",
    "phonetic",
    "skeleton",
    "split_by_capitals",
    "tokens",
    "validate",
]

# Names and addresses repeat across a batch; bounded so a long import cannot grow it forever.
_CACHE_SIZE = 65_536

# Name particles (Dutch, German, French, Italian, Portuguese, Arabic): left out of matching
# because sources drop, glue or translate them ("El Amrani", "Amrani", "Elamrani").
PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "von", "zu", "le", "la", "du", "des"}
    | {"di", "da", "dos", "el", "al", "ul", "ben", "bin", "ibn", "abu", "bint", "d", "l"}
)
# Lowercased inside a title-cased name, as Dutch, German and French spell them.
_LOWER_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "von", "zu", "le", "la", "du", "des"}
    | {"di", "da", "dos"}
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_KEEP_INSIDE = "-'."
_LATIN_SPLIT = re.compile(r"[^a-z0-9]+")
# Phonetic agreement is strong evidence for transliterated names (Mohammed / Muhammad), but
# not quite as strong as the same spelling.
_PHONETIC_SCORE = 0.93
# Arabic script is written without short vowels and transliterations disagree on them
# (Mohammed, Muhammad, Mhmd): equal consonant skeletons count almost as much.
_SKELETON_SCORE = 0.9
# Arabic and Persian script write long vowels with the letters for w and y (جبوري: jbwry,
# Jubouri) and leave short ones out: the skeleton of a name of that origin keeps neither.
_ARABIC_VOWELS = re.compile(r"[aeiouyw]+")
# Any other name keeps its first letter, vowel or not (Alan is not Lan, Willem not Lem), and
# drops the vowels after it, y and w among them as in English spellings (Kathy, Kathie;
# Lewis, Louis; Andrew, Andreu).
_LATIN_VOWELS = re.compile(r"[aeiouyw]+")
_VOWEL_LETTERS = re.compile(r"[aeiou]")
_DOUBLES = re.compile(r"(.)\1+")
# Arabic and Persian script end a feminine name with a letter transliterated "h" (سارة: srh,
# فاطمه: ftmh) that Latin spellings mostly leave out (Sara, Fatima): a final "h" after a
# consonant is dropped, unless it makes a digraph (sh, ch, th, ph, gh; a final "zh" is
# rarely one: حمزة, hmzh, is Hamza). Applied once the vowels are gone, so whatever precedes
# it is a consonant.
_TA_MARBUTA = re.compile(r"(?<=[^cgpst])h$")
# Ayn (ع, and the ʿ of scholarly transliteration) becomes "`" in ASCII: a mark inside a word
# ("s`yd", Said), never a boundary between two.
_MARKS = str.maketrans("", "", "'`")
# Words written apart that mark a name of Arabic origin ("Al-Jubouri", "Abu Bakr", "Ben Ali"
# where "Ben" is not the first word: "Ben Smith" is Benjamin).
_ARABIC_MARKERS = frozenset({"al", "el", "abu", "abou", "abd", "bin", "ibn", "bint"})
_ARABIC_INSIDE = frozenset({"ben"})
_ARABIC_ARTICLE = re.compile(r"(?<!\w)ال(?=\w\w)")


def _strip_token(token: str) -> str:
    token = token.strip("-'")
    if token.endswith(".") and not (len(token) == 2 and token[0].isalpha()):
        token = token.rstrip(".")
    return token.lstrip(".")


def _title_if_uniform(text: str) -> str:
    """Title-case a name written all in capitals or all in lowercase; leave mixed case alone.

    Mixed case ("Jan van der Berg", "McDonald") is the person's own spelling; a shouted
    "AL-HASSAN" or a lowercase web form entry carries no casing information.
    """
    cased = [ch for ch in text if ch.isupper() or ch.islower()]
    if not cased or not (all(c.isupper() for c in cased) or all(c.islower() for c in cased)):
        return text
    words = text.split(" ")
    out = [
        w.lower() if i > 0 and w.casefold() in _LOWER_PARTICLES else w.title()
        for i, w in enumerate(words)
    ]
    return " ".join(out)


def clean(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str:
    """NFKC, stray punctuation and controls removed, uniform case turned to title case."""
    text = unicodedata.normalize("NFKC", require(raw)).translate(_APOSTROPHES)
    text = strip_controls(text)
    text = "".join(
        " " if unicodedata.category(ch)[0] in "PSZ" and ch not in _KEEP_INSIDE else ch
        for ch in text
    )
    words = [_strip_token(word) for word in collapse(text).split(" ")]
    text = " ".join(word for word in words if word)
    if not any(ch.isalnum() for ch in text):
        raise InvalidValue(f"no letters in name {raw.strip()!r}")
    return unicodedata.normalize("NFKC", _title_if_uniform(text))


def validate(raw: str, ctx: CleanContext = DEFAULT_CONTEXT) -> str | None:
    return TYPE.validate(raw, ctx)


@lru_cache(maxsize=_CACHE_SIZE)
def latin(cleaned: str) -> str:
    """Lowercase ASCII Latin form: transliterated, diacritics and apostrophes dropped."""
    text = ascii_lower(_ARABIC_ARTICLE.sub("ال ", cleaned)).translate(_MARKS)
    return collapse(_LATIN_SPLIT.sub(" ", text))


def tokens(cleaned: str) -> list[str]:
    """Latin tokens for matching; hyphenated parts split, particles removed.

    A name made only of particles ("De La") keeps them, or there would be nothing to match.
    """
    parts = latin(cleaned).split()
    kept = [part for part in parts if part not in PARTICLES]
    return kept or parts


def _shouted(word: str) -> bool:
    cased = [ch for ch in word if ch.isupper() or ch.islower()]
    return len(cased) >= 2 and all(ch.isupper() for ch in cased)


def split_by_capitals(cleaned: str) -> tuple[str, str] | None:
    """Given and family name (latin, particles removed) of a full name that writes the family
    name in capitals, as Belgian, French and Dutch administrations do ("VAN DAMME Jean",
    "Jean VAN DAMME"); ``None`` when the casing says nothing (no capitals run at one end).
    """
    words = cleaned.split()
    shouted = [_shouted(w) for w in words]
    if all(shouted) or not any(shouted):
        return None
    # A particle written in lower case inside the capitals ("VAN der BERG") belongs to them.
    lead = 0
    while lead < len(words) and (shouted[lead] or words[lead].casefold() in PARTICLES):
        lead += 1
    trail = len(words)
    while trail > 0 and (shouted[trail - 1] or words[trail - 1].casefold() in PARTICLES):
        trail -= 1
    if 0 < lead < len(words) and not any(shouted[lead:]):
        family, given = words[:lead], words[lead:]
    elif 0 < trail < len(words) and not any(shouted[:trail]):
        given, family = words[:trail], words[trail:]
    else:
        return None
    given_text, family_text = " ".join(tokens(" ".join(given))), " ".join(tokens(" ".join(family)))
    return (given_text, family_text) if given_text and family_text else None


def _glued(cleaned: str) -> list[str]:
    """Tokens with each particle glued to the next word: "Ben Ali" -> "benali"."""
    out: list[str] = []
    pending = ""
    for part in latin(cleaned).split():
        if part in PARTICLES:
            pending += part
        else:
            out.append(pending + part)
            pending = ""
    return out


@lru_cache(maxsize=_CACHE_SIZE)
def _metaphone(token: str) -> str:
    return str(jellyfish.metaphone(token))


@dataclass(frozen=True)
class ArabicNames:
    """``arabic_names.yaml``: what marks a Latin name as a transliteration from Arabic."""

    names: frozenset[str]
    prefixes: tuple[str, ...]
    articles: tuple[str, ...]
    joined: tuple[str, ...]
    suffixes: tuple[str, ...]


def _words(data: dict[str, Any], key: str) -> list[str]:
    found = data.get(key)
    if not isinstance(found, list):
        raise ModelError(f"arabic_names.yaml: {key!r} must be a list")
    flat = [w for item in found for w in (item if isinstance(item, list) else [item])]
    bad = [w for w in flat if not (isinstance(w, str) and re.fullmatch(r"[a-z]+", w))]
    if bad:
        raise ModelError(f"arabic_names.yaml: {key!r} holds words that are not a-z: {bad[:3]}")
    return [str(w) for w in flat]


@cache
def arabic_names() -> ArabicNames:
    """The names and affixes of ``arabic_names.yaml`` (lowercase ASCII, as :func:`latin`)."""
    text = resources.files(__package__).joinpath("arabic_names.yaml").read_text(encoding="utf-8")
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ModelError("arabic_names.yaml must map names, prefixes, ... to word lists")
    return ArabicNames(
        names=frozenset(_words(data, "names")),
        prefixes=tuple(_words(data, "prefixes")),
        articles=tuple(_words(data, "articles")),
        joined=tuple(_words(data, "joined")),
        suffixes=tuple(_words(data, "suffixes")),
    )


def _abjad(token: str) -> bool:
    """Whether a latin token reads as a transliteration of Arabic or Persian script: no vowel
    letter, but a final "a" (ى); a Latin name writes its vowels (jbwry, mhmd, srh; Lynn too)."""
    return not _VOWEL_LETTERS.search(token[:-1] if token.endswith("a") else token)


def _listed(token: str) -> bool:
    data = arabic_names()
    return token in data.names or token.startswith(data.prefixes) or token.endswith(data.suffixes)


@lru_cache(maxsize=_CACHE_SIZE)
def _article_free(token: str) -> str | None:
    """The name a glued article is written with ("aljubouri": "jubouri"), when it is a listed
    Arabic name; ``None`` otherwise ("albert": "bert" is none)."""
    for article in arabic_names().articles:
        rest = token[len(article) :]
        if token.startswith(article) and len(rest) >= 3 and _listed(rest):
            return rest
    return None


@lru_cache(maxsize=_CACHE_SIZE)
def arabic_token(token: str) -> bool:
    """Whether a latin token (:func:`tokens`) is of Arabic or Persian origin: written in that
    script (no vowel letters, as :func:`latin` transliterates it), a listed name, a name with a
    listed prefix or suffix ("Abdelkader", "Nasrullah"), or one glued to an article or to
    "ben", "abu" ... ("Aljubouri", "Benyoussef")."""
    if _abjad(token) or _listed(token) or _article_free(token) is not None:
        return True
    return any(
        token.startswith(part) and _listed(token[len(part) :]) for part in arabic_names().joined
    )


@lru_cache(maxsize=_CACHE_SIZE)
def arabic_origin(cleaned: str) -> bool:
    """Whether a whole name is of Arabic or Persian origin: written in Arabic script
    (:func:`rigour.text.scripts.text_scripts`), with an article or "abu", "bin" ... written
    apart ("Al-Jubouri", "Youssef Ben Ali"), or with a token :func:`arabic_token` knows."""
    if "Arabic" in text_scripts(cleaned):
        return True
    words = [ascii_lower(word) for word in tokenize_name(cleaned.casefold())]
    if any(w in _ARABIC_MARKERS for w in words) or any(w in _ARABIC_INSIDE for w in words[1:]):
        return True
    return any(arabic_token(token) for token in tokens(cleaned))


@lru_cache(maxsize=_CACHE_SIZE)
def skeleton(text: str, arabic: bool | None = None) -> str:
    """The consonants of latin tokens, doubles merged, "kh" read as "h" (Cyrillic х).

    A token of Arabic or Persian origin (``arabic`` None: :func:`arabic_token` decides for
    each token; True or False: the caller knows the whole name's origin) leaves out every
    vowel and the letters for long ones (w, y), a glued article, a final "h" after a consonant,
    and reads "dh" as "z": transliterations that differ in vowels agree (Mohammed, Mhmd;
    Aljubouri, jbwry; Sara, srh). Any other token keeps its first letter and drops the vowels
    after it: Albert is not Bert, Willem not Lem, Alan not Lan."""
    return _DOUBLES.sub(r"\1", "".join(_consonants(t, arabic) for t in text.split()))


def _consonants(token: str, arabic: bool | None) -> str:
    if not (arabic_token(token) if arabic is None else arabic):
        token = token.replace("kh", "h")
        return token[:1] + _LATIN_VOWELS.sub("", token[1:])
    # Persian says ظ and ذ (transliterated "dh": نظری, ndhry) as "z" (Nazari).
    token = (_article_free(token) or token).replace("kh", "h").replace("dh", "z")
    return _TA_MARBUTA.sub("", _ARABIC_VOWELS.sub("", token))


def _token_score(a: str, b: str, arabic: bool | None = None) -> float:
    score = jaro_winkler(a, b)
    if score < _PHONETIC_SCORE:
        code_a, code_b = _metaphone(a), _metaphone(b)
        if code_a == code_b and len(code_a) >= 3:
            return _PHONETIC_SCORE
    if score < _SKELETON_SCORE:
        skel_a, skel_b = skeleton(a, arabic), skeleton(b, arabic)
        if skel_a == skel_b and len(skel_a) >= 3:
            return _SKELETON_SCORE
    return score


def compare(a: str, b: str) -> float:
    """Order-free similarity of the latin tokens (Jaro-Winkler with a phonetic fallback, and a
    skeleton fallback read with Arabic rules when either name is of that origin)."""
    if a == b:
        return 1.0
    ta, tb = tokens(a), tokens(b)
    if sorted(ta) == sorted(tb):
        return 1.0
    arabic = True if arabic_origin(a) or arabic_origin(b) else None
    score = partial(_token_score, arabic=arabic)
    best = token_set_similarity(ta, tb, score)
    # Sources glue or split particles ("Elamrani", "El Amrani"): try the glued reading too.
    ga, gb = _glued(a) or ta, _glued(b) or tb
    if (ga, gb) != (ta, tb):
        best = max(
            best,
            token_set_similarity(ga, tb, score),
            token_set_similarity(ta, gb, score),
            token_set_similarity(ga, gb, score),
        )
    return best


def fingerprint(cleaned: str) -> str:
    """Sorted latin tokens without particles: "Ion Pop" and "POP, Ion" share it."""
    return " ".join(sorted(tokens(cleaned)))


def phonetic(cleaned: str) -> str:
    """Sorted metaphone codes of the tokens, a looser blocking key than the fingerprint."""
    return " ".join(sorted(_metaphone(token) or token for token in tokens(cleaned)))


TYPE = ValueType(name="name", clean=clean, compare=compare, fingerprint=fingerprint)
