"""The rules applied beside the model, as a registry of named, versioned entries.

The Splink model scores pairs; these rules decide what the scores may not: which pairs are
kept apart whatever they score, which chains are checked, which groups a name alone may
join. Each has a name and a version (``data/rules.yaml``); a run applies a set of them and
records which (``resolve_runs.rules``), so a result can always be traced to the rules that
made it. The default set holds only what is true of any data; the rest are opt-in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from crosslink.errors import CrosslinkError

__all__ = [
    "DEFAULT_RULES",
    "Rule",
    "RuleSet",
    "UnknownRule",
    "registry",
    "rule_set",
]


class UnknownRule(CrosslinkError):
    """A rule name that the registry does not hold, or a fixed rule switched off."""


@dataclass(frozen=True)
class Rule:
    name: str
    version: int
    default: bool
    summary: str
    fixed: bool = False
    """Always applied: it cannot be switched off."""

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


@cache
def registry() -> dict[str, Rule]:
    """Every rule, by name, in the order of the registry file."""
    text = resources.files("crosslink.resolve").joinpath("data/rules.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    out: dict[str, Rule] = {}
    for entry in loaded["rules"]:
        rule = Rule(
            name=str(entry["name"]),
            version=int(entry["version"]),
            default=bool(entry["default"]),
            summary=" ".join(str(entry["summary"]).split()),
            fixed=bool(entry.get("fixed", False)),
        )
        out[rule.name] = rule
    return out


@dataclass(frozen=True)
class RuleSet:
    """The rules a run applies (names of the registry)."""

    names: frozenset[str]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    @property
    def strict_dates(self) -> bool:
        return "strict-dates" in self.names

    @property
    def verified_identifiers(self) -> bool:
        return "verified-identifiers" in self.names

    @property
    def chain_check(self) -> bool:
        return "chain-check" in self.names

    @property
    def names_need_support(self) -> bool:
        return "names-need-support" in self.names

    @property
    def namesakes(self) -> frozenset[str]:
        """The namesake rules in force (``sole-namesake``, ``shared-ties``,
        ``shared-associates``)."""
        return self.names & {"sole-namesake", "shared-ties", "shared-associates"}

    def labels(self) -> list[str]:
        """``name@version`` of each rule, in the registry's order: what a run records."""
        return [rule.label for rule in registry().values() if rule.name in self.names]

    def describe(self) -> str:
        return ", ".join(self.labels())


def rule_set(add: Iterable[str] = (), remove: Iterable[str] = ()) -> RuleSet:
    """The default rules, with ``add`` switched on and ``remove`` switched off."""
    known = registry()
    added, removed = set(add), set(remove)
    for name in sorted(added | removed):
        if name not in known:
            raise UnknownRule(
                f"no resolution rule named {name!r}; the rules are: {', '.join(known)}"
            )
    for name in sorted(removed):
        if known[name].fixed:
            raise UnknownRule(f"the rule {name!r} is always applied")
    return RuleSet(frozenset((DEFAULT_RULES.names | added) - removed))


DEFAULT_RULES = RuleSet(frozenset(rule.name for rule in registry().values() if rule.default))
"""The rules true of any data."""
