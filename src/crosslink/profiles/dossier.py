"""A profile read as a dossier: a summary card and links grouped by kind and counterpart.

Built from a :class:`~crosslink.profiles.read.Profile` alone — what the user was given and
what was logged — so it shows nothing the records on the page do not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crosslink.model import load_model
from crosslink.profiles.read import LinkView, Profile
from crosslink.search.labels import count_names, label_of
from crosslink.search.rules import parse_yaml_as

UNKNOWN_CATEGORY = "unknown"


class Facet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str = Field(min_length=1)
    props: tuple[str, ...] = ()
    linked: tuple[str, ...] = ()


class DossierSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(ge=1)
    facets: dict[str, Facet]

    @field_validator("facets")
    @classmethod
    def _known(cls, facets: dict[str, Facet]) -> dict[str, Facet]:
        model = load_model()
        props = {p for e in model.entities.values() for p in e.properties}
        for name, facet in facets.items():
            unknown = [p for p in facet.props if p not in props]
            unknown += [t for t in facet.linked if t not in model.entities]
            if unknown:
                raise ValueError(f"facet {name}: not in the data model: {unknown}")
        return facets


@cache
def load_spec() -> DossierSpec:
    text = resources.files("crosslink.profiles").joinpath("data", "dossier.yaml").read_text()
    return parse_yaml_as(DossierSpec, text, "crosslink/profiles/data/dossier.yaml")


@dataclass(frozen=True)
class Counted:
    value: str
    records: int
    """How many records (or links) give it."""


@dataclass(frozen=True)
class FacetView:
    key: str
    label: str
    values: list[Counted]


@dataclass(frozen=True)
class LinkGroup:
    """Every link of one kind, in one direction, to one counterpart."""

    link_type: str
    outgoing: bool
    ref: str
    label: str
    schema: str
    count: int
    first: str | None
    last: str | None
    sources: list[str]
    handling_codes: list[str]


@dataclass
class Dossier:
    names: list[Counted]
    facets: list[FacetView]
    categories: list[str]
    sources: list[str]
    agencies: list[str]
    links: list[LinkGroup] = field(default_factory=list)


def _counted(counter: Counter[str]) -> list[Counted]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Counted(value, n) for value, n in ranked]


def _facet(profile: Profile, key: str, facet: Facet) -> FacetView:
    found: Counter[str] = Counter()
    for record in profile.records:
        # once per record: a record that repeats a value does not make it more certain
        found.update({v for p in facet.props for v in record.cleaned.get(p, [])})
    linked = {(lk.other_entity or lk.other_uid, lk.other_label) for lk in profile.links}
    schemas = {lk.other_entity or lk.other_uid: lk.other_schema for lk in profile.links}
    found.update(label for ref, label in linked if schemas[ref] in facet.linked)
    return FacetView(key, facet.label, _counted(found))


def group_links(links: list[LinkView]) -> list[LinkGroup]:
    """One row per (kind, direction, counterpart), with a count and the period covered."""
    groups: dict[tuple[str, bool, str], list[LinkView]] = {}
    for link in links:
        ref = link.other_entity or link.other_uid
        groups.setdefault((link.link_type, link.outgoing, ref), []).append(link)
    out = []
    for (link_type, outgoing, ref), members in groups.items():
        starts = [d for lk in members if (d := lk.start_date)]
        ends = [d for lk in members if (d := lk.end_date or lk.start_date)]
        labels = Counter(lk.other_label for lk in members)
        out.append(
            LinkGroup(
                link_type=link_type,
                outgoing=outgoing,
                ref=ref,
                label=labels.most_common(1)[0][0],
                schema=members[0].other_schema,
                count=len(members),
                first=min(starts) if starts else None,
                last=max(ends) if ends else None,
                sources=sorted({lk.source_id for lk in members}),
                handling_codes=sorted({lk.handling_code for lk in members}),
            )
        )
    return sorted(out, key=lambda g: (g.link_type, g.schema, -g.count, g.label))


def dossier(profile: Profile) -> Dossier:
    """The summary card and grouped links of ``profile``."""
    spec = load_spec()
    # names counted as the model cleans them: "AKAR" and "Akar" are one name, shouted
    names = count_names(
        (label_of({p: vs[0] for p, vs in r.cleaned.items()}, r.label), r.label)
        for r in profile.records
    )
    categories = {r.person_category for r in profile.records if r.person_category}
    known = categories - {UNKNOWN_CATEGORY}
    return Dossier(
        names=[Counted(name, n) for name, n in names],
        facets=[f for k, facet in spec.facets.items() if (f := _facet(profile, k, facet)).values],
        categories=sorted(known or categories),
        sources=sorted({r.source_id for r in profile.records}),
        agencies=sorted({r.agency for r in profile.records}),
        links=group_links(profile.links),
    )
