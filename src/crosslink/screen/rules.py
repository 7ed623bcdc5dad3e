"""The indicator rule set and the per-language word lists: YAML data, validated on load.

Both live in ``data/`` and can be replaced by an analyst's own file (``--rules FILE``). Every
problem is a :class:`~crosslink.screen.errors.RuleError` naming the file, the line and the
reason; a pattern that is not a valid regular expression is one of them.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from crosslink.screen._yamldata import Path as YamlPath
from crosslink.screen._yamldata import line_of, load_with_lines, validate
from crosslink.screen.errors import RuleError

LANGUAGES = ("nl", "fr", "en", "de", "ro", "bg")
Language = Literal["nl", "fr", "en", "de", "ro", "bg"]
Feature = Literal["high_pay", "messenger_only", "long_hours", "young_age"]
Period = Literal["hour", "day", "week", "month"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    regions: list[str] = Field(min_length=1)
    digits: dict[str, str]
    at: list[str]
    dot: list[str]
    periods: dict[Period, list[str]]
    hours_units: list[str]
    age_units: list[str]


class Currency(_Strict):
    words: list[str] = Field(min_length=1)
    to_eur: float = Field(gt=0)


class Lexicon(_Strict):
    version: str
    languages: dict[Language, Words]
    currencies: dict[str, Currency]
    places: dict[str, list[str]]


class Example(_Strict):
    lang: Language
    text: str


class Examples(_Strict):
    positive: list[Example] = Field(min_length=1)
    negative: list[Example] = Field(min_length=1)


class Indicator(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    source: str
    weight: float = Field(gt=0, le=10)
    patterns: dict[Language, list[str]] = Field(default_factory=dict)
    feature: Feature | None = None
    examples: Examples


class RuleSet(_Strict):
    version: str
    threshold: float = Field(gt=0)
    min_indicators: int = Field(ge=1)
    market_pay_eur: dict[Period, float]
    long_hours_per_day: float = Field(gt=0)
    young_age_max: int = Field(gt=0)
    indicators: list[Indicator] = Field(min_length=1)
    name: str = "bundled"

    @functools.cached_property
    def compiled(self) -> dict[str, dict[str, list[re.Pattern[str]]]]:
        """Indicator id -> language -> compiled patterns (checked at load)."""
        return {
            ind.id: {
                lang: [re.compile(p, re.IGNORECASE) for p in pats]
                for lang, pats in ind.patterns.items()
            }
            for ind in self.indicators
        }


def _read(path: Path | None, default: str) -> tuple[str, str]:
    if path is None:
        text = resources.files("crosslink.screen").joinpath(f"data/{default}").read_text("utf-8")
        return text, default
    try:
        return path.read_text("utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(str(path), None, f"cannot read the file ({exc})") from None


def load_rules(path: Path | None = None) -> RuleSet:
    """The indicator rule set: the bundled one, or the analyst's file at ``path``."""
    text, file = _read(path, "indicators.yaml")
    data, lines = load_with_lines(text, file)
    rules = validate(RuleSet, data, lines, file)
    seen: set[str] = set()
    for i, ind in enumerate(rules.indicators):
        where: YamlPath = ("indicators", i)
        if ind.id in seen:
            raise RuleError(file, line_of(lines, (*where, "id")), f"indicator {ind.id} twice")
        seen.add(ind.id)
        if not ind.patterns and ind.feature is None:
            raise RuleError(file, line_of(lines, where), f"{ind.id}: no patterns and no feature")
        for lang, patterns in ind.patterns.items():
            for j, pattern in enumerate(patterns):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    line = line_of(lines, (*where, "patterns", lang, j))
                    raise RuleError(
                        file, line, f"{ind.id}: bad pattern {pattern!r}: {exc}"
                    ) from None
    if path is not None:
        rules = rules.model_copy(update={"name": path.stem})
    return rules


@functools.cache
def bundled_rules() -> RuleSet:
    return load_rules()


@functools.cache
def load_lexicon() -> Lexicon:
    """The bundled word lists of every language."""
    text, file = _read(None, "lexicon.yaml")
    data, lines = load_with_lines(text, file)
    return validate(Lexicon, data, lines, file)
