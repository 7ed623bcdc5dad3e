"""The things of the hidden world that networks own or do: companies, vehicles, cases."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crosslink.demo.truth import Address


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    country: str
    registration: str
    sector: str
    address: Address
    director: int
    network: int | None
    phone: str
    iban: str
    bank: str
    kind: str


@dataclass(frozen=True)
class Vehicle:
    id: str
    kind: str
    make: str
    model: str
    colour: str
    country: str
    registration: str
    vin: str
    engine: str
    owner: int
    network: int


@dataclass(frozen=True)
class VictimCase:
    id: str
    victim: int
    network: int | None
    form: str
    sector: str
    country: str
    means: tuple[str, ...]
    recruiter: int | None
    exploiter: int | None
    identified: bool
    centre: str
    start: dt.date


@dataclass(frozen=True)
class Member:
    pid: int
    role: str
    superior: int | None


@dataclass
class Network:
    idx: int
    kind: str
    home: str
    country: str
    members: list[Member] = field(default_factory=list)
    victims: list[int] = field(default_factory=list)
    bystanders: list[int] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    housing: list[Address] = field(default_factory=list)
    shared_phones: list[str] = field(default_factory=list)
    vehicles: list[Vehicle] = field(default_factory=list)
    cases: list[VictimCase] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"N{self.idx:04d}"

    def housing_for(self, rng: random.Random) -> Address:
        return rng.choice(self.housing)

    def with_role(self, *roles: str) -> list[int]:
        return [m.pid for m in self.members if m.role in roles]
