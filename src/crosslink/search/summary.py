"""Who a hit is: the summary that tells namesakes apart, from the records a user may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from crosslink.search.labels import LABEL_INPUTS, count_names, label_of
from crosslink.search.rules import Summary
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values, records, sources

UNKNOWN_CATEGORY = "unknown"


@dataclass
class EntitySummary:
    """An entity (or an unresolved record) as the records given to a user describe it."""

    label: str
    names: list[tuple[str, int]] = field(default_factory=list)
    """Every name, with how many records give it, the most given first (the label)."""
    birth_dates: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    handling_codes: list[str] = field(default_factory=list)


def _chunks(uids: list[str]) -> list[list[str]]:
    return [uids[i : i + MAX_IN_PARAMS] for i in range(0, len(uids), MAX_IN_PARAMS)]


Values = dict[str, dict[str, list[tuple[str, str]]]]
"""Per record and property: (cleaned, as written) values, in source order."""


def _values(conn: Connection, uids: list[str], props: list[str]) -> Values:
    found: Values = {}
    v = record_values.c
    for chunk in _chunks(uids):
        rows = conn.execute(
            select(v.record_uid, v.prop, v.original, v.cleaned)
            .where(v.record_uid.in_(chunk), v.prop.in_(props))
            .order_by(v.record_uid, v.prop, v.idx)
        )
        for uid, prop, original, cleaned in rows:
            found.setdefault(uid, {}).setdefault(prop, []).append((cleaned or original, original))
    return found


def _facts(conn: Connection, uids: list[str]) -> dict[str, tuple[str, str, str, str | None]]:
    """Per record: source id, agency, handling code, person category."""
    r = records.c
    out: dict[str, tuple[str, str, str, str | None]] = {}
    for chunk in _chunks(uids):
        rows = conn.execute(
            select(r.uid, r.source_id, sources.c.agency, r.handling_code, r.person_category)
            .join(sources, sources.c.id == r.source_id)
            .where(r.uid.in_(chunk))
        )
        out.update({uid: (src, agency, code, cat) for uid, src, agency, code, cat in rows})
    return out


def _ordered(counter: Counter[str]) -> list[str]:
    return [value for value, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _categories(found: set[str]) -> list[str]:
    # "unknown" says only that a source did not say; it adds nothing beside a known category
    known = found - {UNKNOWN_CATEGORY}
    return sorted(known or found)


def summarize(
    conn: Connection, groups: dict[str, list[str]], spec: Summary
) -> dict[str, EntitySummary]:
    """A summary per group (entity key -> the uids of its records the user was given)."""
    uids = sorted({u for members in groups.values() for u in members})
    props = sorted({*LABEL_INPUTS, *spec.birth_dates, *spec.nationalities})
    values = _values(conn, uids, props)
    facts = _facts(conn, uids)
    out: dict[str, EntitySummary] = {}
    for key, members in groups.items():
        names: list[tuple[str, str]] = []
        births: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for uid in members:
            mine = values.get(uid, {})
            cleaned = label_of({p: vs[0][0] for p, vs in mine.items()}, "")
            if cleaned:
                names.append((cleaned, label_of({p: vs[0][1] for p, vs in mine.items()}, "")))
            births.update({d for p in spec.birth_dates for d, _ in mine.get(p, [])})
            countries.update({c for p in spec.nationalities for c, _ in mine.get(p, [])})
        known = [facts[u] for u in members if u in facts]
        ranked = count_names(names)
        out[key] = EntitySummary(
            label=ranked[0][0] if ranked else key,
            names=ranked,
            birth_dates=_ordered(births),
            nationalities=_ordered(countries),
            categories=_categories({cat for _, _, _, cat in known if cat}),
            sources=sorted({src for src, _, _, _ in known}),
            agencies=sorted({agency for _, agency, _, _ in known}),
            handling_codes=sorted({code for _, _, code, _ in known}),
        )
    return out
