"""Roles, their actions and scopes, and the policy's gates, loaded from ``data/roles.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from crosslink.errors import ModelError

RECORD_ACTIONS = ("view", "export", "disclose_in_court", "erase")
OTHER_ACTIONS = ("import", "aggregate", "audit_read", "manage_users", "give_feedback")
ACTIONS = RECORD_ACTIONS + OTHER_ACTIONS
GATES = ("victim_consent", "h2_dissemination", "h1_judicial", "h3_conditions")

Scope = Literal["all", "agency_or_case", "cases", "own_victims", "own_signals", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(_Strict):
    label: str
    actions: frozenset[str]
    scope: Scope
    case_for_persons: bool = False
    import_any_source: bool = False


class Gate(_Strict):
    id: str
    when: str
    unless: str
    applies_to: frozenset[str]


class RoleBook(_Strict):
    kinds_of_agency: dict[str, str]
    roles: dict[str, Role]
    gates: list[Gate]

    def role(self, name: str) -> Role:
        try:
            return self.roles[name]
        except KeyError:
            raise ModelError(f"unknown role {name!r}; known: {', '.join(self.roles)}") from None

    def gate(self, gate_id: str) -> Gate:
        for gate in self.gates:
            if gate.id == gate_id:
                return gate
        raise ModelError(f"unknown gate {gate_id!r}")


@cache
def load_roles() -> RoleBook:
    """The bundled roles and gates, validated (every action named must be a known one)."""
    text = resources.files("crosslink.access").joinpath("data/roles.yaml").read_text("utf-8")
    try:
        book = RoleBook.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise ModelError(f"roles.yaml: {exc}") from exc
    for name, role in book.roles.items():
        unknown = role.actions - set(ACTIONS)
        if unknown:
            raise ModelError(f"roles.yaml: role {name}: unknown actions {sorted(unknown)}")
    for gate in book.gates:
        if gate.id not in GATES:
            raise ModelError(f"roles.yaml: gate {gate.id} is not implemented; known: {GATES}")
        if not gate.applies_to <= set(RECORD_ACTIONS):
            raise ModelError(f"roles.yaml: gate {gate.id} applies to non-record actions")
    return book
