"""Counting on the demo world, judged against its ground truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from sqlalchemy import Connection

from crosslink.stats.count import count_population, latest_run
from crosslink.stats.observe import Observation, RecordInput
from crosslink.stats.rules import CountingRules, load_rules
from tests.stats.conftest import StatsWorld


def test_each_true_person_is_counted_once_per_role(
    stats_world: StatsWorld, world_conn: Connection
) -> None:
    rules = load_rules()
    observations = list(RecordInput().observations(world_conn, rules))
    population = count_population(world_conn, rules, [RecordInput()])
    for role in rules.roles:
        qualifying = {
            stats_world.record_truth[o.record_uid] for o in observations if o.role == role
        }
        counted = [p for p in population.persons if p.role == role]
        assert len(counted) == len(qualifying)
    victims = [o for o in observations if o.role == "victim"]
    by_person = Counter(stats_world.record_truth[o.record_uid] for o in victims)
    # The world registers some victims with more than one agency: counting once matters.
    assert max(by_person.values()) > 1
    assert population.resolve_run == latest_run(world_conn) is not None


def test_the_rules_count_true_victims_and_only_them(
    stats_world: StatsWorld, world_conn: Connection
) -> None:
    """Victims of theft or smuggling registered by the police are not victims of trafficking."""
    roles = stats_world.true_roles()
    observations = list(RecordInput().observations(world_conn, load_rules()))
    victims = {stats_world.record_truth[o.record_uid] for o in observations if o.role == "victim"}
    assert victims
    assert {roles[v] for v in victims} == {"victim"}
    suspects = {stats_world.record_truth[o.record_uid] for o in observations if o.role == "suspect"}
    assert suspects
    assert "victim" not in {roles[s] for s in suspects}


def test_a_person_no_agency_gives_a_value_for_is_unknown(world_conn: Connection) -> None:
    rules = load_rules()
    observations = list(RecordInput().observations(world_conn, rules))
    population = count_population(world_conn, rules, [RecordInput()])
    victims = [p for p in population.persons if p.role == "victim"]
    without_form = [p for p in victims if p.values["form"] == rules.unknown]
    with_form = [p for p in victims if p.values["form"] != rules.unknown]
    assert without_form and with_form
    given = sum(1 for o in observations if o.role == "victim" and "event.exploitation" in o.facts)
    assert given >= len(with_form)
    assert {p.values["form"] for p in with_form} <= set(rules.dimensions["form"].map.values())
    years = Counter(p.values["year"] for p in victims)
    assert all(y.isdigit() or y == rules.unknown for y in years)


def test_the_identifying_agency_is_the_first_to_register(world_conn: Connection) -> None:
    rules = load_rules()
    observations = list(RecordInput().observations(world_conn, rules))
    population = count_population(world_conn, rules, [RecordInput()])
    many = [p for p in population.persons if len(p.agencies) > 1]
    assert many
    for person in many:
        assert person.values["agency"] in person.agencies
    agencies = {o.agency for o in observations if o.role == "victim"}
    assert {p.values["agency"] for p in population.persons if p.role == "victim"} <= agencies


class _Referrals:
    """Another input, as the referral room will add: outcomes of the national referral
    mechanism for persons already on record."""

    name = "referrals"

    def __init__(self, uids: list[str]) -> None:
        self.uids = uids

    def observations(self, conn: Connection, rules: CountingRules) -> Iterator[Observation]:
        for uid in self.uids:
            yield Observation(uid, "victim", "identified", "NRM", "BE", "BE", None, {})


def test_another_input_plugs_in_without_counting_anyone_twice(world_conn: Connection) -> None:
    rules = load_rules()
    before = count_population(world_conn, rules, [RecordInput()])
    observations = RecordInput().observations(world_conn, rules)
    victims = [o.record_uid for o in observations if o.role == "victim"][:5]
    after = count_population(world_conn, rules, [RecordInput(), _Referrals(victims)])
    assert after.inputs == ("records", "referrals")
    assert len(after.persons) == len(before.persons)
    referred = [p for p in after.persons if "NRM" in p.agencies]
    assert referred
    assert all(p.values["status"] == "identified" for p in referred)
