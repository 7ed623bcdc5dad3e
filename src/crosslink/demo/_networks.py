"""Criminal networks with a command structure, their companies, housing, vehicles and victims.

Built once per world (small: tens of people per network). Trafficking networks exploit victims
in the forms and sectors of the configured proportions; smuggling networks move migrants towards
the Belgian and French coast with boats, outboard engines and vans.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from crosslink.demo import _formats as fmt
from crosslink.demo._entities import Company, Member, Network, Vehicle, VictimCase

if TYPE_CHECKING:
    from crosslink.demo.truth import Address, World

_NET, _CASE, _COMPANY, _VEHICLE = 11, 12, 13, 14
_TRAFFICKING_ROLES = (
    ("boss", 1, 1),
    ("lieutenant", 1, 2),
    ("recruiter", 1, 3),
    ("transporter", 1, 2),
    ("exploiter", 1, 3),
    ("money_mule", 1, 3),
    ("front_director", 1, 2),
    ("landlord", 1, 1),
)
_SMUGGLING_ROLES = (
    ("boss", 1, 1),
    ("lieutenant", 1, 2),
    ("recruiter", 1, 2),
    ("transporter", 2, 4),
    ("money_mule", 1, 2),
    ("landlord", 1, 1),
)
_COAST = {"BE": ("8660", "8400", "8670", "8000"), "FR": ("59140", "62100", "62200")}
_SECTOR_OF_FORM = {
    "sexual": "sex_industry",
    "begging": "begging",
    "criminality": "illicit_activities",
    "domestic_servitude": "domestic_work",
}
_MEANS = (
    "debt_bondage",
    "takes_earnings",
    "restricts_financial_access",
    "threats",
    "psychological_abuse",
    "physical_abuse",
    "false_promises",
    "restricts_movement",
    "excessive_hours",
    "withholds_documents",
    "threat_of_law_enforcement",
)
_CENTRES = (("Payoke", "PAY"), ("PAG-ASA", "PAG"), ("Sürya", "SUR"))
_SECTOR_WORDS = {
    "construction": ("Bouw", "Construct", "Bau"),
    "cleaning": ("Clean", "Net", "Service"),
    "car_wash": ("Carwash", "Car Wash", "Autowash"),
    "hospitality": ("Horeca", "Food", "Grill"),
    "retail": ("Nightshop", "Market", "Telecom"),
    "agriculture": ("Agro", "Tuinbouw", "Fruit"),
    "sex_industry": ("Massage", "Wellness", "Beauty"),
    "domestic_work": ("Home", "Care", "Hulp"),
    "begging": ("Trading", "Import", "Export"),
    "illicit_activities": ("Trading", "Logistics", "Import"),
    "transportation": ("Transport", "Logistics", "Cargo"),
    "other": ("Trading", "Group", "Co"),
}
_LEGAL = {
    "BE": ("BV", "SRL", "NV", "CommV"),
    "NL": ("B.V.", "V.O.F."),
    "FR": ("SARL", "SAS"),
    "DE": ("GmbH", "UG"),
    "GB": ("Ltd",),
}
BOATS = (
    ("Zodiac", "Pro 550"),
    ("Bombard", "Sunrider 600"),
    ("Honwave", "T40"),
    ("Generic", "RHIB 8 m"),
)
ENGINES = ("Yamaha F40", "Mercury 60 ELPT", "Suzuki DF50", "Tohatsu 40")
VANS = (
    ("Renault", "Master"),
    ("Ford", "Transit"),
    ("Mercedes-Benz", "Sprinter"),
    ("Volkswagen", "Crafter"),
    ("Peugeot", "Boxer"),
)
COLOURS = ("wit", "grijs", "zwart", "blauw", "rood")


def build_networks(world: World) -> list[Network]:
    from crosslink.demo.truth import Slot

    config = world.config
    props = config.proportions
    networks: list[Network] = []
    for idx in range(config.networks):
        rng = world.rng(_NET, idx)
        kind = "smuggling" if rng.random() < props.smuggling_network_share else "trafficking"
        if idx == 0:
            kind = "trafficking"
        elif idx == 1 and config.networks > 2:
            kind = "smuggling"
        home = _pick(rng, props.suspect_nationality)
        country = "BE" if kind == "smuggling" else _pick(rng, props.countries_of_operation)
        net = Network(idx, kind, home, country)
        _add_members(world, net, rng)
        net.housing = [_housing(world, net, rng, i) for i in range(rng.randint(1, 3))]
        net.shared_phones = [fmt.phone_number(rng, country) for _ in range(rng.randint(1, 3))]
        start = len(world.slots)
        migrant = ("AF", "IQ", "IR", "SY")
        for _ in range(rng.randint(15, 40)):
            origin = (
                rng.choice(migrant)
                if kind == "smuggling"
                else (
                    home if rng.random() < 0.5 and home != "BE" else _pick(rng, props.victim_origin)
                )
            )
            role = "smuggled_migrant" if kind == "smuggling" else "victim"
            world.slots.append(Slot(role, idx, origin))
        net.victims = list(range(start, len(world.slots)))
        start = len(world.slots)
        for _ in range(rng.randint(3, 8)):
            world.slots.append(Slot("bystander", idx, _pick(rng, props.population_origin)))
        net.bystanders = list(range(start, len(world.slots)))
        networks.append(net)
    return networks


def finish_networks(world: World) -> list[VictimCase]:
    """Companies, vehicles and victim cases (these need the people); plus lone victims' cases."""
    cases: list[VictimCase] = []
    for net in world.networks:
        rng = world.rng(_NET, 10_000 + net.idx)
        if net.kind == "trafficking":
            net.cases = [_case(world, pid, net) for pid in net.victims]
            cases.extend(net.cases)
        directors = net.with_role("front_director") or net.with_role("boss")
        for n in range(rng.randint(1, 3)):
            net.companies.append(
                _company(
                    world,
                    rng,
                    f"C{net.idx:04d}{n:02d}",
                    rng.choice(directors),
                    net,
                    "front" if n == 0 else "subcontractor",
                )
            )
        net.vehicles = _vehicles(world, net, rng)
    cases.extend(_case(world, pid, None) for pid in world.lone_victims)
    return cases


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    from crosslink.demo.truth import weighted

    return weighted(rng, weights)


def _add_members(world: World, net: Network, rng: random.Random) -> None:
    from crosslink.demo.truth import Slot

    props = world.config.proportions
    layout = _SMUGGLING_ROLES if net.kind == "smuggling" else _TRAFFICKING_ROLES
    boss: int | None = None
    lieutenants: list[int] = []
    for role, low, high in layout:
        for _ in range(rng.randint(low, high)):
            pid = len(world.slots)
            origin = net.home if rng.random() < 0.7 else _pick(rng, props.suspect_nationality)
            superior = (
                None
                if role == "boss"
                else boss
                if role == "lieutenant"
                else rng.choice(lieutenants)
                if lieutenants
                else boss
            )
            world.slots.append(Slot(role, net.idx, origin, superior))
            net.members.append(Member(pid, role, superior))
            if role == "boss":
                boss = pid
            elif role == "lieutenant":
                lieutenants.append(pid)


def _housing(world: World, net: Network, rng: random.Random, n: int) -> Address:
    from crosslink.demo.truth import Address

    country = net.country
    base = world.address(10_000_000 + net.idx * 10 + n, country, True)
    if net.kind == "smuggling":
        code = rng.choice(_COAST["BE"])
        city = next(c for p, c in fmt.CITIES["BE"] if p == code)
        return Address(base.id, "BE", base.street, base.number, "", code, city, True)
    return base


def _company(
    world: World, rng: random.Random, cid: str, director: int, net: Network | None, kind: str
) -> Company:
    person = world.person(director)
    sector = rng.choice(
        (
            "construction",
            "cleaning",
            "car_wash",
            "hospitality",
            "retail",
            "agriculture",
            "transportation",
        )
    )
    if net is not None and net.cases:
        sector = net.cases[0].sector
    country = net.country if net else person.address.country
    address = (
        net.housing[0]
        if net and kind == "front" and rng.random() < 0.5
        else world.home_address(rng)
    )
    if address.country != country:
        address = world.address(rng.randrange(world.n_addresses) + 20_000_000, country)
    word = rng.choice(_SECTOR_WORDS.get(sector, _SECTOR_WORDS["other"]))
    name = f"{person.family.latin[-1].split()[-1]} {word} {rng.choice(_LEGAL[country])}"
    iban, bank = fmt.iban(rng, country)
    return Company(
        cid,
        name,
        country,
        fmt.company_number(rng, country),
        sector,
        address,
        director,
        net.idx if net else None,
        fmt.phone_number(rng, country),
        iban,
        bank,
        kind,
    )


def benign_company(world: World, cidx: int) -> Company:
    rng = world.rng(_COMPANY, cidx)
    return _company(world, rng, f"C9{cidx:07d}", world.ordinary_person(rng).idx, None, "benign")


def _vehicles(world: World, net: Network, rng: random.Random) -> list[Vehicle]:
    found: list[Vehicle] = []
    owners = net.with_role("transporter", "lieutenant") or net.with_role("boss")
    count = rng.randint(2, 5)
    for n in range(count):
        vid = f"V{net.idx:04d}{n:02d}"
        owner = rng.choice(owners)
        country = world.person(owner).address.country
        if net.kind == "smuggling" and n % 2 == 1:
            make, model = rng.choice(BOATS)
            found.append(
                Vehicle(
                    vid,
                    "boat",
                    make,
                    model,
                    "grijs",
                    "FR",
                    "",
                    fmt.hull_id(rng),
                    rng.choice(ENGINES),
                    owner,
                    net.idx,
                )
            )
            continue
        make, model = rng.choice(VANS)
        found.append(
            Vehicle(
                vid,
                "van",
                make,
                model,
                rng.choice(COLOURS),
                country,
                fmt.plate(rng, country),
                "",
                "",
                owner,
                net.idx,
            )
        )
    return found


def _case(world: World, pid: int, net: Network | None) -> VictimCase:
    rng = world.rng(_CASE, pid)
    props = world.config.proportions
    form = _pick(rng, props.exploitation)
    sector = _pick(rng, props.labour_sectors) if form == "labour" else _SECTOR_OF_FORM[form]
    country = net.country if net else _pick(rng, props.countries_of_operation)
    means = tuple(sorted(rng.sample(_MEANS, rng.randint(2, 4))))
    recruiter = rng.choice(net.with_role("recruiter")) if net else None
    exploiter = rng.choice(net.with_role("exploiter") or net.with_role("boss")) if net else None
    identified = net is None or rng.random() < 0.55
    centre = ""
    if identified and country == "BE" or net is None:
        centre = rng.choice(_CENTRES)[0]
    year = rng.randint(world.config.start_year, world.config.end_year)
    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
    return VictimCase(
        f"K{pid:07d}",
        pid,
        net.idx if net else None,
        form,
        sector,
        country,
        means,
        recruiter,
        exploiter,
        identified,
        centre,
        start,
    )


def centre_prefix(centre: str) -> str:
    return dict(_CENTRES)[centre]
