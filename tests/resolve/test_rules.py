"""The registry of rules applied beside the model: defaults, opt-in, what a run records."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Connection, select
from typer.testing import CliRunner

from crosslink.cli import app
from crosslink.resolve import explain
from crosslink.resolve.predict import ConflictRule
from crosslink.resolve.rules import DEFAULT_RULES, UnknownRule, registry, rule_set
from crosslink.resolve.schema import entity_members, resolve_runs
from crosslink.resolve.settings import BIRTH_DATES_DIFFER, REGISTER_NUMBERS_DIFFER, model_for
from tests.conftest import DEMO_RULES


def test_the_defaults_hold_only_what_is_true_of_any_data() -> None:
    assert DEFAULT_RULES.names == {"judgements", "verified-identifiers", "chain-check"}
    opt_in = {name for name, rule in registry().items() if not rule.default}
    assert opt_in == {
        "strict-dates",
        "names-need-support",
        "sole-namesake",
        "shared-ties",
        "shared-associates",
    }
    assert all(rule.version >= 1 and rule.summary for rule in registry().values())


def test_rules_are_switched_by_name_and_unknown_names_are_refused() -> None:
    chosen = rule_set(add=["strict-dates"], remove=["chain-check"])
    assert chosen.strict_dates and not chosen.chain_check
    assert "judgements" in chosen
    with pytest.raises(UnknownRule, match="no resolution rule named 'strict_dates'"):
        rule_set(add=["strict_dates"])
    with pytest.raises(UnknownRule, match="always applied"):
        rule_set(remove=["judgements"])


def test_each_rule_switches_its_part_of_the_conflict_rule() -> None:
    spec = model_for("Person")
    default = ConflictRule.of(spec, 0.01, 11.0)
    assert REGISTER_NUMBERS_DIFFER in default.incompatible
    assert BIRTH_DATES_DIFFER not in default.incompatible  # strict dates are opt-in
    assert default.below == 0.01 and not default.alone_not_enough  # names may join
    strict = ConflictRule.of(spec, 0.01, 11.0, rule_set(add=["strict-dates"]))
    assert BIRTH_DATES_DIFFER in strict.incompatible
    loose = ConflictRule.of(
        spec,
        0.01,
        11.0,
        rule_set(remove=["verified-identifiers", "chain-check"]),
    )
    assert loose.incompatible == () and loose.below == 0.0 and loose.alone_not_enough == ()


def test_a_run_records_its_rules_and_explain_says_how_the_prior_was_set(
    conn: Connection,
) -> None:
    recorded = conn.execute(
        select(resolve_runs.c.rules).where(resolve_runs.c.entity_type == "Person")
    ).scalar_one()
    assert json.loads(recorded) == DEMO_RULES.labels()  # the fixture's, as make run's
    entity_id = conn.execute(
        select(entity_members.c.entity_id).where(entity_members.c.entity_type == "Person")
    ).scalar()
    run = explain(conn, str(entity_id)).run
    assert run is not None
    assert run.rules == DEMO_RULES.labels()
    assert run.prior is not None and 0 < run.prior < 1
    assert "chain-check@1" in run.describe() and "prior" in run.describe()


def test_the_rules_command_lists_every_rule() -> None:
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    for name in registry():
        assert name in result.output
    assert "opt-in" in result.output and "always" in result.output
