"""Declarative mapping files: how one partner's file becomes records, values and links.

A mapping names the file's format and reading options, the entities each row yields (an alias
each), the properties of each entity and the columns they come from, and the links between the
entities of a row or to entities of earlier rows (by key). See docs/mappings.md.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from crosslink.errors import MappingError, ModelError
from crosslink.model import Model, load_model

Format = Literal["csv", "xlsx", "json", "jsonl", "ftm"]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueSpec(_Spec):
    """Where a value comes from: one column, several joined, or a constant."""

    column: str | None = None
    columns: list[str] | None = None
    join: str = " "
    value: str | None = None
    split: str | None = None
    map: dict[str, str] | None = None
    type: str | None = None
    required: bool = False
    region_column: str | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> ValueSpec:
        given = [x for x in (self.column, self.columns, self.value) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'column', 'columns' and 'value'")
        return self

    @property
    def source_columns(self) -> list[str]:
        if self.column is not None:
            return [self.column]
        return list(self.columns or [])

    @property
    def read_columns(self) -> list[str]:
        """Every column this spec reads, the country column included."""
        extra = [self.region_column] if self.region_column else []
        return [*self.source_columns, *extra]


class Condition(_Spec):
    """A row takes part only when ``column`` is present, or equals one of ``in``."""

    column: str
    in_: list[str] | None = Field(default=None, alias="in")
    present: bool = True


class EntityMapping(_Spec):
    type: str
    key: list[str] | None = None
    when: Condition | None = None
    category: ValueSpec | None = None
    properties: dict[str, ValueSpec]


class RefSpec(_Spec):
    """An entity of another row (or file of the same source), found by its key columns."""

    ref: str | list[str]
    key: list[str]

    @property
    def types(self) -> list[str]:
        return [self.ref] if isinstance(self.ref, str) else list(self.ref)


class LinkMapping(_Spec):
    type: str
    source: str | RefSpec
    target: str | RefSpec
    when: Condition | None = None
    start_date: ValueSpec | None = None
    end_date: ValueSpec | None = None


class Provenance(_Spec):
    """Per-row overrides of the source's handling code and grading."""

    handling_code: ValueSpec | None = None
    handling_conditions: ValueSpec | None = None
    source_grade: ValueSpec | None = None
    info_grade: ValueSpec | None = None


class Mapping(_Spec):
    name: str
    description: str = ""
    format: Format
    encoding: str = "auto"
    delimiter: str = "auto"
    sheet: str | None = None
    root: str | None = None
    date_order: Literal["dmy", "mdy", "ymd"] = "dmy"
    region: str | None = None
    provenance: Provenance = Provenance()
    ignore_columns: list[str] = Field(default_factory=list)
    entities: dict[str, EntityMapping]
    links: list[LinkMapping] = Field(default_factory=list)
    sha256: str = ""

    @cached_property
    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        used: set[str] = set()
        for spec in self._value_specs():
            used.update(spec.read_columns)
        for entity in self.entities.values():
            used.update(entity.key or [])
            if entity.when:
                used.add(entity.when.column)
        for link in self.links:
            for end in (link.source, link.target):
                if isinstance(end, RefSpec):
                    used.update(end.key)
            if link.when:
                used.add(link.when.column)
        return used

    def _value_specs(self) -> list[ValueSpec]:
        specs: list[ValueSpec] = []
        for entity in self.entities.values():
            specs.extend(entity.properties.values())
            if entity.category:
                specs.append(entity.category)
        for link in self.links:
            specs.extend(s for s in (link.start_date, link.end_date) if s)
        prov = self.provenance
        specs.extend(
            s
            for s in (
                prov.handling_code,
                prov.handling_conditions,
                prov.source_grade,
                prov.info_grade,
            )
            if s
        )
        return specs

    def check(self, model: Model) -> None:
        """Refuse a mapping that names unknown entity types, properties, links or aliases."""
        try:
            self._check(model)
        except ModelError as exc:
            raise MappingError(f"mapping {self.name}: {exc}") from exc

    def _check(self, model: Model) -> None:
        for alias, entity in self.entities.items():
            model.entity(entity.type)
            for prop in entity.properties:
                model.prop(entity.type, prop)
            if entity.category and entity.type != "Person":
                raise ModelError(f"entity {alias}: only a Person has a legal category")
        for link in self.links:
            spec = model.link(link.type)
            for end, allowed in ((link.source, spec.source), (link.target, spec.target)):
                etypes = end.types if isinstance(end, RefSpec) else [self._alias_type(end)]
                for etype in etypes:
                    model.entity(etype)
                    if etype not in allowed:
                        raise ModelError(
                            f"link {link.type} cannot have a {etype} at this end (allowed: "
                            f"{', '.join(allowed)})"
                        )

    def _alias_type(self, alias: str) -> str:
        if alias not in self.entities:
            raise ModelError(f"a link names {alias!r}, which is not an entity of this mapping")
        return self.entities[alias].type


def parse_mapping(text: str, origin: str) -> Mapping:
    """Parse and check one mapping file's text; ``origin`` names it in errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"{origin}: a mapping file must be a YAML mapping")
    data["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        mapping = Mapping.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MappingError(f"{origin}: {where}: {first['msg']}") from exc
    mapping.check(load_model())
    return mapping


def bundled_mappings() -> dict[str, str]:
    """Names of the mappings shipped with Crosslink, with their descriptions."""
    found: dict[str, str] = {}
    for entry in resources.files("crosslink.mappings").iterdir():
        if entry.name.endswith(".yaml"):
            mapping = parse_mapping(entry.read_text(encoding="utf-8"), entry.name)
            found[mapping.name] = mapping.description
    return dict(sorted(found.items()))


def load_mapping(name_or_path: str) -> Mapping:
    """A bundled mapping by name, or a mapping file by path."""
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} and path.exists():
        return parse_mapping(path.read_text(encoding="utf-8"), str(path))
    bundled = resources.files("crosslink.mappings").joinpath(f"{name_or_path}.yaml")
    if bundled.is_file():
        return parse_mapping(bundled.read_text(encoding="utf-8"), bundled.name)
    known = ", ".join(bundled_mappings()) or "none"
    raise MappingError(f"no mapping {name_or_path!r}: not a file, nor bundled (bundled: {known})")
