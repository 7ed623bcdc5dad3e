"""What the sources say: one :class:`Observation` per agency's registration of a person in a role.

Counting never reads the store directly but through an :class:`ObservationInput`: the records
(:class:`RecordInput`) are one; the referral mechanism's outcomes and the screening room's
signals plug in later as others, without a change to the counting.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Connection, func, select

from crosslink.stats.rules import CountingRules
from crosslink.store.schema import links, record_values, records, sources

PERSON_FACTS = ("gender", "nationality", "birth_date")
EVENT_FACTS = ("date", "kind", "exploitation", "sector")


@dataclass(frozen=True)
class Observation:
    """One agency's registration of one person (a record) in a counted role."""

    record_uid: str
    role: str
    status: str
    agency: str
    region: str | None
    jurisdiction: str
    date: dt.date | None
    """The earliest date of the registration's events; None is unknown."""
    facts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """``person.gender``, ``event.exploitation`` …: every cleaned value the source gives."""


class ObservationInput(Protocol):
    """A source of observations; ``name`` is recorded with every table built from it."""

    name: str

    def observations(self, conn: Connection, rules: CountingRules) -> Iterator[Observation]: ...


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


class RecordInput:
    """Person records counted by their legal category or by the events they are linked to."""

    name = "records"

    def observations(self, conn: Connection, rules: CountingRules) -> Iterator[Observation]:
        events = _linked_events(conn, rules)
        people = _person_rows(conn)
        person_facts = _values(conn, "Person", PERSON_FACTS)
        for uid, (category, agency, region, jurisdiction) in people.items():
            linked = [e for e in events.get(uid, ()) if e]
            for role, status in _roles(rules, category, linked):
                dates = [d for e in linked for d in map(_date, e.get("date", ())) if d]
                facts: dict[str, tuple[str, ...]] = {
                    f"person.{p}": v for p, v in person_facts.get(uid, {}).items()
                }
                for prop in ("exploitation", "sector"):
                    found = tuple(v for e in linked for v in e.get(prop, ()))
                    if found:
                        facts[f"event.{prop}"] = found
                yield Observation(
                    uid, role, status, agency, region, jurisdiction, min(dates, default=None), facts
                )


def _roles(
    rules: CountingRules, category: str | None, linked: list[dict[str, tuple[str, ...]]]
) -> Iterator[tuple[str, str]]:
    """Each role the record counts for, with its strongest status."""
    kinds = {k.casefold() for e in linked for k in e.get("kind", ())}
    for name, role in rules.roles.items():
        statuses = [rule.status for rule in role.rules if rule.matches(category, kinds)]
        if statuses:
            yield name, max(statuses, key=rules.rank)


def _person_rows(conn: Connection) -> dict[str, tuple[str | None, str, str | None, str]]:
    query = (
        select(
            records.c.uid,
            records.c.person_category,
            sources.c.agency,
            func.coalesce(sources.c.default_region, sources.c.jurisdiction),
            sources.c.jurisdiction,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(records.c.schema == "Person")
    )
    return {
        uid: (cat, agency, region, jur) for uid, cat, agency, region, jur in conn.execute(query)
    }


def _values(
    conn: Connection, schema: str, props: tuple[str, ...]
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Record uid -> property -> cleaned values (the original where cleaning kept none)."""
    query = (
        select(
            record_values.c.record_uid,
            record_values.c.prop,
            func.coalesce(record_values.c.cleaned, record_values.c.original),
        )
        .join(records, records.c.uid == record_values.c.record_uid)
        .where(records.c.schema == schema, record_values.c.prop.in_(props))
        .order_by(record_values.c.record_uid, record_values.c.prop, record_values.c.idx)
    )
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for uid, prop, value in conn.execute(query):
        if value and value.strip():
            found[uid][prop].append(value.strip())
    return {uid: {p: tuple(v) for p, v in props_.items()} for uid, props_ in found.items()}


def _linked_events(
    conn: Connection, rules: CountingRules
) -> dict[str, list[dict[str, tuple[str, ...]]]]:
    """Person record uid -> the facts of each Event it is linked to by the year's links."""
    event = records.alias("event")
    query = (
        select(links.c.source_uid, links.c.target_uid)
        .join(event, event.c.uid == links.c.target_uid)
        .where(links.c.link_type.in_(rules.year.links), event.c.schema == "Event")
    )
    facts = _values(conn, "Event", EVENT_FACTS)
    found: dict[str, list[dict[str, tuple[str, ...]]]] = defaultdict(list)
    for person, target in conn.execute(query):
        found[person].append(facts.get(target, {}))
    return found
