"""What a record's values say about its actor or shared thing: label, places, sectors, dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crosslink.graph._network import Node

_HUB_LABEL = {
    "Phone": ("number",),
    "Email": ("address",),
    "OnlineAccount": ("handle",),
    "BankAccount": ("iban",),
    "IdentityDocument": ("number",),
    "Vehicle": ("registration", "make", "model"),
    "Address": ("full", "street", "postcode", "city"),
    "Place": ("name", "address", "city"),
    "Event": ("kind", "reference", "date"),
}


@dataclass
class Hub:
    """A shared thing (phone, address, account, vehicle, report …) that ties actors."""

    kind: str
    label: str = ""
    countries: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    start: str | None = None
    end: str | None = None


def _first(values: Mapping[str, Sequence[str]], prop: str) -> str:
    found = values.get(prop)
    return found[0] if found else ""


def actor_label(kind: str, values: Mapping[str, Sequence[str]]) -> str:
    if kind == "Ad":
        return _first(values, "title") or _first(values, "url")
    name = _first(values, "name")
    if name:
        return name
    return " ".join(p for p in (_first(values, "first_name"), _first(values, "last_name")) if p)


def describe_actor(node: Node, values: Mapping[str, Sequence[str]]) -> None:
    """Fold one record's values into its actor node (labels prefer the longest name seen)."""
    label = actor_label(node.kind, values)
    if len(label) > len(node.label):
        node.label = label
    node.nationalities.update(v for v in values.get("nationality", ()) if len(v) == 2)
    node.countries.update(v for v in values.get("jurisdiction", ()) if len(v) == 2)
    node.roles.update(v for v in values.get("role", ()) if v)
    node.sectors.update(v for v in values.get("sector", ()) if v)


def describe_hub(hub: Hub, values: Mapping[str, Sequence[str]]) -> None:
    """Fold one record's values into the shared thing it describes."""
    if not hub.label:
        parts = [_first(values, p) for p in _HUB_LABEL.get(hub.kind, ("name",))]
        hub.label = " ".join(p for p in parts if p)
    hub.countries.update(v for v in values.get("country", ()) if len(v) == 2)
    hub.sectors.update(v for v in values.get("sector", ()) if v)
    start, end = _first(values, "date"), _first(values, "end_date")
    for day in (start, end):
        if day:
            hub.start = day if hub.start is None or day < hub.start else hub.start
            hub.end = day if hub.end is None or day > hub.end else hub.end
