"""Apply a mapping to one raw row: records with cleaned values, links, and reasoned issues.

Rules: a malformed row, a missing required value, an invalid value in a required or key
property, or an invalid legal category rejects the whole row (nothing of it is stored). An
invalid value in an optional property is kept as given, uncleaned, with a warning: the source's
words are never lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from crosslink.errors import InvalidValue
from crosslink.ingest._drafts import (
    Issue,
    LinkDraft,
    Provenance,
    RecordDraft,
    RefKey,
    RowResult,
    SourceDefaults,
    ValueDraft,
)
from crosslink.ingest._hashing import digest
from crosslink.ingest.mapping import Condition, EntityMapping, LinkMapping, Mapping, RefSpec
from crosslink.ingest.mapping import ValueSpec as Spec
from crosslink.ingest.readers import RawRow, RawValue
from crosslink.model import Model
from crosslink.model import types as value_types
from crosslink.model.types import CleanContext

_CACHE_LIMIT = 200_000
_CACHED_LENGTH = 100


def _field(spec: Spec, prop: str, kind: str, strict: bool) -> _Field:
    """Compile a value spec: its column label for issues and its case-folded map."""
    label = spec.column if spec.column is not None else "+".join(spec.source_columns) or prop
    mapped = {k.casefold(): v for k, v in spec.map.items()} if spec.map else None
    return _Field(prop, spec, kind, strict, label, mapped)


def key_digest(values: list[str]) -> str:
    return digest(["key", *values])


def readable_key(values: list[str]) -> str:
    """The key as the source wrote it: one column's value, or several as a JSON list."""
    if len(values) == 1:
        return values[0]
    return json.dumps(values, ensure_ascii=False)


@dataclass(frozen=True)
class _Field:
    """A property's value spec, compiled once: where its text comes from and how to clean it."""

    prop: str
    spec: Spec
    kind: str
    strict: bool
    label: str
    mapped: dict[str, str] | None

    def extract(self, values: dict[str, RawValue]) -> list[tuple[str, str]]:
        """(column label, text) pairs: split, trimmed, translated by the spec's map."""
        spec = self.spec
        if spec.value is not None:
            found = [("(constant)", spec.value)]
        elif spec.columns is not None:
            joined = spec.join.join(p for p in (_text(values.get(c)) for c in spec.columns) if p)
            found = [(self.label, joined)] if joined else []
        else:
            raw = values.get(self.label)
            if raw is None:
                return []
            if isinstance(raw, str) and spec.split is None:
                text = raw.strip()
                found = [(self.label, text)] if text else []
            else:
                found = [(self.label, t) for t in _texts(raw, spec.split)]
        if self.mapped:
            found = [(c, self.mapped.get(t.casefold(), t)) for c, t in found]
        return found


class RowMapper:
    """A mapping compiled against the model and a source, applied row by row."""

    def __init__(
        self,
        mapping: Mapping,
        model: Model,
        source: SourceDefaults,
        *,
        cache_limit: int = _CACHE_LIMIT,
    ) -> None:
        """``cache_limit``: cleaned values kept (each distinct value of a type and region is
        cleaned once until the cache fills and is emptied); 0 cleans every value afresh."""
        self.mapping = mapping
        self._cache_limit = cache_limit
        self.model = model
        self.source = source
        self.ctx = CleanContext(
            region=mapping.region or source.region, date_order=mapping.date_order
        )
        self._cache: dict[tuple[str, str, str | None], tuple[str, str] | str] = {}
        # Keyed by id(): the specs are the mapping's own, alive as long as this mapper.
        self._other_fields: dict[int, _Field] = {}
        self._fields = {
            alias: [self._compile(entity, prop, spec) for prop, spec in entity.properties.items()]
            for alias, entity in mapping.entities.items()
        }

    def _compile(self, entity: EntityMapping, prop: str, spec: Spec) -> _Field:
        if spec.type:
            kind = spec.type
        else:
            pspec = self.model.prop(entity.type, prop)
            kind = pspec.type if pspec.type else f"category:{pspec.category}"
        strict = spec.required or (entity.key is not None and spec.column in entity.key)
        return _field(spec, prop, kind, strict)

    def map(self, row: RawRow) -> RowResult:
        result = RowResult(row.number)
        if row.error:
            result.issues.append(Issue(row.number, None, None, row.error))
            return result
        result.provenance = self._provenance(row, result)
        aliases: dict[str, RecordDraft] = {}
        for alias, entity in self.mapping.entities.items():
            if entity.when and not _holds(entity.when, row):
                continue
            record = self._record(alias, entity, self._fields[alias], row, result)
            if record is not None:
                aliases[alias] = record
                result.records.append(record)
        for link in self.mapping.links:
            if link.when and not _holds(link.when, row):
                continue
            draft = self._link(link, row, aliases, result)
            if draft is not None:
                result.links.append(draft)
        if not result.records and not result.links and not result.issues:
            result.issues.append(
                Issue(row.number, None, None, "the row has no value for any entity of the mapping")
            )
        return result

    # -- values ----------------------------------------------------------------------------
    def _raw(self, spec: Spec, row: RawRow) -> list[tuple[str, str]]:
        """(column label, text) pairs for a value spec outside an entity's properties
        (category, provenance, link dates), compiled on first use."""
        compiled = self._other_fields.get(id(spec))
        if compiled is None:
            compiled = self._other_fields[id(spec)] = _field(spec, "", "", False)
        return compiled.extract(row.values)

    def _clean(self, kind: str, raw: str, ctx: CleanContext | None = None) -> tuple[str, str] | str:
        """(cleaned, fingerprint) of ``raw`` for a value type or ``category:<list>``, or the
        reason it is invalid."""
        ctx = ctx or self.ctx
        key = (kind, raw, ctx.region)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        try:
            if kind.startswith("category:"):
                code = self.model.category_code(kind[9:], raw)
                hit = (code, code)
            else:
                vtype = value_types.get(kind)
                cleaned = vtype.clean(raw, ctx)
                hit = (cleaned, vtype.fingerprint(cleaned)[:200])
        except InvalidValue as exc:
            hit = exc.reason
        # Short values repeat (countries, codes, dates); texts don't. The cache is bounded:
        # emptied when full, which costs a few misses and keeps memory flat.
        if len(raw) <= _CACHED_LENGTH and self._cache_limit:
            if len(self._cache) >= self._cache_limit:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def _row_context(self, spec: Spec, row: RawRow) -> CleanContext:
        """The cleaning context with the region named by the row's own country column."""
        country = _text(row.values.get(spec.region_column or ""))
        if not country:
            return self.ctx
        hit = self._clean("country", country)
        if isinstance(hit, str):
            return self.ctx  # an unreadable country: the source's region still applies
        return CleanContext(region=hit[0], date_order=self.ctx.date_order)

    # -- records ---------------------------------------------------------------------------
    def _record(
        self,
        alias: str,
        entity: EntityMapping,
        fields: list[_Field],
        row: RawRow,
        result: RowResult,
    ) -> RecordDraft | None:
        found = [(f, f.extract(row.values)) for f in fields]
        if not any(texts for _, texts in found):
            return None  # the row does not mention this entity
        values: list[ValueDraft] = []
        for field_, texts in found:
            if not texts and field_.spec.required:
                result.issues.append(
                    Issue(row.number, field_.label, None, f"{field_.prop} is required")
                )
            ctx = self._row_context(field_.spec, row) if field_.spec.region_column else self.ctx
            for idx, (column, text) in enumerate(texts):
                hit = self._clean(field_.kind, text, ctx)
                if isinstance(hit, str):
                    severity = "error" if field_.strict else "warning"
                    result.issues.append(Issue(row.number, column, text, hit, severity))
                    values.append(ValueDraft(field_.prop, idx, text, None, None))
                else:
                    values.append(ValueDraft(field_.prop, idx, text, hit[0], hit[1]))
        if not values:
            return None
        category = self._category(entity, row, result)
        key, source_key = self._key(entity, row, result, values)
        prov = result.provenance
        content = digest(
            [
                entity.type,
                category,
                *(f"{v.prop}[{v.idx}]={v.original}" for v in values),
                *(
                    (
                        prov.handling_code,
                        prov.handling_conditions,
                        prov.source_grade,
                        prov.info_grade,
                    )
                    if prov
                    else ()
                ),
            ]
        )
        uid = digest([self.source.source_id, entity.type, key, content])
        return RecordDraft(uid, alias, entity.type, key, content, category, values, source_key)

    def _category(self, entity: EntityMapping, row: RawRow, result: RowResult) -> str | None:
        if entity.type != "Person":
            return None
        if entity.category is None:
            return "unknown"
        found = self._raw(entity.category, row)
        if not found:
            return "unknown"
        column, text = found[0]
        hit = self._clean("category:person_categories", text)
        if isinstance(hit, str):
            result.issues.append(Issue(row.number, column, text, hit))
            return None
        return hit[0]

    def _key(
        self, entity: EntityMapping, row: RawRow, result: RowResult, values: list[ValueDraft]
    ) -> tuple[str, str | None]:
        """The entity key (a digest, part of the uid) and the source's key, readable."""
        if entity.key is None:
            # No source identifier: the entity is what its values say it is.
            content = digest(["content", *(f"{v.prop}={v.cleaned or v.original}" for v in values)])
            return content, None
        parts: list[str] = []
        for column in entity.key:
            text = _text(row.values.get(column))
            if not text:
                result.issues.append(
                    Issue(row.number, column, None, f"key column {column!r} is empty")
                )
            parts.append(text)
        return key_digest(parts), readable_key(parts)

    # -- links and provenance --------------------------------------------------------------
    def _end(
        self, end: str | RefSpec, row: RawRow, aliases: dict[str, RecordDraft]
    ) -> str | RefKey | None:
        if isinstance(end, str):
            record = aliases.get(end)
            return record.uid if record else None
        parts = [_text(row.values.get(c)) for c in end.key]
        if not all(parts):
            return None
        return RefKey(tuple(end.types), key_digest(parts))

    def _link(
        self, link: LinkMapping, row: RawRow, aliases: dict[str, RecordDraft], result: RowResult
    ) -> LinkDraft | None:
        source = self._end(link.source, row, aliases)
        target = self._end(link.target, row, aliases)
        if source is None or target is None:
            return None
        dates = [self._link_date(spec, row, result) for spec in (link.start_date, link.end_date)]
        ends = [
            e if isinstance(e, str) else f"{e.schemas}:{e.entity_key}" for e in (source, target)
        ]
        prov = result.provenance
        uid = digest(
            [
                self.source.source_id,
                link.type,
                *ends,
                *dates,
                *((prov.handling_code, prov.source_grade, prov.info_grade) if prov else ()),
            ]
        )
        return LinkDraft(uid, link.type, source, target, dates[0], dates[1])

    def _link_date(self, spec: Spec | None, row: RawRow, result: RowResult) -> str | None:
        found = self._raw(spec, row) if spec else []
        if not found:
            return None
        column, text = found[0]
        hit = self._clean("date", text)
        if isinstance(hit, str):
            result.issues.append(Issue(row.number, column, text, hit, "warning"))
            return None
        return hit[0]

    def _provenance(self, row: RawRow, result: RowResult) -> Provenance:
        spec = self.mapping.provenance
        src = self.source
        uk = src.grading_system == "uk"
        handling = self._coded(spec.handling_code, row, result, "handling_codes", src.handling_code)
        conditions = self._raw(spec.handling_conditions, row) if spec.handling_conditions else []
        return Provenance(
            handling_code=handling,
            handling_conditions=conditions[0][1] if conditions else src.handling_conditions,
            source_grade=self._coded(
                spec.source_grade,
                row,
                result,
                "uk_source_grades" if uk else "source_grades",
                src.source_grade,
            ),
            info_grade=self._coded(
                spec.info_grade,
                row,
                result,
                "uk_intelligence_grades" if uk else "information_grades",
                src.info_grade,
            ),
        )

    def _coded(
        self, spec: Spec | None, row: RawRow, result: RowResult, category: str, default: str
    ) -> str:
        found = self._raw(spec, row) if spec else []
        if not found:
            return default
        column, text = found[0]
        hit = self._clean(f"category:{category}", text)
        if isinstance(hit, str):
            result.issues.append(Issue(row.number, column, text, hit))
            return default
        return hit[0]


def _text(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(v.strip() for v in value if v.strip())
    return value.strip()


def _texts(value: str | list[str] | None, split: str | None) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        parts = item.split(split) if split else [item]
        out.extend(p.strip() for p in parts if p.strip())
    return out


def _holds(cond: Condition, row: RawRow) -> bool:
    text = _text(row.values.get(cond.column))
    if cond.in_ is not None:
        return text.casefold() in {v.casefold() for v in cond.in_}
    return bool(text) == cond.present
