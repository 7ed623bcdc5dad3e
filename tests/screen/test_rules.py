"""Indicator rules as data: they load, their examples hold, and a bad file says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.screen import Ad, RuleError, bundled_rules, load_lexicon, load_rules, screen_ad
from crosslink.screen.evaluate import check_examples
from crosslink.screen.rules import LANGUAGES

BUNDLED = Path(__file__).parents[2] / "src" / "crosslink" / "screen" / "data" / "indicators.yaml"


def test_every_indicator_passes_its_own_examples() -> None:
    rules = bundled_rules()
    assert len(rules.indicators) >= 10
    assert check_examples(rules) == []


def test_every_pattern_indicator_speaks_all_six_languages() -> None:
    for indicator in bundled_rules().indicators:
        if indicator.patterns and indicator.feature is None:
            assert set(indicator.patterns) == set(LANGUAGES), indicator.id
    assert set(load_lexicon().languages) == set(LANGUAGES)


def test_one_flag_alone_does_not_flag_an_ad() -> None:
    rules = bundled_rules()
    heaviest = max(rules.indicators, key=lambda i: i.weight)
    assert heaviest.weight < rules.threshold
    verdict = screen_ad(Ad("x", body="Jonge vrouwen gezocht voor ons koor", language="nl"), rules)
    assert verdict.indicators == ["young_women"]
    assert not verdict.flagged


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = BUNDLED.read_text("utf-8")
    assert old in text
    path = tmp_path / "mine.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_a_bad_pattern_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "'geen (?:ervaring|diploma)", "'geen (?:ervaring|diploma")
    with pytest.raises(RuleError) as caught:
        load_rules(path)
    assert caught.value.file == str(path)
    assert caught.value.line == _line_of(path, "geen (?:ervaring|diploma")
    assert "no_experience: bad pattern" in caught.value.reason


def test_a_missing_field_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    weight: 2.0\n", "    weight: heavy\n")
    with pytest.raises(RuleError) as caught:
        load_rules(path)
    assert caught.value.line == _line_of(path, "weight: heavy")
    assert "weight" in caught.value.reason


def test_an_unknown_feature_and_a_duplicate_id_are_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "feature: high_pay", "feature: fast_cars")
    with pytest.raises(RuleError, match="feature"):
        load_rules(path)
    path = _broken(tmp_path, "id: no_language", "id: no_experience")
    with pytest.raises(RuleError, match="no_experience twice") as caught:
        load_rules(path)
    lines = path.read_text("utf-8").splitlines()
    second = [i for i, line in enumerate(lines, start=1) if "id: no_experience" in line][1]
    assert caught.value.line == second


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: '1'\nthreshold: [3\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"bad\.yaml, line \d+: not valid YAML"):
        load_rules(path)


def test_an_analysts_rule_file_is_named_in_the_run(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'version: "2026.12-1"', 'version: "2026.12-local"')
    rules = load_rules(path)
    assert (rules.name, rules.version) == ("mine", "2026.12-local")
