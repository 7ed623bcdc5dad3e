"""Kinds of actors, shared things and ties, and the base weight of each kind of tie."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

ACTOR_TYPES = frozenset({"Person", "Organisation", "Ad"})
KEYED_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "Phone": "number",
        "Email": "address",
        "OnlineAccount": "handle",
        "BankAccount": "iban",
        "IdentityDocument": "number",
    }
)
HUB_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "Phone": "shared_phone",
        "Email": "shared_email",
        "OnlineAccount": "shared_online_account",
        "BankAccount": "shared_account",
        "IdentityDocument": "shared_document",
        "Vehicle": "shared_vehicle",
        "Address": "shared_address",
        "Place": "shared_address",
        "Event": "same_report",
    }
)
INLINE: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("Person", "phone"): "Phone",
        ("Person", "email"): "Email",
        ("Person", "id_number"): "IdentityDocument",
        ("Person", "national_id"): "IdentityDocument",
        ("Organisation", "phone"): "Phone",
        ("Organisation", "email"): "Email",
        ("Ad", "phone"): "Phone",
        ("Ad", "email"): "Email",
        ("Ad", "handle"): "OnlineAccount",
    }
)
"""A key property on an actor's own record ties it to the shared thing of that type."""
DIRECT: Mapping[str, str] = MappingProxyType(
    {"employed_by": "employment", "director_of": "directorship", "owns": "ownership"}
)
DIRECTED = frozenset(
    {
        "employment",
        "directorship",
        "ownership",
        "payment",
        "recruited",
        "transported",
        "exploited",
        "victim_of",
        "ad_contact",
    }
)
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "recruited": 3.0,
        "transported": 3.0,
        "exploited": 3.0,
        "victim_of": 2.0,
        "co_offender": 3.0,
        "family": 2.0,
        "associate": 2.0,
        "travelled_with": 2.0,
        "payment": 2.0,
        "employment": 1.5,
        "directorship": 2.0,
        "ownership": 2.0,
        "shared_phone": 3.0,
        "shared_email": 3.0,
        "shared_online_account": 3.0,
        "shared_account": 3.0,
        "shared_document": 3.0,
        "shared_vehicle": 2.5,
        "shared_address": 1.5,
        "same_report": 1.0,
        "ad_contact": 2.0,
    }
)
VICTIM_LINKS = frozenset({"recruited", "transported", "exploited"})
