"""Municipal population registrations: CSV, Dutch, ``;``, registrations and deregistrations."""

from __future__ import annotations

import datetime as dt
import random

from crosslink.demo.noise import format_date
from crosslink.demo.partners._base import (
    CsvSink,
    PartnerContext,
    PartnerSpec,
    Record,
    Written,
    alpha3,
    record_truth,
)
from crosslink.demo.truth import Address, Person

HEADER = (
    "gemeente",
    "straat",
    "huisnummer",
    "bus",
    "postcode",
    "rijksregisternummer",
    "naam",
    "voornamen",
    "geboortedatum",
    "nationaliteit",
    "geslacht",
    "type_mutatie",
    "datum_mutatie",
    "herkomst",
)
RESIDENT = (
    "naam",
    "voornamen",
    "geboortedatum",
    "nationaliteit",
    "geslacht",
    "rijksregisternummer",
)
ADDRESS = ("straat", "huisnummer", "bus", "postcode", "gemeente")
_CODE = 103


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("population")
    world = ctx.world
    housing = [(a, n) for n in world.networks for a in n.housing if a.country == "BE"]
    written = 0
    with CsvSink(ctx.path(spec.file), HEADER, delimiter=";") as sink:
        while written < wanted:
            if housing and rng.random() < 0.2:
                address, net = rng.choice(housing)
                residents = [
                    world.person(p) for p in net.victims if world.person(p).address.id == address.id
                ]
                people = rng.sample(residents, min(len(residents), rng.randint(3, 10)))
            else:
                people = [_ordinary_in_belgium(ctx, rng)]
            for person in people[: wanted - written]:
                for kind in _mutations(rng)[: wanted - written]:
                    _row(ctx, spec, sink, rng, person, person.address, kind)
                    written += 1
    return Written(spec.file, spec.mapping, spec.source.id, written)


def _ordinary_in_belgium(ctx: PartnerContext, rng: random.Random) -> Person:
    person = ctx.world.ordinary_person(rng)
    for _ in range(20):
        if person.address.country == "BE":
            break
        person = ctx.world.ordinary_person(rng)
    return person


def _mutations(rng: random.Random) -> list[str]:
    kinds = ["inschrijving"]
    if rng.random() < 0.3:
        kinds.append(rng.choice(("uitschrijving", "afvoering van ambtswege", "adreswijziging")))
    return kinds


def _row(
    ctx: PartnerContext,
    spec: PartnerSpec,
    sink: CsvSink,
    rng: random.Random,
    person: Person,
    address: Address,
    kind: str,
) -> None:
    noise = ctx.noise
    view = noise.name(person, rng, alias_ok=False)
    start = ctx.world.config.start_year
    day = dt.date(
        rng.randint(start, ctx.world.config.end_year), rng.randint(1, 12), rng.randint(1, 28)
    )
    street = noise.street_text(address.street, rng)
    cells = {
        "gemeente": address.city,
        "straat": street,
        "huisnummer": address.number,
        "bus": address.box,
        "postcode": address.postcode if address.country == "BE" else "",
        "rijksregisternummer": person.national_id or "",
        "naam": view.family,
        "voornamen": view.given,
        "geboortedatum": noise.birth(person.birth, rng),
        "nationaliteit": alpha3(person.nationality),
        "geslacht": "M" if person.male else "V",
        "type_mutatie": kind,
        "datum_mutatie": format_date(day, "dmy"),
        "herkomst": rng.choice(("buitenland", "andere gemeente", "")),
    }
    if address.country != "BE":
        cells["postcode"] = "1000"
        cells["gemeente"] = "Brussel"
    if ctx.spoil(rng):
        spoil = rng.choice(("ragged", "impossible_date"))
        if spoil == "impossible_date":
            cells["datum_mutatie"] = f"31/{rng.choice(('02', '04', '06', '09', '11'))}/{day.year}"
        row = sink.write(cells, ragged=spoil == "ragged")
        ctx.truth.spoiled(spec.file, row, spoil, f"deliberately spoiled: {spoil}")
        return
    row = sink.write(cells)
    records = [Record("resident", "Person", person.id, RESIDENT)]
    if address.country == "BE":
        records.append(Record("address", "Address", address.id, ADDRESS))
    record_truth(ctx, spec.file, row, cells, records)
