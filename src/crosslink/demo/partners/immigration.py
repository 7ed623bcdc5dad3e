"""Immigration Office records: CSV, English headers, document numbers and procedures."""

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
from crosslink.demo.truth import Person

HEADER = (
    "case_number",
    "record_date",
    "surname",
    "given_names",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "sex",
    "document_type",
    "document_number",
    "document_country",
    "document_expiry",
    "procedure",
    "decision",
    "address",
    "postcode",
    "city",
)
APPLICANT = (
    "surname",
    "given_names",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "sex",
    "document_number",
)
DOCUMENT = ("document_type", "document_number", "document_country", "document_expiry")
_PROCEDURES = {
    "victim": (
        "THB reflection period (45 days)",
        "THB 3-month document",
        "THB 6-month residence permit",
    ),
    "smuggled_migrant": ("asylum application", "annex 26", "order to leave the territory"),
    "none": (
        "EU registration (annex 19)",
        "single permit (work)",
        "family reunification",
        "student residence",
    ),
    "suspect": ("order to leave the territory", "entry ban", "residence permit renewal"),
}
_BIRTHPLACES = {
    "RO": "Bucureşti",
    "BG": "София",
    "MA": "Casablanca",
    "DZ": "Oran",
    "SY": "Aleppo",
    "AF": "Kabul",
    "IQ": "Baghdad",
    "IR": "Tehran",
    "NG": "Benin City",
    "VN": "Nghệ An",
    "UA": "Kyiv",
    "AL": "Durrës",
    "TR": "Istanbul",
    "HU": "Miskolc",
}
_DOCUMENTS = ("passport", "passport", "identity card")
_CODE = 105


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("immigration")
    world = ctx.world
    special = [p for n in world.networks for p in (*n.victims, *(m.pid for m in n.members))]
    special += list(world.lone_victims)
    written = 0
    with CsvSink(ctx.path(spec.file), HEADER) as sink:
        while written < wanted:
            if special and rng.random() < 0.3:
                person = world.person(rng.choice(special))
            else:
                person = world.ordinary_person(rng)
                if person.nationality == "BE":
                    continue
            for _ in range(min(rng.randint(1, 3), wanted - written)):
                _row(ctx, spec, sink, rng, person)
                written += 1
    return Written(spec.file, spec.mapping, spec.source.id, written)


def _row(
    ctx: PartnerContext, spec: PartnerSpec, sink: CsvSink, rng: random.Random, person: Person
) -> None:
    noise = ctx.noise
    view = noise.name(person, rng, alias_ok=False)
    world = ctx.world
    day = dt.date(
        rng.randint(world.config.start_year, world.config.end_year),
        rng.randint(1, 12),
        rng.randint(1, 28),
    )
    kind = (
        person.role
        if person.role in _PROCEDURES
        else "suspect"
        if person.network is not None
        else "none"
    )
    has_document = rng.random() < 0.85
    expiry = day + dt.timedelta(days=rng.randint(200, 3000))
    cells = {
        "case_number": f"{8_000_000 + person.idx * 3:08d}",
        "record_date": format_date(day, "dmy"),
        "surname": view.family.upper(),
        "given_names": view.given,
        "date_of_birth": noise.birth(person.birth, rng),
        "place_of_birth": _BIRTHPLACES.get(person.origin, "") if rng.random() < 0.6 else "",
        "nationality": alpha3(person.nationality),
        "sex": person.sex,
        "document_type": rng.choice(_DOCUMENTS) if has_document else "",
        "document_number": person.passport if has_document else "",
        "document_country": alpha3(person.nationality) if has_document else "",
        "document_expiry": format_date(expiry, "dmy") if has_document else "",
        "procedure": rng.choice(_PROCEDURES[kind]),
        "decision": rng.choice(("granted", "pending", "refused", "")),
        "address": noise.street(person.address, rng) if person.address.country == "BE" else "",
        "postcode": person.address.postcode if person.address.country == "BE" else "",
        "city": person.address.city if person.address.country == "BE" else "",
    }
    if ctx.spoil(rng):
        spoil = rng.choice(("ragged", "impossible_date", "invalid_document"))
        if spoil == "impossible_date":
            cells["record_date"] = f"29/02/{rng.choice((2021, 2022, 2023))}"
        elif spoil == "invalid_document":
            cells["document_number"] = "N/A?"
        row = sink.write(cells, ragged=spoil == "ragged")
        ctx.truth.spoiled(spec.file, row, spoil, f"deliberately spoiled: {spoil}")
        return
    row = sink.write(cells)
    record_truth(
        ctx,
        spec.file,
        row,
        cells,
        [Record("applicant", "Person", person.id, APPLICANT, key=("case_number",))],
    )
