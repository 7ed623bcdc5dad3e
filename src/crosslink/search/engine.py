"""Search for people, companies, phones, vehicles …: one hit per resolved entity.

The query is read by the value types of the data model (:mod:`.reading`); the matching
records are found on the store's ``(prop, fingerprint)`` index (:mod:`.matching`), only
those ``subject`` may view are kept (:func:`crosslink.access.record_filter`, the policy as a
WHERE clause), and they are grouped by the entity the latest resolution run put them in — an
unresolved record is its own hit. The records summarised on the page are consulted
(:func:`crosslink.access.consult.decide_records`) and logged with the justification last, in
the caller's transaction (``log_consultation``), as every read of personal data is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from crosslink.access import Subject, record_filter
from crosslink.access.consult import decide_records, log_consultation
from crosslink.errors import InvalidValue
from crosslink.resolve.schema import entity_members
from crosslink.search.matching import Match, matching_records
from crosslink.search.reading import read_query
from crosslink.search.rules import load_rules
from crosslink.search.summary import EntitySummary, summarize
from crosslink.store.dialect import MAX_IN_PARAMS
from crosslink.store.schema import records

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchQuery:
    text: str
    kind: str = "any"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class Hit:
    """One entity (or unresolved record): what matched, and who it is."""

    ref: str
    """What the profile is opened by: the entity id, or the record's uid if unresolved."""
    entity_id: str | None
    schema: str
    prop: str
    """The property that matched, and its value as the source wrote it."""
    value: str
    summary: EntitySummary
    records: list[str]
    """The records of the entity given to the user (consulted and logged)."""
    conditions: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False
    total: int = 0
    """Entities matching that the user may see."""
    capped: bool = False
    read_as: list[str] = field(default_factory=list)


@dataclass
class _Group:
    schema: str
    entity_id: str | None
    match: Match
    matched: int = 1


def _visible(
    conn: Connection, subject: Subject, matches: dict[str, Match], only_schema: str | None
) -> dict[str, _Group]:
    """The matched records ``subject`` may view, grouped by entity (best match kept)."""
    groups: dict[str, _Group] = {}
    uids = sorted(matches)
    r = records.c
    for start in range(0, len(uids), MAX_IN_PARAMS):
        rows = conn.execute(
            select(r.uid, r.schema, entity_members.c.entity_id)
            .outerjoin(entity_members, entity_members.c.record_uid == r.uid)
            .where(r.uid.in_(uids[start : start + MAX_IN_PARAMS]), record_filter(subject))
        )
        for uid, schema, entity_id in rows:
            match = matches[uid]
            if only_schema and match.by_words and schema != only_schema:
                continue
            key = entity_id or uid
            known = groups.get(key)
            if known is None:
                groups[key] = _Group(schema, entity_id, match)
                continue
            known.matched += 1
            # ties go to the first value in sort order, so a page reads the same every time
            if (-match.score, match.value) < (-known.match.score, known.match.value):
                known.match = match
    return groups


def _members(conn: Connection, subject: Subject, chosen: dict[str, _Group]) -> dict[str, list[str]]:
    """Every record of the chosen entities that ``subject`` may view."""
    out: dict[str, list[str]] = {k: [] if g.entity_id else [k] for k, g in chosen.items()}
    ids = [g.entity_id for g in chosen.values() if g.entity_id]
    if ids:
        rows = conn.execute(
            select(entity_members.c.entity_id, records.c.uid)
            .join(records, records.c.uid == entity_members.c.record_uid)
            .where(entity_members.c.entity_id.in_(ids), record_filter(subject))
            .order_by(records.c.uid)
        )
        for entity_id, uid in rows:
            out[entity_id].append(uid)
    return out


def search(
    conn: Connection,
    subject: Subject,
    query: SearchQuery,
    *,
    justification: str | None,
    region: str = "BE",
) -> SearchResult:
    """One page of the entities ``subject`` may view that match; their records are consulted."""
    text = query.text.strip()
    if not text:
        raise InvalidValue("type something to search for")
    rules = load_rules()
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    page = max(1, query.page)
    reading = read_query(text, query.kind, region, rules)
    result = SearchResult(SearchQuery(text, query.kind, page, per_page), read_as=reading.read_as)
    matches = matching_records(conn, reading, rules)
    result.capped = matches.capped
    groups = _visible(conn, subject, matches.records, reading.only_schema)
    result.total = len(groups)
    ranked = sorted(groups, key=lambda k: (-groups[k].match.score, -groups[k].matched, k))
    start = (page - 1) * per_page
    chosen = {k: groups[k] for k in ranked[start : start + per_page]}
    result.has_more = len(ranked) > start + per_page
    if not chosen:
        return result
    members = _members(conn, subject, chosen)
    consulted = decide_records(
        conn, subject, [u for us in members.values() for u in us], justification=justification
    )
    allowed = set(consulted.allowed)
    given = {k: [u for u in us if u in allowed] for k, us in members.items()}
    summaries = summarize(conn, {k: us for k, us in given.items() if us}, rules.summary)
    for key, group in chosen.items():
        if not given[key]:
            continue
        conditions = sorted({c for u in given[key] if (c := consulted.conditions.get(u))})
        result.hits.append(
            Hit(key, group.entity_id, group.schema, group.match.prop, group.match.value,
                summaries[key], given[key], conditions)
        )  # fmt: skip
    log_consultation(conn, subject, consulted, justification=justification)
    return result
