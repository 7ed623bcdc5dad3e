"""The counting rules (``data/counting.yaml``), loaded and validated with file, line and reason."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crosslink.stats.errors import RulesError

BUNDLED = "counting.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RoleRule(_Strict):
    """Matches when every condition it names holds."""

    person_category: str | None = None
    event_kind: tuple[str, ...] = ()
    status: str

    @model_validator(mode="after")
    def _some_condition(self) -> RoleRule:
        if self.person_category is None and not self.event_kind:
            raise ValueError("a rule names a person_category, an event_kind, or both")
        return self

    def matches(self, category: str | None, kinds: set[str]) -> bool:
        if self.person_category is not None and self.person_category != category:
            return False
        return not self.event_kind or any(k.casefold() in kinds for k in self.event_kind)


class RoleSpec(_Strict):
    label: str
    rules: tuple[RoleRule, ...] = Field(min_length=1)


class Band(_Strict):
    label: str
    low: int = Field(alias="from", ge=0)
    high: int | None = Field(default=None, alias="to")


class Dimension(_Strict):
    kind: Literal["year", "status", "property", "age", "citizenship", "source"]
    label: str
    of: Literal["person", "event"] | None = None
    property: str | None = None
    map: dict[str, str] = Field(default_factory=dict)
    others: str | None = None
    bands: tuple[Band, ...] = ()
    eu: tuple[str, ...] = ()
    column: Literal["agency", "default_region", "jurisdiction"] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Dimension:
        if self.kind == "property" and (self.of is None or self.property is None):
            raise ValueError("a property dimension names `of` (person or event) and `property`")
        if self.kind == "age" and not self.bands:
            raise ValueError("an age dimension lists its `bands`")
        if self.kind == "citizenship" and not self.eu:
            raise ValueError("a citizenship dimension lists the `eu` countries")
        if self.kind == "source" and self.column is None:
            raise ValueError("a source dimension names its `column`")
        return self

    def band(self, age: int) -> str | None:
        for band in self.bands:
            if band.low <= age and (band.high is None or age <= band.high):
                return band.label
        return None


class YearRule(_Strict):
    links: tuple[str, ...] = Field(min_length=1)


class DisclosureDefaults(_Strict):
    threshold: int = Field(ge=2)
    base: int = Field(ge=2)
    k: int = Field(ge=2)
    epsilon: float = Field(gt=0)
    privacy_budget: float = Field(gt=0)


class CountingRules(_Strict):
    version: str
    trafficking: tuple[str, ...] = ()
    """The offence's names in the partners' words (referred to by the rules)."""
    unknown: str
    statuses: tuple[str, ...] = Field(min_length=1)
    roles: dict[str, RoleSpec]
    year: YearRule
    dimensions: dict[str, Dimension]
    disclosure: DisclosureDefaults

    @model_validator(mode="after")
    def _statuses_known(self) -> CountingRules:
        for name, role in self.roles.items():
            for rule in role.rules:
                if rule.status not in self.statuses:
                    raise ValueError(f"role {name}: status {rule.status!r} is not in statuses")
        return self

    def rank(self, status: str) -> int:
        return self.statuses.index(status)


def _line_of(root: yaml.Node, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the YAML node at a pydantic error location (closest parent)."""
    node = root
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if getattr(k, "value", None) == str(key)]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1


def parse_rules(text: str, name: str) -> CountingRules:
    """Validate counting rules; errors say file, line and reason."""
    try:
        node = yaml.compose(text)
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "unreadable"
        raise RulesError(f"{name}{line}: not valid YAML: {problem}") from None
    if node is None or not isinstance(raw, dict):
        raise RulesError(f"{name}, line 1: the counting rules must be a mapping")
    try:
        return CountingRules.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        at = _line_of(node, tuple(first["loc"]))
        raise RulesError(f"{name}, line {at}: {where}: {first['msg']}") from None


def load_rules(path: Path | None = None) -> CountingRules:
    """The rules of ``path``, or the bundled ones."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesError(f"{path}: cannot read the counting rules: {exc.strerror}") from None
        return parse_rules(text, str(path))
    return _bundled()


@cache
def _bundled() -> CountingRules:
    text = resources.files("crosslink.stats").joinpath("data", BUNDLED).read_text("utf-8")
    return parse_rules(text, BUNDLED)
