"""The search rules (``data/search.yaml``), loaded and validated with file, line and reason."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crosslink.errors import ModelError
from crosslink.model import load_model

RULES_FILE = "search.yaml"
M = TypeVar("M", bound=BaseModel)


class Bounds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min: int = Field(ge=1)
    max: int = Field(ge=1)


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    birth_dates: tuple[str, ...]
    nationalities: tuple[str, ...]


class SearchRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1)
    phone_regions: tuple[str, ...]
    plate_length: Bounds
    prefix_min: int = Field(ge=1)
    typo_edits: dict[int, int]
    max_records: int = Field(ge=1)
    summary: Summary

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [r for r in value if len(r) != 2 or not r.isalpha() or not r.isupper()]
        if bad:
            raise ValueError(f"regions are two capital letters (ISO 3166), not {bad}")
        return value

    @field_validator("summary")
    @classmethod
    def _known_props(cls, value: Summary) -> Summary:
        known = {p for e in load_model().entities.values() for p in e.properties}
        unknown = sorted(p for props in (value.birth_dates, value.nationalities) for p in props)
        missing = [p for p in unknown if p not in known]
        if missing:
            raise ValueError(f"no entity of the model has the properties {missing}")
        return value

    def edits_for(self, word: str) -> int:
        """How many edits a word of this length may be off by (0: it must be exact)."""
        return max((n for length, n in self.typo_edits.items() if len(word) >= length), default=0)


def _line_of(text: str, key: str) -> int | None:
    """The line (1-based) where a top-level key starts, to point at the culprit."""
    node = yaml.compose(text)
    for k, _ in getattr(node, "value", []):
        if getattr(k, "value", None) == key:
            return int(k.start_mark.line) + 1
    return None


def parse_yaml_as(model: type[M], text: str, origin: str) -> M:
    """``text`` validated as ``model``; a :class:`ModelError` names ``origin``, line, reason."""
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise ModelError(f"{origin}{at}: not valid YAML ({reason})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        line = _line_of(text, str(first["loc"][0])) if first["loc"] else None
        where_line = f", line {line}" if line else ""
        raise ModelError(f"{origin}{where_line}: {where or 'rules'}: {first['msg']}") from None


def parse_rules(text: str, origin: str) -> SearchRules:
    """Search rules from YAML text."""
    return parse_yaml_as(SearchRules, text, origin)


@cache
def load_rules(path: Path | None = None) -> SearchRules:
    """The bundled rules (or those in ``path``), validated once."""
    if path is not None:
        return parse_rules(path.read_text(encoding="utf-8"), str(path))
    text = resources.files("crosslink.search").joinpath("data", RULES_FILE).read_text("utf-8")
    return parse_rules(text, f"crosslink/search/data/{RULES_FILE}")
