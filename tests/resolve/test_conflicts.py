"""When two records are a conflict (no entity may hold both), on Splink's prediction columns."""

from __future__ import annotations

import duckdb

from crosslink.resolve._comparisons import DOCUMENT_TYPO, OTHER_REGISTER_NUMBER
from crosslink.resolve.evidence import Levels
from crosslink.resolve.predict import ConflictRule, conflict_condition
from crosslink.resolve.rules import rule_set
from crosslink.resolve.settings import BIRTH_DATES_DIFFER, REGISTER_NUMBERS_DIFFER, model_for

LEVELS = {
    "given_name": {-1: "given is NULL", 1: "Exact match on given", 0: "All other comparisons"},
    "family_name": {-1: "family is NULL", 1: "Exact match on family", 0: "All other comparisons"},
    "birth_date": {-1: "dob is NULL", 2: "Exact match on dob", 1: "other date", 0: "x"},
    "documents": {-1: "documents is NULL", 2: "shared", 1: DOCUMENT_TYPO, 0: "other"},
}


Row = tuple[str, float, float, float, float, int]


def _conflicts(
    rule: ConflictRule,
    rows: list[Row],
    documents: dict[str, int] | None = None,
    levels: Levels = LEVELS,
) -> set[str]:
    """Which of ``rows`` (pair, probability, given, family, date weights, date level;
    documents differ unless ``documents`` gives a pair its level) the rule calls conflicts."""
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE p (pair TEXT, match_probability DOUBLE, mw_given_name DOUBLE, "
        "mw_family_name DOUBLE, mw_birth_date DOUBLE, gamma_birth_date INT, "
        "mw_documents DOUBLE DEFAULT -1.3, gamma_documents INT DEFAULT 0)"
    )
    db.executemany(
        "INSERT INTO p (pair, match_probability, mw_given_name, mw_family_name, mw_birth_date, "
        "gamma_birth_date) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    for pair, level in (documents or {}).items():
        db.execute("UPDATE p SET gamma_documents = ? WHERE pair = ?", (level, pair))
    where = conflict_condition(levels, rule)
    return {pair for (pair,) in db.execute(f"SELECT pair FROM p WHERE {where}").fetchall()}  # noqa: S608


def test_a_conflict_weighs_more_against_than_for() -> None:
    rule = ConflictRule(below=0.01, against=11.0)
    rows = [
        # A name swapped and spelt another way (ten bits against), the same full date of
        # birth and another document: more for than against, so no conflict.
        ("same day of birth", 0.0003, -5.0, -4.8, 11.8, 2),
        ("other names, other date", 0.0003, -5.0, -4.8, -2.0, 1),
        ("not unlikely enough", 0.2, -5.0, -4.8, -2.0, 1),
        ("not enough against", 0.0003, -5.0, -3.0, 0.0, -1),
    ]
    assert _conflicts(rule, rows) == {"other names, other date"}


def test_incompatible_dates_are_a_conflict_however_high_the_pair_scores() -> None:
    # Level 1 of the date is "other date": two people, unless they share a document.
    rule = ConflictRule(below=0.01, against=11.0, incompatible=(BIRTH_DATES_DIFFER,))
    rows = [("namesakes", 0.97, 9.0, 9.0, -3.0, 1), ("one person", 0.99, 9.0, 9.0, 11.8, 2)]
    assert _conflicts(rule, rows) == {"namesakes"}


def test_a_document_one_typo_apart_outweighs_two_dates() -> None:
    rule = ConflictRule(below=0.01, against=11.0, incompatible=(BIRTH_DATES_DIFFER,))
    rows = [(pair, 0.97, 9.0, 9.0, -3.0, 1) for pair in ("shared", "typo", "other")]
    documents = {"shared": 2, "typo": 1, "other": 0}
    assert _conflicts(rule, rows, documents) == {"other"}
    # A model saved before the typo level existed: only its strongest level overrides.
    older = {**LEVELS, "documents": {-1: "documents is NULL", 1: "shared", 0: "other"}}
    documents = {"shared": 1, "other": 0}
    assert _conflicts(rule, rows[::2], documents, older) == {"other"}


def test_two_register_numbers_are_a_conflict_even_where_dates_are_not_trusted() -> None:
    spec = model_for("Person")
    levels = {**LEVELS, "documents": {**LEVELS["documents"], 2: "shared", 1: OTHER_REGISTER_NUMBER}}
    rows = [(pair, 0.999, 9.0, 9.0, 11.8, 2) for pair in ("two numbers", "one number", "none")]
    documents = {"two numbers": 1, "one number": 2, "none": 0}
    for strict in (True, False):
        rules = rule_set(add=["strict-dates"]) if strict else rule_set()
        rule = ConflictRule.of(spec, 0.01, 11.0, rules)
        assert (REGISTER_NUMBERS_DIFFER in rule.incompatible) and (
            (BIRTH_DATES_DIFFER in rule.incompatible) is strict
        )
        assert _conflicts(rule, rows, documents, levels) == {"two numbers"}
