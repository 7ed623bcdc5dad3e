"""Banks' suspicious-transaction reports (to the FIU, CTIF-CFI): CSV with IBANs and amounts.

As in a goAML report, the reporting bank identifies its own client (date of birth and
nationality from its customer file, anti-money-laundering law obliges it to know them); of the
counterparty it knows what the transfer carried: a name and an account.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from crosslink.demo import _formats as fmt
from crosslink.demo._entities import Company, Network
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
    "report_id",
    "reporting_bank",
    "report_date",
    "transaction_date",
    "amount",
    "currency",
    "payer_type",
    "payer_name",
    "payer_iban",
    "payer_birth_date",
    "payer_nationality",
    "beneficiary_type",
    "beneficiary_name",
    "beneficiary_iban",
    "beneficiary_country",
    "beneficiary_birth_date",
    "beneficiary_nationality",
    "communication",
    "reason",
)
_REASONS = (
    "structured cash deposits",
    "many incoming transfers from unrelated persons",
    "immediate transfer abroad",
    "wages paid to third-party account",
    "amounts inconsistent with profile",
    "rent paid for many tenants",
)
_CODE = 108
_CLIENT = 109


@dataclass(frozen=True)
class Party:
    kind: str
    name: str
    iban: str
    true_id: str
    country: str
    person: Person | None = None


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("banks")
    world = ctx.world
    with CsvSink(ctx.path(spec.file), HEADER) as sink:
        for n in range(wanted):
            if world.networks and rng.random() < 0.35:
                payer, beneficiary = _network_flow(ctx, rng, rng.choice(world.networks))
            else:
                payer = _person(ctx, rng, world.ordinary_person(rng))
                beneficiary = (
                    _person(ctx, rng, world.ordinary_person(rng))
                    if rng.random() < 0.7
                    else _company(world.company(rng.randrange(world.n_companies)))
                )
            _row(ctx, spec, sink, rng, n, payer, beneficiary)
    return Written(spec.file, spec.mapping, spec.source.id, wanted)


def _person(ctx: PartnerContext, rng: random.Random, person: Person) -> Party:
    view = ctx.noise.name(person, rng, alias_ok=False)
    name = (
        f"{view.family.upper()} {view.given}"
        if rng.random() < 0.5
        else f"{view.given} {view.family}"
    )
    return Party("natural person", name, person.iban, person.id, person.iban[:2], person)


def _company(company: Company) -> Party:
    return Party("legal entity", company.name, company.iban, company.id, company.country)


def _network_flow(ctx: PartnerContext, rng: random.Random, net: Network) -> tuple[Party, Party]:
    world = ctx.world
    mules = net.with_role("money_mule") or net.with_role("boss")
    mule = _person(ctx, rng, world.person(rng.choice(mules)))
    step = rng.randrange(3)
    if step == 0 and net.companies:
        return _company(rng.choice(net.companies)), mule
    if step == 1 and net.victims:
        return _person(ctx, rng, world.person(rng.choice(net.victims))), mule
    boss = _person(ctx, rng, world.person(net.with_role("boss")[0]))
    return mule, boss


def _row(
    ctx: PartnerContext,
    spec: PartnerSpec,
    sink: CsvSink,
    rng: random.Random,
    n: int,
    payer: Party,
    beneficiary: Party,
) -> None:
    world = ctx.world
    day = dt.date(
        rng.randint(world.config.start_year, world.config.end_year),
        rng.randint(1, 12),
        rng.randint(1, 28),
    )
    bank = rng.choice(fmt.BANKS["BE"])[0]
    cells = {
        "report_id": f"STR-{day.year}-{n:07d}",
        "reporting_bank": bank,
        "report_date": format_date(day + dt.timedelta(days=rng.randint(1, 30)), "dmy"),
        "transaction_date": format_date(day, "dmy"),
        "amount": f"{rng.randint(150, 9_500)},{rng.randint(0, 99):02d}",
        "currency": "EUR",
        "payer_type": payer.kind,
        "payer_name": payer.name,
        "payer_iban": fmt.format_iban(payer.iban) if rng.random() < 0.5 else payer.iban,
        "beneficiary_type": beneficiary.kind,
        "beneficiary_name": beneficiary.name,
        "beneficiary_iban": beneficiary.iban,
        "beneficiary_country": beneficiary.country,
        "communication": rng.choice(("loon", "huur", "salaire", "transfer", "")),
        "reason": rng.choice(_REASONS),
    }
    _identify_client(ctx, n, cells, payer, beneficiary)
    if ctx.spoil(rng):
        kind = rng.choice(("invalid_iban", "impossible_date"))
        if kind == "invalid_iban":
            iban = payer.iban
            cells["payer_iban"] = iban[:2] + ("00" if iban[2:4] != "00" else "01") + iban[4:]
        else:
            cells["transaction_date"] = f"31/04/{day.year}"
        row = sink.write(cells)
        ctx.truth.spoiled(spec.file, row, kind, f"deliberately spoiled: {kind}")
        return
    row = sink.write(cells)
    records = []
    for side, party in (("payer", payer), ("beneficiary", beneficiary)):
        person = party.kind == "natural person"
        alias = f"{side}_person" if person else f"{side}_org"
        when = f"{side}_name"
        # A person is keyed by report and account (one observation per report): see the mapping.
        read = ("report_id", f"{side}_iban", when) if person else (when,)
        records.append(
            Record(alias, "Person" if person else "Organisation", party.true_id, read, when=when)
        )
    record_truth(ctx, spec.file, row, cells, records)


def _identify_client(
    ctx: PartnerContext, n: int, cells: dict[str, str], payer: Party, beneficiary: Party
) -> None:
    """The bank's own client (either side) with what its customer file holds."""
    # A generator of its own per report: the rest of the file stays as it was.
    rng = ctx.world.rng(_CLIENT, n)
    client = "payer" if rng.random() < 0.5 else "beneficiary"
    for side, party in (("payer", payer), ("beneficiary", beneficiary)):
        person = party.person if side == client else None
        cells[f"{side}_birth_date"] = ctx.noise.birth(person.birth, rng) if person else ""
        cells[f"{side}_nationality"] = alpha3(person.nationality) if person else ""
