"""Facts in ad text: pay and its period, working hours, ages, places.

The words (currencies, periods, units, towns) come from ``data/lexicon.yaml``; patterns are
built from them once. Amounts are read as written ("1.500", "1 500", "12,50").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from crosslink.screen._types import Extraction, span_of
from crosslink.screen.rules import Period, load_lexicon

_AMOUNT = r"(\d{1,3}(?:[ .,]\d{3})+(?![\d])|\d+(?:[.,]\d{1,2})?)"
_PER = r"(?:\s*(?:/|per|pro|par|pe|на|a|an|op|la|de|p\.)?\s*)"
_SPLIT_THOUSANDS = re.compile(r"^\d{1,3}(?:[ .,]\d{3})+$")


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    pay: re.Pattern[str]
    currency_of: dict[str, str]
    period_of: dict[str, Period]
    hours: re.Pattern[str]
    ages: re.Pattern[str]
    places: re.Pattern[str]
    country_of: dict[str, str]


@functools.cache
def _patterns() -> _Patterns:
    lex = load_lexicon()
    currency_of = {w.lower(): code for code, c in lex.currencies.items() for w in c.words}
    period_of = {
        w.lower(): period
        for words in lex.languages.values()
        for period, ws in words.periods.items()
        for w in ws
    }
    cur, per = _alternation(set(currency_of)), _alternation(set(period_of))
    pay = re.compile(
        rf"(?:(?P<cur1>{cur})\s?{_AMOUNT}|{_AMOUNT}\s?(?P<cur2>{cur})(?!\w))"
        rf"(?:\s*(?:net|netto|brut|bruto|brutto)?{_PER}(?P<period>{per})\b)?",
        re.IGNORECASE,
    )
    units = _alternation({u for w in lex.languages.values() for u in w.hours_units})
    days = _alternation({d for w in lex.languages.values() for d in w.periods["day"]})
    hours = re.compile(
        rf"(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}}))?\s*(?:{units})\b{_PER}(?:{days})\b", re.IGNORECASE
    )
    ages = _alternation({u for w in lex.languages.values() for u in w.age_units})
    joiner = r"(?:-|–|tot|à|a|to|bis|și|si|до|până la|pana la)"
    age = re.compile(rf"\b(1\d|[2-6]\d)\s*{joiner}\s*(1\d|[2-6]\d)\s*(?:{ages})\b", re.IGNORECASE)
    country_of = {town: country for country, towns in lex.places.items() for town in towns}
    places = re.compile(rf"(?<!\w)(?:{_alternation(set(country_of))})(?!\w)")
    return _Patterns(pay, currency_of, period_of, hours, age, places, country_of)


def _amount(text: str) -> float:
    if _SPLIT_THOUSANDS.match(text):
        return float(re.sub(r"\D", "", text))
    return float(text.replace(",", "."))


def pay(text: str) -> list[Extraction]:
    """Amounts with a currency, and the period they are per when the ad says it."""
    p = _patterns()
    rates = load_lexicon().currencies
    out = []
    for match in p.pay.finditer(text):
        written = match.group(2) or match.group(3)
        currency = p.currency_of[(match.group("cur1") or match.group("cur2")).lower()]
        period = p.period_of.get((match.group("period") or "").lower())
        amount = _amount(written)
        detail = {
            "amount": amount,
            "currency": currency,
            "period": period,
            "eur": round(amount * rates[currency].to_eur, 2),
        }
        value = f"{amount:g} {currency}" + (f"/{period}" if period else "")
        out.append(Extraction("pay", value, span_of(text, *match.span()), detail=detail))
    return out


def hours(text: str) -> list[Extraction]:
    """Working hours a day ("10-12 hours a day", "12 uur per dag")."""
    out = []
    for match in _patterns().hours.finditer(text):
        most = max(int(match.group(1)), int(match.group(2) or 0))
        if 0 < most <= 24:
            out.append(
                Extraction(
                    "hours", f"{most}/day", span_of(text, *match.span()), detail={"per_day": most}
                )
            )
    return out


def ages(text: str) -> list[Extraction]:
    """Age ranges asked for ("18-25 years", "de 18 à 25 ans")."""
    out = []
    for match in _patterns().ages.finditer(text):
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        out.append(
            Extraction("age", f"{low}-{high}", span_of(text, *match.span()), detail={"max": high})
        )
    return out


def places(text: str) -> list[Extraction]:
    """Towns of the lexicon's gazetteer, with their country."""
    p = _patterns()
    return [
        Extraction(
            "place",
            match.group(),
            span_of(text, *match.span()),
            detail={"country": p.country_of[match.group()]},
        )
        for match in p.places.finditer(text)
    ]
