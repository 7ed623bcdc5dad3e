"""The JSON shapes of the API (and so of its OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CapabilitiesOut(Out):
    view_records: bool
    importing: bool
    audit: bool
    users: bool


class MeOut(Out):
    username: str
    agency_id: str
    agency_kind: str
    roles: list[str]
    capabilities: CapabilitiesOut


class NameCount(Out):
    name: str
    records: int = Field(description="How many of the records shown give this name.")


class HitOut(Out):
    """One entity (or unresolved record) matching a search, with what tells it apart."""

    ref: str = Field(description="The entity id, or the record uid if unresolved.")
    entity_id: str | None
    schema_: str = Field(alias="schema", serialization_alias="schema")
    label: str
    prop: str = Field(description="The property that matched.")
    value: str = Field(description="Its value, as the source wrote it.")
    names: list[NameCount]
    birth_dates: list[str]
    nationalities: list[str]
    categories: list[str]
    sources: list[str]
    agencies: list[str]
    handling_codes: list[str]
    records: list[str] = Field(description="The entity's records given to you (logged).")
    conditions: list[str]

    model_config = ConfigDict(populate_by_name=True)


class SearchPage(Out):
    items: list[HitOut]
    page: int
    per_page: int
    has_more: bool
    total: int = Field(description="How many entities you may see match.")
    capped: bool = Field(description="More records matched than a search reads.")
    read_as: list[str] = Field(description="The kinds the query could be read as.")


class RecordOut(Out):
    uid: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    label: str
    source_id: str
    agency: str
    dataset: str
    file_name: str
    row_number: int
    batch_id: int
    imported_by: str
    imported_at: dt.datetime
    handling_code: str
    conditions: str | None
    source_grade: str
    info_grade: str
    person_category: str | None
    values: dict[str, list[str]]

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class LinkOut(Out):
    link_type: str
    outgoing: bool
    record_uid: str
    other_uid: str
    other_label: str
    other_schema: str
    other_entity: str | None
    start_date: str | None
    end_date: str | None
    source_id: str
    handling_code: str


class TimelineOut(Out):
    date: str
    what: str
    label: str
    record_uid: str


class ProfileOut(Out):
    ref: str
    entity_id: str | None
    entity_type: str
    label: str
    records: list[RecordOut]
    links: list[LinkOut]
    timeline: list[TimelineOut]
    links_truncated: bool


class SideOut(Out):
    uid: str
    label: str
    entity_id: str
    values: dict[str, list[str]]
    conditions: str | None


class PairOut(Out):
    entity_type: str
    kind: str
    probability: float
    weight: float
    impact: float
    comparisons: list[dict[str, Any]]
    left: SideOut
    right: SideOut


class JudgementIn(BaseModel):
    left: str = Field(min_length=1, max_length=64, description="A record uid or entity id.")
    right: str = Field(min_length=1, max_length=64)
    verdict: Literal["same", "different", "unsure"]
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class JudgementOut(Out):
    id: int
    entity_type: str
    left_uid: str
    right_uid: str
    verdict: str
    reason: str
    author: str
    agency: str | None
    at: dt.datetime
    score: float | None


class IssueOut(Out):
    row: int
    column: str | None
    value: str | None
    reason: str
    severity: str


class ImportReport(Out):
    file: str
    dry_run: bool
    batch_id: int | None
    duplicate_of: int | None
    rows_read: int
    rows_rejected: int
    records_added: int
    records_existing: int
    links_added: int
    warnings: int
    unknown_columns: list[str]
    issues: list[IssueOut]


class MappingOut(Out):
    name: str
    description: str


class SourceOut(Out):
    id: str
    agency: str
    dataset: str
    handling_code: str


class AuditEntryOut(Out):
    seq: int
    at: dt.datetime
    actor: str
    agency: str | None
    action: str
    target: str
    justification: str | None
    recipients: str | None
    details: str | None


class UserOut(Out):
    id: int
    username: str
    agency_id: str
    roles: list[str]
    active: bool
    full_name: str | None


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=200, pattern=r"^[\w.@+-]+$")
    agency_id: str = Field(min_length=1, max_length=64)
    roles: list[str] = Field(min_length=1, max_length=9)
    password: str = Field(min_length=12, max_length=1000)
    full_name: str | None = Field(default=None, max_length=200)


class ActiveIn(BaseModel):
    active: bool


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[Literal["records:read", "records:export", "import", "audit:read"]] = Field(
        min_length=1
    )


class TokenOut(Out):
    id: int
    name: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked: bool


class NewTokenOut(BaseModel):
    token: str = Field(description="Shown once: store it now, it is kept hashed only.")


class NetworkNodeOut(Out):
    id: str = Field(description="Entity id (or record uid of an unresolved actor).")
    label: str
    kind: str = Field(description="Person, Organisation or Ad.")
    center: bool = Field(description="The actor whose ego network this is.")
    key_player: bool = Field(
        description="A key player of its network, as `crosslink network show` names them."
    )
    score: float = Field(description="Key-player score (0 for victims and ads: not ranked).")
    community: int = Field(description="Community number within the component (Leiden, CPM).")
    degree: int = Field(description="Ties in the whole network you may see (more may follow).")
    roles: list[str]
    categories: list[str]
    countries: list[str]
    agencies: list[str]
    x: float = Field(description="Position in the chart (server layout; the page fits it).")
    y: float


class EvidenceOut(Out):
    kind: str
    weight: float
    count: int
    records: list[str] = Field(description="Record uids behind the tie (only ones you may see).")
    links: list[str]
    sources: list[str]
    agencies: list[str]
    handling_codes: list[str]
    via: list[str] = Field(description="The shared things the tie goes through, by label.")
    directed_from: list[str]
    first: str | None
    last: str | None


class NetworkEdgeOut(Out):
    id: str
    source: str
    target: str
    weight: float
    kinds: list[str]
    agencies: list[str]
    evidence: list[EvidenceOut]


class NetworkOut(Out):
    center: str
    label: str
    hops: int
    truncated: bool = Field(description="More actors were within reach than one view shows.")
    kinds: list[str] = Field(description="Every kind of tie in this view.")
    agencies: list[str] = Field(description="Every agency behind a tie in this view.")
    nodes: list[NetworkNodeOut]
    edges: list[NetworkEdgeOut]
