"""What mapping a row produces: records with cleaned values, links, issues, provenance."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDefaults:
    """What the mapper needs to know of the source a file comes from."""

    source_id: str
    region: str | None
    handling_code: str
    handling_conditions: str | None
    grading_system: str
    source_grade: str
    info_grade: str


@dataclass
class Issue:
    row: int
    column: str | None
    value: str | None
    reason: str
    severity: str = "error"


@dataclass
class ValueDraft:
    prop: str
    idx: int
    original: str
    cleaned: str | None
    fingerprint: str | None


@dataclass
class Provenance:
    handling_code: str
    handling_conditions: str | None
    source_grade: str
    info_grade: str


@dataclass
class RecordDraft:
    uid: str
    alias: str
    schema: str
    entity_key: str
    content_hash: str
    person_category: str | None
    values: list[ValueDraft]
    source_key: str | None = None
    """The key columns' values, readable (``records.source_key``); never part of the uid."""


@dataclass(frozen=True)
class RefKey:
    """A link end that names an entity by key; the writer finds its records."""

    schemas: tuple[str, ...]
    entity_key: str


@dataclass
class LinkDraft:
    uid: str
    link_type: str
    source: str | RefKey
    target: str | RefKey
    start_date: str | None
    end_date: str | None


@dataclass
class RowResult:
    number: int
    provenance: Provenance | None = None
    records: list[RecordDraft] = field(default_factory=list)
    links: list[LinkDraft] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(i.severity == "error" for i in self.issues)
