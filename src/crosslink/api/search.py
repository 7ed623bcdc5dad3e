"""Search across names in any script, phones, plates, IBANs, documents, addresses, companies.

The query is cleaned by the value types of the data model, so it meets the stored
``record_values.fingerprint``: a Cyrillic name finds its Latin transliteration, a phone typed
with spaces finds the E.164 number. Only records the subject may view are ever selected
(:func:`crosslink.access.record_filter`, the policy as a WHERE clause, in the query); the
hits shown are then consulted (:func:`crosslink.access.consult.decide_records`) and logged
with the justification once the page is read (``log_consultation``, last, to keep the audit
log's head locked for as short a time as possible).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, Select, func, select, union

from crosslink.access import Subject, record_filter
from crosslink.access.consult import decide_records, log_consultation
from crosslink.errors import CrosslinkError, InvalidValue
from crosslink.model import load_model
from crosslink.model.types import CleanContext
from crosslink.model.types import get as get_type
from crosslink.model.types.name import latin
from crosslink.resolve.schema import entity_members
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import record_values, records

KINDS = ("any", "name", "company", "phone", "plate", "iban", "document", "address")
"""What a query may be read as; ``any`` tries every kind its text can be cleaned as."""

_TYPES: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "company": ("name", "identifier"),
    "phone": ("phone",),
    "plate": ("plate",),
    "iban": ("iban",),
    "document": ("identifier", "national_id"),
    "address": ("address",),
}
_ONLY: dict[str, str] = {"company": "Organisation"}
_TOKEN_KINDS = frozenset({"name", "address"})
_MAX_TOKENS = 6
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchQuery:
    text: str
    kind: str = "any"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class Hit:
    uid: str
    schema: str
    entity_id: str | None
    label: str
    prop: str
    value: str
    source_id: str
    handling_code: str
    conditions: str | None = None


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False
    read_as: list[str] = field(default_factory=list)
    """The kinds the query could be cleaned as."""


@cache
def props_of(kind: str) -> frozenset[tuple[str, str]]:
    """(entity type, property) pairs whose value type belongs to ``kind``."""
    wanted = _TYPES[kind]
    only = _ONLY.get(kind)
    return frozenset(
        (ename, pname)
        for ename, entity in load_model().entities.items()
        for pname, prop in entity.properties.items()
        if prop.type in wanted and (only is None or ename == only)
    )


def _props(kind: str) -> list[str]:
    return sorted({p for _, p in props_of(kind)})


def _clean(value_type: str, text: str, region: str) -> str | None:
    kind = get_type(value_type)
    try:
        return kind.fingerprint(kind.clean(text, CleanContext(region=region)))
    except (InvalidValue, CrosslinkError, ValueError):
        return None


def _candidates(kind: str, text: str, region: str) -> Select[tuple[str]] | None:
    """Uids of records with a value matching ``text`` read as ``kind``; None if unreadable.

    Every branch is an equality on ``(prop, fingerprint)``, which the store indexes: the whole
    value's fingerprint, or — for names — each word's, all in one record (so "Jan Janssens"
    finds a record with first name Jan and last name Janssens).
    """
    props = _props(kind)
    v = record_values.c
    parts: list[Select[tuple[str]]] = []
    for value_type in _TYPES[kind]:
        printed = _clean(value_type, text, region)
        if printed:
            parts.append(select(v.record_uid).where(v.prop.in_(props), v.fingerprint == printed))
    words = sorted(set(latin(text).split()[:_MAX_TOKENS])) if kind in _TOKEN_KINDS else []
    if len(words) > 1:
        parts.append(
            select(v.record_uid)
            .where(v.prop.in_(props), v.fingerprint.in_(words))
            .group_by(v.record_uid)
            .having(func.count(func.distinct(v.fingerprint)) == len(words))
        )
    if not parts:
        return None
    found: Select[tuple[str]] = (
        parts[0] if len(parts) == 1 else select(union(*parts).subquery().c.record_uid)
    )
    return found


def search(
    conn: Connection,
    subject: Subject,
    query: SearchQuery,
    *,
    justification: str | None,
    region: str = "BE",
) -> SearchResult:
    """One page of the records ``subject`` may view that match; the page is consulted."""
    if query.kind not in KINDS:
        raise InvalidValue(f"kind must be one of {', '.join(KINDS)}, not {query.kind!r}")
    text = query.text.strip()
    if not text:
        raise InvalidValue("type something to search for")
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    page = max(1, query.page)
    kinds = [k for k in KINDS[1:] if query.kind in ("any", k)]
    found = {k: c for k in kinds if (c := _candidates(k, text, region)) is not None}
    result = SearchResult(SearchQuery(text, query.kind, page, per_page), read_as=list(found))
    if not found:
        return result
    props = sorted({p for k in found for p in _props(k)})
    parts = list(found.values())
    candidates = parts[0] if len(parts) == 1 else select(union(*parts).subquery().c.record_uid)
    page_rows = _page(conn, subject, candidates, (page - 1) * per_page, per_page + 1)
    result.has_more = len(page_rows) > per_page
    facts = {r.uid: r for r in page_rows[:per_page]}
    if not facts:
        return result
    uids = list(facts)
    matched = _matched(conn, uids, props)
    consulted = decide_records(conn, subject, uids, justification=justification)
    allowed = set(consulted.allowed)
    labels = record_labels(conn, uids)
    for uid in uids:
        if uid not in allowed or uid not in matched:
            continue
        fact, hit = facts[uid], matched[uid]
        result.hits.append(
            Hit(
                uid=uid,
                schema=fact.schema,
                entity_id=fact.entity_id,
                label=labels.get(uid, hit.value),
                prop=hit.prop,
                value=hit.value,
                source_id=fact.source_id,
                handling_code=fact.handling_code,
                conditions=consulted.conditions.get(uid),
            )
        )
    log_consultation(conn, subject, consulted, justification=justification)
    return result


def _page(
    conn: Connection, subject: Subject, candidates: Select[tuple[str]], offset: int, limit: int
) -> list[Row[Any]]:
    """The page of visible matching records, with their entity.

    The page is chosen from the records alone: a common name matches thousands of records,
    and reading all their values only to keep one page's cost most of a search.
    """
    chosen = (
        select(records.c.uid, records.c.schema, records.c.source_id, records.c.handling_code)
        .where(records.c.uid.in_(candidates), record_filter(subject))
        .order_by(records.c.uid)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    return list(
        conn.execute(
            select(chosen, entity_members.c.entity_id)
            .outerjoin(entity_members, entity_members.c.record_uid == chosen.c.uid)
            .order_by(chosen.c.uid)
        )
    )


def _matched(conn: Connection, uids: list[str], props: list[str]) -> dict[str, Row[Any]]:
    """The first property and value (in the database's order) among ``props``, per record."""
    v = record_values.c
    rows: list[Row[Any]] = list(
        conn.execute(
            select(
                v.record_uid.label("uid"),
                func.min(v.prop).label("prop"),
                func.min(v.original).label("value"),
            )
            .where(v.record_uid.in_(uids), v.prop.in_(props))
            .group_by(v.record_uid)
        )
    )
    return {r.uid: r for r in rows}


LABEL_PROPS = (
    "name",
    "full",
    "number",
    "registration",
    "iban",
    "handle",
    "title",
    "address",
    "kind",
)


def record_labels(conn: Connection, uids: Iterable[str]) -> dict[str, str]:
    """A short label per record: its name, number, registration … as the source wrote it."""
    wanted = list(dict.fromkeys(uids))
    if not wanted:
        return {}
    found: dict[str, dict[str, str]] = {}
    props = list(LABEL_INPUTS)
    for start in range(0, len(wanted), MAX_IN_PARAMS):
        rows = conn.execute(
            select(record_values.c.record_uid, record_values.c.prop, record_values.c.original)
            .where(
                record_values.c.record_uid.in_(wanted[start : start + MAX_IN_PARAMS]),
                record_values.c.prop.in_(props),
            )
            .order_by(record_values.c.record_uid, record_values.c.idx)
        )
        for uid, prop, original in rows:
            found.setdefault(uid, {}).setdefault(prop, original)
    return {uid: label_of(values, uid) for uid, values in found.items()}


LABEL_INPUTS = (*LABEL_PROPS, "first_name", "last_name", "street", "city")
"""The properties :func:`label_of` reads."""


def label_of(values: dict[str, str], default: str) -> str:
    """A record's label from its first value of each property (``values`` is extended)."""
    if "first_name" in values or "last_name" in values:
        values.setdefault(
            "name",
            " ".join(v for v in (values.get("first_name"), values.get("last_name")) if v),
        )
    if "street" in values:
        values.setdefault("full", ", ".join(v for k in ("street", "city") if (v := values.get(k))))
    return next((values[p] for p in LABEL_PROPS if values.get(p)), default)
