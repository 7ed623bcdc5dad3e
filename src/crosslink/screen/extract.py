"""One ad's facts: its language and everything extraction finds in its text."""

from __future__ import annotations

from dataclasses import dataclass, field

from crosslink.screen import contacts, facts, language
from crosslink.screen._types import Extraction
from crosslink.screen.rules import load_lexicon

# Regions tried for a national number when the language says nothing.
_DEFAULT_REGIONS = ("BE", "NL", "FR", "DE", "RO", "BG", "GB")


@dataclass(frozen=True)
class Ad:
    """What screening reads of an ad; ``text`` is the title, a newline, then the body."""

    uid: str
    title: str = ""
    body: str = ""
    language: str | None = None
    contacts: tuple[str, ...] = ()
    """Contact values from the ad's own fields (phone, e-mail, handle), already cleaned."""

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}" if self.title else self.body


@dataclass
class Facts:
    language: str | None
    language_from: str
    found: list[Extraction] = field(default_factory=list)

    def of(self, kind: str) -> list[Extraction]:
        return [e for e in self.found if e.kind == kind]


def regions_for(lang: str | None) -> tuple[str, ...]:
    if lang is None:
        return _DEFAULT_REGIONS
    own = tuple(load_lexicon().languages[lang].regions)  # type: ignore[index]
    return own + tuple(r for r in _DEFAULT_REGIONS if r not in own)


def extract(ad: Ad) -> Facts:
    """Language, contacts, pay, hours, ages and places of ``ad``, each with its span."""
    text = ad.text
    lang, origin = language.choose(ad.language, text)
    found = [
        *contacts.phones(text, regions_for(lang)),
        *contacts.emails(text),
        *contacts.handles(text),
        *facts.pay(text),
        *facts.hours(text),
        *facts.ages(text),
        *facts.places(text),
    ]
    return Facts(lang, origin, found)
