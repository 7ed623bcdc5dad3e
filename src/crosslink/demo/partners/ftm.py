"""A neighbouring country's export (Dutch police): FollowTheMoney entities, one per line."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from crosslink.demo._entities import Company
from crosslink.demo.partners._base import JsonlSink, PartnerContext, PartnerSpec, Written
from crosslink.demo.truth import Address, Person

PERSON = ("name", "firstName", "lastName", "birthDate", "nationality", "phone", "address")
COMPANY = ("name", "registrationNumber", "jurisdiction", "address", "phone")
ADDRESS = ("full", "street", "postalCode", "city", "country")
_CODE = 106


class _Export:
    def __init__(
        self, ctx: PartnerContext, spec: PartnerSpec, sink: JsonlSink, rng: random.Random
    ) -> None:
        self.ctx, self.spec, self.sink, self.rng = ctx, spec, sink, rng
        self.count = 0

    def _id(self, kind: str) -> str:
        self.count += 1
        raw = f"{self.ctx.world.seed}:{kind}:{self.count}".encode()
        return f"nl-{kind}-{hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:16]}"

    def emit(
        self,
        schema: str,
        props: dict[str, list[str]],
        truth: tuple[str, str, str, tuple[str, ...]] | None = None,
    ) -> str:
        entity_id = self._id(schema.lower())
        props = {k: v for k, v in props.items() if v and all(v)}
        if self.ctx.spoil(self.rng):
            bad = dict(props, **{"birthdate" if schema == "Person" else "foundedIn": ["1999"]})
            row = self.sink.write({"id": entity_id, "schema": schema, "properties": bad})
            self.ctx.truth.spoiled(
                self.spec.file, row, "invalid_ftm", "deliberately spoiled: invalid_ftm"
            )
            return entity_id
        row = self.sink.write({"id": entity_id, "schema": schema, "properties": props})
        if truth is not None:
            alias, etype, true_id, columns = truth
            content = ["|".join(props.get(c, [])) for c in columns]
            if any(content):
                self.ctx.truth.record(
                    self.spec.file, row, alias, etype, true_id, [entity_id, *content]
                )
        return entity_id

    def address(self, address: Address) -> str:
        line = self.ctx.noise.street(address, self.rng)
        full = f"{line}, {address.postcode} {address.city}"
        return self.emit(
            "Address",
            {
                "full": [full],
                "street": [line],
                "postalCode": [address.postcode],
                "city": [address.city],
                "country": [address.country.lower()],
            },
            ("address", "Address", address.id, ADDRESS),
        )

    def person(self, person: Person) -> str:
        noise, rng = self.ctx.noise, self.rng
        view = noise.name(person, rng, alias_ok=False)
        address_id = self.address(person.address) if rng.random() < 0.5 else ""
        birth = noise.birth(person.birth, rng, "iso")
        props: dict[str, list[str]] = {
            "name": [f"{view.given} {view.family}"],
            "firstName": [view.given],
            "lastName": [view.family],
            "birthDate": [birth] if birth else [],
            "nationality": [person.nationality.lower()],
            "phone": [noise.phone(person.phone, "NL", rng)] if rng.random() < 0.5 else [],
            "addressEntity": [address_id] if address_id else [],
        }
        return self.emit("Person", props, ("person", "Person", person.id, PERSON))

    def company(self, company: Company) -> str:
        address_id = self.address(company.address)
        return self.emit(
            "Company",
            {
                "name": [company.name],
                "registrationNumber": [company.registration],
                "jurisdiction": [company.country.lower()],
                "addressEntity": [address_id],
                "phone": [self.ctx.noise.phone(company.phone, "NL", self.rng)],
            },
            ("company", "Organisation", company.id, COMPANY),
        )

    def relation(self, schema: str, ends: dict[str, str], start: dt.date) -> None:
        props = {k: [v] for k, v in ends.items()}
        props["startDate"] = [start.isoformat()]
        self.emit(schema, props)


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("ftm")
    world = ctx.world
    networks = [n for n in world.networks if n.companies]
    with JsonlSink(ctx.path(spec.file)) as sink:
        export = _Export(ctx, spec, sink, rng)
        while sink.row - 1 < wanted:
            start = dt.date(rng.randint(2010, world.config.end_year), rng.randint(1, 12), 1)
            if networks and rng.random() < 0.3:
                net = rng.choice(networks)
                company = rng.choice(net.companies)
                staff = [
                    world.person(p)
                    for p in rng.sample(net.victims, min(len(net.victims), rng.randint(0, 4)))
                ]
            else:
                company = world.company(rng.randrange(world.n_companies))
                staff = [world.ordinary_person(rng) for _ in range(rng.randint(0, 3))]
            _dossier(export, rng, company, staff, start)
    return Written(spec.file, spec.mapping, spec.source.id, sink.row - 1)


def _dossier(
    export: _Export, rng: random.Random, company: Company, staff: list[Person], start: dt.date
) -> None:
    world = export.ctx.world
    company_id = export.company(company)
    director_id = export.person(world.person(company.director))
    export.relation(
        "Directorship",
        {"director": director_id, "organization": company_id, "role": "bestuurder"},
        start,
    )
    if rng.random() < 0.5:
        export.relation(
            "Ownership", {"owner": director_id, "asset": company_id, "percentage": "100"}, start
        )
    for person in staff:
        employee_id = export.person(person)
        export.relation(
            "Employment",
            {"employee": employee_id, "employer": company_id, "role": "medewerker"},
            start,
        )
