"""An ad's score: the indicators that fired, each with its weight and the text that fired it.

A pattern fires in the ad's own language; a feature fires on the extracted facts (pay against
the market, messenger-only contact, long days, a young age range). The score is the sum of
the weights of the distinct indicators that fired; an ad is flagged at the rule set's
threshold with at least ``min_indicators`` of them, since one flag alone means little.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crosslink.screen._types import Extraction, Span, span_of
from crosslink.screen.extract import Ad, Facts, extract
from crosslink.screen.rules import Indicator, RuleSet


@dataclass(frozen=True)
class Reason:
    indicator: str
    weight: float
    span: Span | None
    """The text that fired it (None for a feature of the whole ad)."""

    def as_dict(self, version: str) -> dict[str, Any]:
        span = [self.span.start, self.span.end, self.span.text] if self.span else None
        return {
            "indicator": self.indicator,
            "version": version,
            "weight": self.weight,
            "span": span,
        }


@dataclass
class Verdict:
    uid: str
    facts: Facts
    reasons: list[Reason] = field(default_factory=list)
    score: float = 0.0
    flagged: bool = False

    @property
    def indicators(self) -> list[str]:
        return list(dict.fromkeys(r.indicator for r in self.reasons))


def _high_pay(facts: Facts, rules: RuleSet) -> Span | None:
    for pay in facts.of("pay"):
        period = pay.detail.get("period")
        if period and pay.detail["eur"] > rules.market_pay_eur.get(period, float("inf")):
            return pay.span
    return None


def _messenger_only(facts: Facts, rules: RuleSet) -> Span | None:
    if facts.of("email"):
        return None
    via = facts.of("handle") + facts.of("messenger")
    return via[0].span if via else None


def _long_hours(facts: Facts, rules: RuleSet) -> Span | None:
    for found in facts.of("hours"):
        if found.detail["per_day"] >= rules.long_hours_per_day:
            return found.span
    return None


def _young_age(facts: Facts, rules: RuleSet) -> Span | None:
    for found in facts.of("age"):
        if found.detail["max"] <= rules.young_age_max:
            return found.span
    return None


FEATURES: dict[str, Callable[[Facts, RuleSet], Span | None]] = {
    "high_pay": _high_pay,
    "messenger_only": _messenger_only,
    "long_hours": _long_hours,
    "young_age": _young_age,
}


def _fires(indicator: Indicator, text: str, facts: Facts, rules: RuleSet) -> Reason | None:
    for pattern in rules.compiled[indicator.id].get(facts.language or "", []):
        match = pattern.search(text)
        if match:
            return Reason(indicator.id, indicator.weight, span_of(text, *match.span()))
    if indicator.feature is not None:
        span = FEATURES[indicator.feature](facts, rules)
        if span is not None:
            return Reason(indicator.id, indicator.weight, span)
    return None


def judge(ad: Ad, facts: Facts, rules: RuleSet) -> Verdict:
    """Score ``ad`` from its extracted ``facts`` under ``rules``."""
    text = ad.text
    verdict = Verdict(ad.uid, facts)
    for indicator in rules.indicators:
        reason = _fires(indicator, text, facts, rules)
        if reason is not None:
            verdict.reasons.append(reason)
    verdict.score = round(sum(r.weight for r in verdict.reasons), 3)
    verdict.flagged = (
        verdict.score >= rules.threshold and len(verdict.reasons) >= rules.min_indicators
    )
    return verdict


def screen_ad(ad: Ad, rules: RuleSet) -> Verdict:
    """Extract, then score: the whole of one ad's screening."""
    return judge(ad, extract(ad), rules)


def offers(verdict: Verdict) -> list[Extraction]:
    """Housing and transport offers, as extractions: the spans their indicators fired on."""
    kinds = {"housing_provided": "housing", "transport_provided": "transport"}
    return [
        Extraction(kinds[r.indicator], r.indicator, r.span)
        for r in verdict.reasons
        if r.indicator in kinds and r.span is not None
    ]
