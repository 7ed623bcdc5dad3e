"""Each person counted once: observations grouped by the latest resolution run's entities.

A person is a resolved Person entity (or, not yet resolved, their one record). Across the
agencies that registered them, the strongest status counts, the earliest date gives the
reference year and the identifying agency, and each breakdown takes the value most agencies
give (ties by code); a breakdown no agency gives is ``unknown``, never a guess.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from crosslink.resolve.schema import entity_members, resolve_runs
from crosslink.stats.observe import Observation, ObservationInput
from crosslink.stats.rules import CountingRules, Dimension


@dataclass(frozen=True)
class CountedPerson:
    key: str
    """The resolved entity id, or ``record:<uid>`` for a record no run has resolved."""
    role: str
    agencies: frozenset[str]
    """Every agency that registered the person in this role: the lists of the estimate."""
    values: Mapping[str, str]
    """Dimension name -> value (``unknown`` where no agency says)."""


@dataclass(frozen=True)
class Population:
    """Everyone counted, with what made the count: rules version, resolution run, inputs."""

    persons: tuple[CountedPerson, ...]
    rules_version: str
    resolve_run: int | None
    inputs: tuple[str, ...]


def latest_run(conn: Connection) -> int | None:
    """The newest resolution run that clustered persons."""
    query = select(func.max(resolve_runs.c.id)).where(
        resolve_runs.c.entity_type.in_(("Person", "all"))
    )
    return conn.execute(query).scalar()


def count_population(
    conn: Connection, rules: CountingRules, inputs: Sequence[ObservationInput]
) -> Population:
    """Read every input and count each person once per role."""
    grouped: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for source in inputs:
        for observation in source.observations(conn, rules):
            grouped[(observation.record_uid, observation.role)].append(observation)
    entity_of = _entities(conn, {uid for uid, _ in grouped})
    people: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for (uid, role), observations in grouped.items():
        people[(entity_of.get(uid, f"record:{uid}"), role)].extend(observations)
    persons = tuple(
        _merge(rules, key, role, observations)
        for (key, role), observations in sorted(people.items())
    )
    return Population(
        persons, rules.version, latest_run(conn), tuple(source.name for source in inputs)
    )


def _entities(conn: Connection, uids: Iterable[str]) -> dict[str, str]:
    wanted = set(uids)
    query = select(entity_members.c.record_uid, entity_members.c.entity_id).where(
        entity_members.c.entity_type == "Person"
    )
    return {uid: eid for uid, eid in conn.execute(query) if uid in wanted}


def _first(observations: list[Observation]) -> Observation:
    """The identifying registration: the earliest dated, then by agency (stable)."""
    return min(observations, key=lambda o: (o.date is None, o.date or dt.date.min, o.agency))


def _merge(
    rules: CountingRules, key: str, role: str, observations: list[Observation]
) -> CountedPerson:
    first = _first(observations)
    facts: dict[str, list[str]] = defaultdict(list)
    for observation in observations:
        for name, given in observation.facts.items():
            # One vote per agency's record, whatever number of values it repeats.
            facts[name].extend(dict.fromkeys(given))
    status = max((o.status for o in observations), key=rules.rank)
    values = {
        name: _value(rules, dim, first, status, facts) or rules.unknown
        for name, dim in rules.dimensions.items()
    }
    return CountedPerson(key, role, frozenset(o.agency for o in observations), values)


def _vote(values: list[str]) -> str | None:
    if not values:
        return None
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], value))


def _value(
    rules: CountingRules,
    dim: Dimension,
    first: Observation,
    status: str,
    facts: Mapping[str, list[str]],
) -> str | None:
    if dim.kind == "year":
        return str(first.date.year) if first.date else None
    if dim.kind == "status":
        return status
    if dim.kind == "source":
        column = {"agency": first.agency, "default_region": first.region}
        return column.get(dim.column or "", first.jurisdiction)
    if dim.kind == "age":
        born = _vote(facts.get("person.birth_date", []))
        return _age_band(dim, born, first.date)
    if dim.kind == "citizenship":
        return _citizenship(dim, _vote(facts.get("person.nationality", [])), first.jurisdiction)
    raw = _vote(facts.get(f"{dim.of}.{dim.property}", []))
    if raw is None:
        return None
    mapped = dim.map.get(raw.casefold())
    return mapped if mapped is not None else (dim.others or raw)


def _age_band(dim: Dimension, born: str | None, at: dt.date | None) -> str | None:
    if born is None or at is None:
        return None
    try:
        birth = dt.date.fromisoformat(born[:10])
    except ValueError:
        return None
    age = at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
    return dim.band(age) if age >= 0 else None


def _citizenship(dim: Dimension, nationality: str | None, jurisdiction: str) -> str | None:
    if nationality is None:
        return None
    code = nationality.upper()
    if code == jurisdiction.upper():
        return "own country"
    return "other EU" if code in dim.eu else "non-EU"
