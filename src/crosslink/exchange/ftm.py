"""Records and links as FollowTheMoney entities, and back: one table (``data/ftm.yaml``).

Each line of a package's entities is an FtM entity (``id``, ``schema``, ``properties``) with
one extra object, ``crosslink``: the Crosslink type and the record's handling code, H3
conditions, grading and the person's legal category, so they travel with the data. The
receiving side imports the lines with a mapping built from the same table
(:func:`import_mapping`): the normal import, with its checks, its idempotence and its batch.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from followthemoney import model as ftm_model
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crosslink.errors import ModelError
from crosslink.ingest.mapping import Mapping, parse_mapping
from crosslink.model import load_model

LINK_SCHEMA = "UnknownLink"
_FILE = "data/ftm.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeMap(_Strict):
    schema_: str = Field(alias="schema")
    properties: dict[str, str]


class FtmTable(_Strict):
    version: int
    send_cleaned: frozenset[str]
    entities: dict[str, TypeMap]


@cache
def load_ftm_table() -> FtmTable:
    """The bundled table, checked against Crosslink's model and FtM's schemata."""
    text = resources.files("crosslink.exchange").joinpath(_FILE).read_text("utf-8")
    try:
        table = FtmTable.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise ModelError(f"exchange/{_FILE}: {exc}") from exc
    model = load_model()
    for etype, spec in table.entities.items():
        where = f"exchange/{_FILE}: {etype}"
        model.entity(etype)
        schema = ftm_model.get(spec.schema_)
        if schema is None:
            raise ModelError(f"{where}: FtM has no schema {spec.schema_!r}")
        for prop, ftm_prop in spec.properties.items():
            model.prop(etype, prop)
            if schema.get(ftm_prop) is None:
                raise ModelError(f"{where}.{prop}: FtM {spec.schema_} has no {ftm_prop!r}")
    return table


def record_entity(
    uid: str, etype: str, values: list[tuple[str, str]], prov: dict[str, Any]
) -> dict[str, Any]:
    """One record as an FtM entity; values of properties the table leaves out are dropped."""
    spec = load_ftm_table().entities[etype]
    properties: dict[str, list[str]] = {}
    for prop, value in values:
        ftm_prop = spec.properties.get(prop)
        if ftm_prop is not None:
            properties.setdefault(ftm_prop, []).append(value)
    return {
        "id": uid,
        "schema": spec.schema_,
        "properties": properties,
        "crosslink": {"type": etype, **prov},
    }


def link_entity(
    uid: str,
    link_type: str,
    ends: tuple[str, str],
    dates: tuple[str | None, str | None],
    prov: dict[str, Any],
) -> dict[str, Any]:
    properties = {"subject": [ends[0]], "object": [ends[1]], "role": [link_type]}
    for name, value in zip(("startDate", "endDate"), dates, strict=True):
        if value:
            properties[name] = [value]
    return {"id": uid, "schema": LINK_SCHEMA, "properties": properties, "crosslink": prov}


def import_mapping() -> Mapping:
    """The mapping a receiving Crosslink imports package entities with."""
    table = load_ftm_table()
    entities: dict[str, Any] = {}
    for etype, spec in table.entities.items():
        entity: dict[str, Any] = {
            "type": etype,
            "key": ["id"],
            "when": {"column": "crosslink.type", "in": [etype]},
            "properties": {
                prop: {"column": f"properties.{ftm_prop}"}
                for prop, ftm_prop in spec.properties.items()
            },
        }
        if etype == "Person":
            entity["category"] = {"column": "crosslink.person_category"}
        entities[etype.lower()] = entity
    links = []
    carried = set(table.entities)
    for link_type, link in load_model().links.items():
        if not (carried & set(link.source) and carried & set(link.target)):
            continue  # no end of this link type travels, so neither does the link
        links.append(
            {
                "type": link_type,
                "when": {"column": "properties.role", "in": [link_type]},
                "source": {
                    "ref": sorted(carried & set(link.source)),
                    "key": ["properties.subject"],
                },
                "target": {"ref": sorted(carried & set(link.target)), "key": ["properties.object"]},
                "start_date": {"column": "properties.startDate"},
                "end_date": {"column": "properties.endDate"},
            }
        )
    name = f"exchange-package-v{table.version}"
    document: dict[str, Any] = {
        "name": name,
        "description": "Crosslink exchange packages (FtM entities with their provenance)",
        "format": "ftm",
        "date_order": "ymd",
        "provenance": {
            "handling_code": {"column": "crosslink.handling_code"},
            "handling_conditions": {"column": "crosslink.handling_conditions"},
            "source_grade": {"column": "crosslink.source_grade"},
            "info_grade": {"column": "crosslink.info_grade"},
        },
        "entities": entities,
        "links": links,
    }
    return parse_mapping(yaml.safe_dump(document, sort_keys=False), name)
