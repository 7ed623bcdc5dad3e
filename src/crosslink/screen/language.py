"""The ad's language, detected offline by lingua among the six languages screened."""

from __future__ import annotations

import functools

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from crosslink.screen.rules import LANGUAGES

# Below this confidence the detector's first guess is not trusted (mixed or very short text).
_MIN_CONFIDENCE = 0.5


@functools.cache
def _detector() -> LanguageDetector:
    wanted = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES
    ]
    # Low-accuracy mode reads trigrams only: several times faster, and ads are long enough
    # for it (the six-language tests hold).
    return LanguageDetectorBuilder.from_languages(*wanted).with_low_accuracy_mode().build()


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when the detector is unsure."""
    if not text.strip():
        return None
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value < _MIN_CONFIDENCE:
        return None
    return str(values[0].language.iso_code_639_1.name.lower())


def choose(given: str | None, text: str) -> tuple[str | None, str]:
    """The language to screen in and where it came from: the ad's own field when it is one of
    the six, else the detector."""
    code = (given or "").strip().lower()[:2]
    if code in LANGUAGES:
        return code, "given"
    return detect(text), "detected"
