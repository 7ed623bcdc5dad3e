"""The hidden world: people, networks, companies, addresses, phones, vehicles, accounts, cases.

Only networks (a few hundred people each at most) are built eagerly; everything else is a pure
function of the seed and an index (``world.person(17)`` is always the same person), so a world
of a million records needs no more memory than one of a thousand.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from crosslink.demo import _formats as fmt
from crosslink.demo._names import NameForm, pool
from crosslink.demo.config import WorldConfig

if TYPE_CHECKING:
    from crosslink.demo._entities import Company

MEMBER_ROLES = (
    "boss",
    "lieutenant",
    "recruiter",
    "transporter",
    "exploiter",
    "money_mule",
    "front_director",
    "landlord",
)
_PERSON, _ADDRESS, _COMPANY, _NETWORK, _NAMESAKE = 1, 2, 3, 4, 5
_CACHE = 65_536
_SEXES = {True: "M", False: "F"}
_HOUSED = ("victim", "smuggled_migrant")


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """One key of ``weights``, drawn in proportion (keys in their given order)."""
    total = sum(weights.values())
    point = rng.random() * total
    for key, weight in weights.items():
        point -= weight
        if point < 0:
            return key
    return next(reversed(weights))


@dataclass(frozen=True)
class Address:
    id: str
    country: str
    street: str
    number: str
    box: str
    postcode: str
    city: str
    overcrowded: bool = False

    @property
    def line(self) -> str:
        return f"{self.street} {self.number}" + (f" bus {self.box}" if self.box else "")


@dataclass(frozen=True)
class Person:
    id: str
    idx: int
    origin: str
    nationality: str
    male: bool
    given: NameForm
    family: NameForm
    birth: dt.date
    phone: str
    handle: str
    nickname: str
    address: Address
    role: str
    network: int | None
    passport: str
    national_id: str | None
    iban: str
    bank: str
    namesake_of: str | None = None
    shared_phone: bool = False

    @property
    def sex(self) -> str:
        return _SEXES[self.male]

    @property
    def full_name(self) -> str:
        return f"{self.given.latin[0]} {self.family.latin[0]}"


@dataclass(frozen=True)
class Slot:
    """What the network builder decided about one special person."""

    role: str
    network: int | None
    origin: str
    superior: int | None = None


class World:
    """The hidden truth of one seed and configuration."""

    def __init__(self, config: WorldConfig) -> None:
        from crosslink.demo._networks import build_networks, finish_networks

        self.config = config.check()
        self.seed = config.seed
        scale = config.scale
        self.n_addresses = max(50, scale // 6)
        self.n_companies = max(20, scale // 80)
        self.slots: list[Slot] = []
        self.address = lru_cache(maxsize=_CACHE)(self._make_address)
        self.networks = build_networks(self)
        lone_rng = self.rng(_NETWORK, 0)
        start = len(self.slots)
        for _ in range(config.rows_for("reception") + 5):
            origin = weighted(lone_rng, config.proportions.victim_origin)
            self.slots.append(Slot("victim", None, origin))
        self.lone_victims = range(start, len(self.slots))
        self.n_special = len(self.slots)
        self.n_persons = max(self.n_special * 2, int(scale * 0.3))
        self.person = lru_cache(maxsize=_CACHE)(self._make_person)
        self.company = lru_cache(maxsize=_CACHE)(self._make_company)
        self.cases = finish_networks(self)

    def _make_company(self, cidx: int) -> Company:
        from crosslink.demo._networks import benign_company

        return benign_company(self, cidx)

    def rng(self, kind: int, idx: int) -> random.Random:
        """A generator for one thing of the world, independent of every other."""
        return random.Random((self.seed << 44) ^ (kind << 40) ^ idx)

    # -- addresses -------------------------------------------------------------------------
    def _make_address(
        self, aidx: int, country: str | None = None, overcrowded: bool = False
    ) -> Address:
        rng = self.rng(_ADDRESS, aidx)
        country = country or weighted(rng, self.config.proportions.countries_of_operation)
        code, city = rng.choice(fmt.CITIES[country])
        number = str(rng.randint(1, 240))
        box = str(rng.randint(1, 6)) if country == "BE" and rng.random() < 0.2 else ""
        return Address(
            f"A{aidx:07d}",
            country,
            rng.choice(fmt.STREETS[country]),
            number,
            box,
            fmt.postcode(rng, country, code),
            city,
            overcrowded,
        )

    def home_address(self, rng: random.Random) -> Address:
        return self.address(rng.randrange(self.n_addresses))

    # -- persons ---------------------------------------------------------------------------
    def _make_person(self, pid: int) -> Person:
        rng = self.rng(_PERSON, pid)
        props = self.config.proportions
        if pid < self.n_special:
            slot = self.slots[pid]
            role, network, origin = slot.role, slot.network, slot.origin
        else:
            role, network = "none", None
            origin = weighted(rng, props.population_origin)
        male = rng.random() < (
            0.45
            if role == "victim"
            else 0.8
            if network is not None and role != "bystander"
            else 0.5
        )
        names = pool(origin)
        given = rng.choice(names.given_male if male else names.given_female)
        family = rng.choice(names.family)
        low, high = (16, 45) if role == "victim" else (19, 70)
        birth = dt.date(self.config.end_year - rng.randint(low, high), 1, 1) + dt.timedelta(
            days=rng.randrange(365)
        )
        namesake_of = None
        if role == "none" and rng.random() < self.config.noise.namesake:
            other = self._namesake_source(pid)
            if other is not None:
                given, family, origin, male, year, namesake_of = other
                birth = birth.replace(year=year, day=min(birth.day, 28))
        nationality = origin if role != "none" or rng.random() < 0.7 else "BE"
        net = self.networks[network] if network is not None else None
        address = net.housing_for(rng) if net and role in _HOUSED else self.home_address(rng)
        phone = fmt.phone_number(
            rng, address.country if rng.random() < 0.7 else _phone_origin(origin)
        )
        shared = False
        share = self.config.noise.shared_phone
        if net is not None and role != "bystander" and rng.random() < share:
            phone, shared = rng.choice(net.shared_phones), True
        iban, bank = fmt.iban(rng, address.country if address.country in fmt.BANKS else "BE")
        handle = f"@{fmt_handle(given.latin[0], family.latin[0], rng)}"
        national_id = (
            fmt.be_national_number(rng, birth, male)
            if address.country == "BE" and role != "victim"
            else None
        )
        return Person(
            id=f"P{pid:07d}",
            idx=pid,
            origin=origin,
            nationality=nationality,
            male=male,
            given=given,
            family=family,
            birth=birth,
            phone=phone,
            handle=handle,
            nickname=_nickname(given.latin[0], rng),
            address=address,
            role=role,
            network=network,
            passport=fmt.passport_number(rng, nationality),
            national_id=national_id,
            iban=iban,
            bank=bank,
            namesake_of=namesake_of,
            shared_phone=shared,
        )

    def _namesake_source(self, pid: int) -> tuple[NameForm, NameForm, str, bool, int, str] | None:
        """Name, origin, sex and birth year of an earlier ordinary person (not a namesake)."""
        rng = self.rng(_NAMESAKE, pid)
        start = max(self.n_special, pid - 2000)
        if start >= pid:
            return None
        other = self.person(rng.randrange(start, pid))
        if other.namesake_of is not None:
            return None
        return (other.given, other.family, other.origin, other.male, other.birth.year, other.id)

    def iter_persons(self) -> range:
        return range(self.n_persons)

    def ordinary_person(self, rng: random.Random) -> Person:
        return self.person(rng.randrange(self.n_special, self.n_persons))


def fmt_handle(given: str, family: str, rng: random.Random) -> str:
    base = "".join(ch for ch in f"{given}{family[:3]}".lower() if ch.isascii() and ch.isalnum())
    return f"{base or 'user'}{rng.randint(1, 999)}"


def _nickname(given: str, rng: random.Random) -> str:
    stem = given.split()[0][:3].capitalize() if given else "Bo"
    return rng.choice((f"{stem}o", f"{stem}i", f"Big {stem}", f"{stem}ke", f"{stem}y"))


def _phone_origin(origin: str) -> str:
    return origin
