"""Load and validate the data model (entities.yaml, links.yaml, categories.yaml)."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from crosslink.errors import InvalidValue, ModelError
from crosslink.model import types


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PropertySpec(_Strict):
    """One property of an entity type: a value type or a category list, never both."""

    label: str
    type: str | None = None
    category: str | None = None
    match: bool = False
    key: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> PropertySpec:
        if (self.type is None) == (self.category is None):
            raise ValueError("give exactly one of 'type' and 'category'")
        return self


class EntitySpec(_Strict):
    label: str
    matchable: bool = False
    properties: dict[str, PropertySpec]


class LinkSpec(_Strict):
    label: str
    source: list[str]
    target: list[str]
    directed: bool = True


class CategoryValue(_Strict):
    label: str
    aliases: list[str] = Field(default_factory=list)


class CategoryList(_Strict):
    label: str
    values: dict[str, CategoryValue]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Model(_Strict):
    """The whole data model; build it with :func:`load_model`."""

    entities: dict[str, EntitySpec]
    links: dict[str, LinkSpec]
    categories: dict[str, CategoryList]
    _indexes: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Model:
        known_types = set(types.names())
        for ename, entity in self.entities.items():
            for pname, prop in entity.properties.items():
                where = f"{ename}.{pname}"
                if prop.type is not None and prop.type not in known_types:
                    raise ValueError(f"{where}: unknown value type {prop.type!r}")
                if prop.category is not None and prop.category not in self.categories:
                    raise ValueError(f"{where}: unknown category list {prop.category!r}")
        for lname, link in self.links.items():
            for end in (*link.source, *link.target):
                if end not in self.entities:
                    raise ValueError(f"link {lname}: unknown entity type {end!r}")
        return self

    def entity(self, name: str) -> EntitySpec:
        try:
            return self.entities[name]
        except KeyError:
            known = ", ".join(sorted(self.entities))
            raise ModelError(f"unknown entity type {name!r} (known: {known})") from None

    def prop(self, entity: str, name: str) -> PropertySpec:
        spec = self.entity(entity)
        try:
            return spec.properties[name]
        except KeyError:
            known = ", ".join(sorted(spec.properties))
            raise ModelError(f"{entity} has no property {name!r} (known: {known})") from None

    def link(self, name: str) -> LinkSpec:
        try:
            return self.links[name]
        except KeyError:
            known = ", ".join(sorted(self.links))
            raise ModelError(f"unknown link type {name!r} (known: {known})") from None

    def category_code(self, category: str, text: str) -> str:
        """The code for ``text`` in a category list, by code, label or alias (case-insensitive)."""
        index = self._indexes.get(category)
        if index is None:
            index = self._indexes[category] = _category_index(self, category)
        code = index.get(_fold(text))
        if code is None:
            codes = ", ".join(self.categories[category].values)
            raise InvalidValue(f"{text!r} is not one of {category} ({codes})")
        return code


def _category_index(model: Model, category: str) -> dict[str, str]:
    try:
        values = model.categories[category].values
    except KeyError:
        raise ModelError(f"unknown category list {category!r}") from None
    index: dict[str, str] = {}
    for code, value in values.items():
        for word in (code, value.label, *value.aliases):
            index.setdefault(_fold(word), code)
    return index


def _read(name: str) -> Any:
    text = resources.files("crosslink.model").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def load_model() -> Model:
    """The bundled data model, validated once and shared (it is immutable)."""
    raw = {
        "entities": _read("entities.yaml"),
        "links": _read("links.yaml"),
        "categories": _read("categories.yaml"),
    }
    try:
        return Model.model_validate(raw)
    except ValidationError as exc:
        raise ModelError(f"the bundled data model is invalid: {exc}") from exc
