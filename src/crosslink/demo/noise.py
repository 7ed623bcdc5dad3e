"""Noise like reality: how a partner's clerk, form or scraper renders the hidden truth.

Every kind of noise is applied at its configured rate and counted (opportunities and
applications), so the manifest reports the rates that actually came out.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from crosslink.demo import _formats as fmt
from crosslink.demo._names import NameForm, strip_accents
from crosslink.demo.config import NoiseRates
from crosslink.demo.truth import Address, Person

_KEYBOARD = {
    "a": "qsz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "y": "tu",
    "z": "as",
}
_STREET_ABBREVIATIONS = (
    ("straat", "str."),
    ("steenweg", "stwg."),
    ("laan", "ln."),
    ("Rue ", "R. "),
    ("Avenue ", "Av. "),
    ("Chaussée ", "Chée "),
    ("Boulevard ", "Bd "),
    ("straße", "str."),
    ("Street", "St"),
    ("Road", "Rd"),
)


@dataclass(frozen=True)
class NameView:
    given: str
    family: str
    alias: str


class Noise:
    """Applies and counts the configured noise; one per world generation."""

    def __init__(self, rates: NoiseRates) -> None:
        self.rates = rates
        self.opportunities: Counter[str] = Counter()
        self.applied: Counter[str] = Counter()

    def _draw(self, rng: random.Random, kind: str, rate: float) -> bool:
        self.opportunities[kind] += 1
        if rng.random() < rate:
            self.applied[kind] += 1
            return True
        return False

    def measured(self) -> dict[str, dict[str, float]]:
        """Per kind of noise: opportunities, applications and the rate that came out."""
        out: dict[str, dict[str, float]] = {}
        for kind in sorted(self.opportunities):
            seen, done = self.opportunities[kind], self.applied[kind]
            out[kind] = {
                "opportunities": seen,
                "applied": done,
                "rate": round(done / seen, 6) if seen else 0.0,
            }
        return out

    # -- names -----------------------------------------------------------------------------
    def _spelling(self, form: NameForm, rng: random.Random, native_ok: bool) -> str:
        choices = list(form.latin[1:])
        if native_ok and form.native:
            choices.append(form.native)
        if choices and self._draw(rng, "transliteration", self.rates.transliteration):
            return rng.choice(choices)
        return form.latin[0]

    def name(
        self, person: Person, rng: random.Random, *, native_ok: bool = False, alias_ok: bool = True
    ) -> NameView:
        """Given name, family name and alias as a record shows them."""
        given = self._spelling(person.given, rng, native_ok)
        family = self._spelling(person.family, rng, native_ok)
        if self._draw(rng, "typo", self.rates.typo):
            if rng.random() < 0.5:
                family = typo(family, rng)
            else:
                given = typo(given, rng)
        if self._draw(rng, "name_swap", self.rates.name_swap):
            given, family = family, given
        alias = ""
        if alias_ok and self._draw(rng, "alias", self.rates.alias):
            alias = person.nickname
        return NameView(given, family, alias)

    # -- dates -----------------------------------------------------------------------------
    def birth(self, birth: dt.date, rng: random.Random, style: str = "dmy") -> str:
        """A date of birth as written: maybe missing, partial or with day and month swapped."""
        rates = self.rates
        self.opportunities["dob_missing"] += 1
        self.opportunities["dob_partial"] += 1
        swappable = birth.day <= 12 and birth.day != birth.month
        if swappable:
            self.opportunities["dob_day_month_swap"] += 1
        point = rng.random()
        if point < rates.dob_missing:
            self.applied["dob_missing"] += 1
            return ""
        point -= rates.dob_missing
        if point < rates.dob_partial:
            self.applied["dob_partial"] += 1
            return "00/00/" + str(birth.year) if style == "dmy" else str(birth.year)
        point -= rates.dob_partial
        if swappable and point < rates.dob_day_month_swap:
            self.applied["dob_day_month_swap"] += 1
            birth = dt.date(birth.year, birth.day, birth.month)
        return format_date(birth, style)

    # -- phones and addresses --------------------------------------------------------------
    def phone(self, e164: str, region: str, rng: random.Random) -> str:
        """National form for the source's own numbers unless noise says international."""
        if fmt.phone_country(e164) != region:
            return fmt.render_phone(e164, "international" if rng.random() < 0.8 else "idd")
        if self._draw(rng, "phone_international", self.rates.phone_international):
            return fmt.render_phone(e164, "international" if rng.random() < 0.7 else "idd")
        return fmt.render_phone(e164, "national")

    def street(self, address: Address, rng: random.Random) -> str:
        """Street, number and box as one line, maybe spelt differently."""
        return self.street_text(address.line, rng)

    def street_text(self, line: str, rng: random.Random) -> str:
        if self._draw(rng, "address_variant", self.rates.address_variant):
            return address_variant(line, rng)
        return line


def format_date(day: dt.date, style: str) -> str:
    if style == "iso":
        return day.isoformat()
    if style == "dmy.":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: a neighbour key, a dropped, doubled or swapped letter."""
    spots = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(spots) < 3:
        return text + text[-1:]
    i = rng.choice(spots[1:])
    kind = rng.randrange(4)
    ch = text[i]
    if kind == 0 and ch.lower() in _KEYBOARD:
        new = rng.choice(_KEYBOARD[ch.lower()])
        return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + ch + text[i:]
    if i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + ch + text[i:]


def address_variant(line: str, rng: random.Random) -> str:
    """The same street written differently: abbreviated, unaccented, shouted, box style."""
    for long, short in _STREET_ABBREVIATIONS:
        if long in line and rng.random() < 0.7:
            return line.replace(long, short)
    kind = rng.randrange(3)
    if kind == 0 and strip_accents(line) != line:
        return strip_accents(line)
    if kind == 1 and " bus " in line:
        return line.replace(" bus ", "/")
    return line.upper() if line.upper() != line else line.lower()
