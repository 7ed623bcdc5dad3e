"""Federal police reports: CSV, Dutch headers, ``;``, dd/mm/yyyy, one row per person named."""

from __future__ import annotations

import random

from crosslink.demo._entities import Network, Vehicle
from crosslink.demo.partners._base import (
    CsvSink,
    PartnerContext,
    PartnerSpec,
    Record,
    Written,
    alpha3,
    police_id,
    record_truth,
)
from crosslink.demo.truth import Person

HEADER = (
    "pv_nummer",
    "datum_pv",
    "eenheid",
    "feit",
    "uitbuitingsvorm",
    "sector",
    "persoon_id",
    "rol",
    "achternaam",
    "voornaam",
    "bijnaam",
    "geboortedatum",
    "nationaliteit",
    "geslacht",
    "rijksregisternummer",
    "telefoon",
    "straat",
    "postcode",
    "gemeente",
    "land",
    "voertuig_soort",
    "nummerplaat",
    "land_inschrijving",
    "chassisnummer",
    "merk",
    "model",
    "motor",
    "opmerking_intern",
)
PERSON = (
    "achternaam",
    "voornaam",
    "bijnaam",
    "geboortedatum",
    "nationaliteit",
    "geslacht",
    "rijksregisternummer",
    "telefoon",
    "rol",
    "straat",
    "postcode",
    "gemeente",
)
ADDRESS = ("straat", "postcode", "gemeente", "land")
VEHICLE = (
    "voertuig_soort",
    "nummerplaat",
    "land_inschrijving",
    "chassisnummer",
    "merk",
    "model",
    "motor",
)
_FORMS = {
    "labour": "economische uitbuiting",
    "sexual": "seksuele uitbuiting",
    "begging": "bedelarij",
    "criminality": "gedwongen criminaliteit",
    "domestic_servitude": "huishoudelijke slavernij",
}
_SECTORS = {
    "construction": "bouw",
    "cleaning": "schoonmaak",
    "car_wash": "carwash",
    "hospitality": "horeca",
    "retail": "nachtwinkel",
    "agriculture": "landbouw",
    "sex_industry": "prostitutie",
    "domestic_work": "huishoudelijk werk",
    "begging": "begging",
    "illicit_activities": "illicit_activities",
}
_OTHER_FACTS = (
    "diefstal",
    "valsheid in geschrifte",
    "inbreuk sociaal strafrecht",
    "oplichting",
    "drugshandel",
    "illegaal verblijf",
)
_UNITS = (
    "FGP West-Vlaanderen",
    "FGP Antwerpen",
    "FGP Brussel",
    "FGP Luik",
    "LPA Zeebrugge",
    "SPN Oostende",
)
_VEHICLE_KINDS = {"van": "bestelwagen", "boat": "boot"}
_CODE = 101


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("police")
    world = ctx.world
    written = 0
    report = 0
    with CsvSink(ctx.path(spec.file), HEADER, delimiter=";", encoding="utf-8-sig") as sink:
        while written < wanted:
            report += 1
            year = rng.randint(world.config.start_year, world.config.end_year)
            base = {
                "pv_nummer": f"{rng.choice('ABGKL')}{rng.choice('RGEK')}.{year % 100}."
                f"L{rng.randint(1, 9)}.{report:06d}/{year % 100}",
                "datum_pv": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
                "eenheid": rng.choice(_UNITS),
            }
            people = _cast(ctx, rng, base)
            for person, role, vehicle in people[: wanted - written]:
                cells = dict(base)
                _fill_person(ctx, rng, cells, person, role)
                if vehicle is not None:
                    _fill_vehicle(cells, vehicle)
                written += 1
                _emit(ctx, spec, sink, rng, cells, person, vehicle)
    return Written(spec.file, spec.mapping, spec.source.id, written)


def _cast(
    ctx: PartnerContext, rng: random.Random, base: dict[str, str]
) -> list[tuple[Person, str, Vehicle | None]]:
    world = ctx.world
    people: list[tuple[Person, str, Vehicle | None]] = []
    if world.networks and rng.random() < 0.4:
        net: Network = rng.choice(world.networks)
        base["feit"] = "mensensmokkel" if net.kind == "smuggling" else "mensenhandel"
        if net.cases:
            case = rng.choice(net.cases)
            base["uitbuitingsvorm"] = _FORMS[case.form]
            base["sector"] = _SECTORS[case.sector]
        for pid in rng.sample(
            [m.pid for m in net.members], min(len(net.members), rng.randint(1, 3))
        ):
            owned = [v for v in net.vehicles if v.owner == pid]
            vehicle = rng.choice(owned) if owned and rng.random() < 0.6 else None
            people.append((world.person(pid), "verdachte", vehicle))
        for pid in rng.sample(net.victims, min(len(net.victims), rng.randint(0, 4))):
            people.append((world.person(pid), "slachtoffer", None))
        for pid in rng.sample(net.bystanders, min(len(net.bystanders), rng.randint(0, 2))):
            people.append((world.person(pid), "getuige", None))
        return people
    base["feit"] = rng.choice(_OTHER_FACTS)
    for role, count in (
        ("verdachte", rng.randint(1, 2)),
        ("slachtoffer", rng.randint(0, 2)),
        ("getuige", rng.randint(0, 2)),
    ):
        people.extend((world.ordinary_person(rng), role, None) for _ in range(count))
    return people


def _fill_person(
    ctx: PartnerContext, rng: random.Random, cells: dict[str, str], person: Person, role: str
) -> None:
    noise = ctx.noise
    view = noise.name(person, rng)
    address = person.address
    cells.update(
        {
            "persoon_id": police_id(person.idx),
            "rol": role,
            "achternaam": view.family.upper(),
            "voornaam": view.given,
            "bijnaam": view.alias,
            "geboortedatum": noise.birth(person.birth, rng),
            "nationaliteit": alpha3(person.nationality),
            "geslacht": "M" if person.male else "V",
            "rijksregisternummer": person.national_id or "",
            "telefoon": noise.phone(person.phone, "BE", rng) if rng.random() < 0.7 else "",
            "opmerking_intern": "zie PV" if rng.random() < 0.1 else "",
        }
    )
    if rng.random() < 0.8:
        cells.update(
            {
                "straat": noise.street(address, rng),
                "postcode": address.postcode,
                "gemeente": address.city,
                "land": address.country,
            }
        )


def _fill_vehicle(cells: dict[str, str], vehicle: Vehicle) -> None:
    cells.update(
        {
            "voertuig_soort": _VEHICLE_KINDS[vehicle.kind],
            "nummerplaat": vehicle.registration,
            "land_inschrijving": vehicle.country,
            "chassisnummer": vehicle.vin,
            "merk": vehicle.make,
            "model": vehicle.model,
            "motor": vehicle.engine,
        }
    )


def _emit(
    ctx: PartnerContext,
    spec: PartnerSpec,
    sink: CsvSink,
    rng: random.Random,
    cells: dict[str, str],
    person: Person,
    vehicle: Vehicle | None,
) -> None:
    if ctx.spoil(rng):
        kind = rng.choice(("ragged", "invalid_phone", "impossible_date"))
        if kind == "invalid_phone":
            cells["telefoon"] = "+32 12"
        elif kind == "impossible_date":
            cells["datum_pv"] = f"{rng.choice((30, 31))}/02/{cells['datum_pv'][-4:]}"
        row = sink.write(cells, ragged=kind == "ragged")
        ctx.truth.spoiled(spec.file, row, kind, f"deliberately spoiled: {kind}")
        return
    row = sink.write(cells)
    records = [
        Record("person", "Person", person.id, PERSON, key=("persoon_id",)),
        Record("address", "Address", person.address.id, ADDRESS, when="straat"),
    ]
    if vehicle is not None:
        records.append(Record("vehicle", "Vehicle", vehicle.id, VEHICLE, when="voertuig_soort"))
    record_truth(ctx, spec.file, row, cells, records)
