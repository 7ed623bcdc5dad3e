"""The counting rules are data: the bundled file loads, a broken one says file, line, reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.stats.errors import RulesError
from crosslink.stats.rules import load_rules, parse_rules

GOOD = """\
version: t1
unknown: unknown
statuses: [presumed, identified]
roles:
  victim:
    label: Victims
    rules:
      - {person_category: victim, status: presumed}
year: {links: [victim_of]}
dimensions:
  sex: {kind: property, of: person, property: gender, label: Sex}
disclosure: {threshold: 10, base: 10, k: 11, epsilon: 0.5, privacy_budget: 4}
"""


def test_the_bundled_rules_load_with_every_breakdown_of_the_issue() -> None:
    rules = load_rules()
    assert rules.version
    assert set(rules.roles) == {"victim", "suspect", "convicted"}
    for name in ("year", "form", "sector", "sex", "age_band", "citizenship", "region", "agency"):
        assert name in rules.dimensions
    assert rules.dimensions["age_band"].band(17) == "9-17"
    assert rules.dimensions["age_band"].band(60) == "48+"


def test_a_small_file_loads() -> None:
    assert parse_rules(GOOD, "mine.yaml").roles["victim"].rules[0].status == "presumed"


@pytest.mark.parametrize(
    ("broken", "line", "reason"),
    [
        (GOOD.replace("status: presumed}", "status: maybe}"), 1, "status 'maybe'"),
        (GOOD.replace("{person_category: victim, ", "{"), 8, "person_category, an event_kind"),
        (GOOD.replace("of: person, ", ""), 11, "names `of`"),
        (GOOD.replace("threshold: 10", "threshold: 1"), 12, "greater than or equal to 2"),
        (GOOD.replace("  victim:\n", "  victim\n"), 6, "not valid YAML: mapping values"),
    ],
)
def test_a_broken_file_says_where_and_why(broken: str, line: int, reason: str) -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(broken, "mine.yaml")
    assert f"mine.yaml, line {line}" in str(caught.value)
    assert reason in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "none.yaml")
