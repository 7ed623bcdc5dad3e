"""Proportions and noise rates come out as configured; the trap and the networks exist."""

from __future__ import annotations

import csv
import math
from collections import Counter

import pytest

from tests.demo.conftest import Generated


def _close(measured: float, expected: float, n: int) -> bool:
    """Within four standard errors (plus a hair for tiny samples)."""
    spread = 4 * math.sqrt(max(expected * (1 - expected), 1e-4) / max(n, 1)) + 0.01
    return abs(measured - expected) <= spread


def test_noise_rates_come_out_as_configured(world: Generated) -> None:
    rates = vars(world.config.noise)
    for kind, stats in world.manifest.noise.items():
        assert stats["opportunities"] > 0, kind
        assert _close(stats["rate"], rates[kind], int(stats["opportunities"])), (kind, stats)
    assert set(world.manifest.noise) == set(rates)


def test_date_of_birth_noise_is_visible_in_the_police_file(world: Generated) -> None:
    path = world.out / "partners" / "be_police_reports.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        births = [r.get("geboortedatum") or "" for r in csv.DictReader(handle, delimiter=";")]
    n = len(births)
    missing = sum(1 for b in births if not b) / n
    partial = sum(1 for b in births if b.startswith("00/00/")) / n
    assert _close(missing, world.config.noise.dob_missing, n)
    assert _close(partial, world.config.noise.dob_partial, n)


def test_namesakes_share_name_and_birth_year(world: Generated) -> None:
    persons = {p["person_id"]: p for p in world.truth("persons")}
    namesakes = [p for p in persons.values() if p["namesake_of"]]
    assert namesakes
    for p in namesakes:
        other = persons[p["namesake_of"]]
        assert other["person_id"] != p["person_id"]
        assert (p["given_name"], p["family_name"], p["birth_date"][:4]) == (
            other["given_name"],
            other["family_name"],
            other["birth_date"][:4],
        )


def test_exploitation_forms_follow_the_proportions(world: Generated) -> None:
    cases = world.truth("cases")
    weights = world.config.proportions.exploitation
    total = sum(weights.values())
    counts = Counter(c["form"] for c in cases)
    for form, weight in weights.items():
        assert _close(counts[form] / len(cases), weight / total, len(cases)), form
    labour = [c for c in cases if c["form"] == "labour"]
    sectors = Counter(c["sector"] for c in labour)
    assert set(sectors) <= set(world.config.proportions.labour_sectors)


def test_networks_have_a_command_structure(world: Generated) -> None:
    members = world.truth("members")
    by_id = {m["person_id"]: m for m in members}
    bosses = [m for m in members if m["role"] == "boss"]
    assert len(bosses) == len(world.truth("networks"))
    for m in members:
        if m["role"] in {"boss", "victim", "bystander", "smuggled_migrant"}:
            assert not m["superior_id"]
            continue
        chain, seen = m, set()
        while chain["superior_id"]:
            assert chain["person_id"] not in seen
            seen.add(chain["person_id"])
            chain = by_id[chain["superior_id"]]
        assert chain["role"] == "boss"
        assert chain["network_id"] == m["network_id"]


@pytest.mark.parametrize("field", ["person_id", "phone"])
def test_shared_phones_are_shared(world: Generated, field: str) -> None:
    persons = world.truth("persons")
    shared = Counter(p["phone"] for p in persons if p["shared_phone"] == "true")
    if field == "phone":
        assert shared and max(shared.values()) > 1
    else:
        assert len({p["person_id"] for p in persons}) == len(persons)
