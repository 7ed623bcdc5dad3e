"""``name``: names of people and organisations.

The cleaned form keeps the script the source used (a Cyrillic name stays Cyrillic, an Arabic
name stays Arabic): the original spelling is evidence. Matching works on :func:`latin`, a
lowercase ASCII transliteration, split into :func:`tokens` without particles, so that
"Mohammed El Amrani" meets "Muhammad Amrani" and "Pop Ion" meets "Ion Pop".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

from crosslink.errors import InvalidValue
from crosslink.model.types._base import DEFAULT_CONTEXT, CleanContext, ValueType
from crosslink.model.types._similarity import jaro_winkler, token_set_similarity
from crosslink.model.types._util import ascii_lower, collapse, require, strip_controls

__all__ = [
    "PARTICLES",
    "TYPE",
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
# Jubouri) and leave short ones out: the skeleton keeps neither.
_VOWELS = re.compile(r"[aeiouyw]+")
_DOUBLES = re.compile(r"(.)\1+")
# The Arabic article: glued to a Latin name ("Aljubouri", "Elamrani"), and in Arabic script
# (الجبوري), where it is written as one word with the name.
_GLUED_ARTICLE = re.compile(r"^[ae]l(?=[a-z]{4})")
# Arabic and Persian script end a feminine name with a letter transliterated "h" (سارة: srh,
# فاطمه: ftmh) that Latin spellings mostly leave out (Sara, Fatima): a final "h" after a
# consonant is dropped, unless it makes a digraph (sh, ch, th, ph, gh; a final "zh" is
# rarely one: حمزة, hmzh, is Hamza). Applied once the vowels are gone, so whatever precedes
# it is a consonant.
_TA_MARBUTA = re.compile(r"(?<=[^cgpst])h$")
# Ayn (ع, and the ʿ of scholarly transliteration) becomes "`" in ASCII: a mark inside a word
# ("s`yd", Said), never a boundary between two.
_MARKS = str.maketrans("", "", "'`")
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


@lru_cache(maxsize=_CACHE_SIZE)
def skeleton(text: str) -> str:
    """The consonants of latin tokens, doubles merged, without a glued Arabic article or a
    final "h" after a consonant, "kh" read as "h" (Cyrillic х) and "dh" as "z":
    transliterations that differ in vowels agree (Mohammed, Mhmd; Aljubouri, jbwry; Sara,
    srh)."""
    return _DOUBLES.sub(r"\1", "".join(_consonants(t) for t in text.split()))


def _consonants(token: str) -> str:
    # Persian says ظ and ذ (transliterated "dh": نظری, ndhry) as "z" (Nazari).
    token = _GLUED_ARTICLE.sub("", token).replace("kh", "h").replace("dh", "z")
    return _TA_MARBUTA.sub("", _VOWELS.sub("", token))


def _token_score(a: str, b: str) -> float:
    score = jaro_winkler(a, b)
    if score < _PHONETIC_SCORE:
        code_a, code_b = _metaphone(a), _metaphone(b)
        if code_a == code_b and len(code_a) >= 3:
            return _PHONETIC_SCORE
    if score < _SKELETON_SCORE:
        skel_a, skel_b = skeleton(a), skeleton(b)
        if skel_a == skel_b and len(skel_a) >= 3:
            return _SKELETON_SCORE
    return score


def compare(a: str, b: str) -> float:
    """Order-free similarity of the latin tokens (Jaro-Winkler with a phonetic fallback)."""
    if a == b:
        return 1.0
    ta, tb = tokens(a), tokens(b)
    if sorted(ta) == sorted(tb):
        return 1.0
    best = token_set_similarity(ta, tb, _token_score)
    # Sources glue or split particles ("Elamrani", "El Amrani"): try the glued reading too.
    ga, gb = _glued(a) or ta, _glued(b) or tb
    if (ga, gb) != (ta, tb):
        best = max(
            best,
            token_set_similarity(ga, tb, _token_score),
            token_set_similarity(ta, gb, _token_score),
            token_set_similarity(ga, gb, _token_score),
        )
    return best


def fingerprint(cleaned: str) -> str:
    """Sorted latin tokens without particles: "Ion Pop" and "POP, Ion" share it."""
    return " ".join(sorted(tokens(cleaned)))


def phonetic(cleaned: str) -> str:
    """Sorted metaphone codes of the tokens, a looser blocking key than the fingerprint."""
    return " ".join(sorted(_metaphone(token) or token for token in tokens(cleaned)))


TYPE = ValueType(name="name", clean=clean, compare=compare, fingerprint=fingerprint)
