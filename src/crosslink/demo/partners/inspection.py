"""Social-inspection findings: XLSX, French headers, a data sheet and a legend sheet."""

from __future__ import annotations

import datetime as dt
import random

from crosslink.demo._entities import Company
from crosslink.demo.partners._base import (
    PartnerContext,
    PartnerSpec,
    Record,
    Written,
    alpha3,
    record_truth,
)
from crosslink.demo.partners._xlsx import XlsxWriter
from crosslink.demo.truth import Person

SHEET = "Constats"
HEADER = (
    "numero_dossier",
    "date_controle",
    "service",
    "employeur",
    "numero_bce",
    "secteur",
    "lieu_adresse",
    "code_postal",
    "commune",
    "nom",
    "prenom",
    "date_naissance",
    "nationalite",
    "sexe",
    "statut",
    "constat",
    "heures_semaine",
    "salaire_horaire",
    "logement_fourni",
    "documents_retenus",
)
WORKER = ("nom", "prenom", "date_naissance", "nationalite", "sexe", "statut")
EMPLOYER = ("employeur", "numero_bce", "secteur")
SITE = ("lieu_adresse", "code_postal", "commune")
_SECTORS = {
    "construction": "construction",
    "cleaning": "nettoyage",
    "car_wash": "lavage auto",
    "hospitality": "hôtellerie",
    "retail": "commerce de détail",
    "agriculture": "agriculture",
    "sex_industry": "prostitution",
    "domestic_work": "travail domestique",
    "transportation": "transport",
}
_SERVICES = (
    "Inspection sociale (SPF Sécurité sociale)",
    "Contrôle des lois sociales (SPF ETCS)",
    "ONSS – Inspection",
)
_LEGEND = (
    ("colonne", "signification"),
    ("statut", "situation du travailleur"),
    ("constat", "constatations de l'inspecteur"),
)
_CODE = 102


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("inspection")
    world = ctx.world
    # The Belgian inspection services inspect workplaces in Belgium only.
    companies = [c for n in world.networks for c in n.companies if c.country == "BE"]
    written, dossier = 0, 0
    with XlsxWriter(ctx.path(spec.file), "SIRS") as book:
        book.sheet(SHEET)
        book.row(HEADER)
        while written < wanted:
            dossier += 1
            if companies and rng.random() < 0.3:
                company = rng.choice(companies)
            else:
                company = world.company(rng.randrange(world.n_companies))
                if company.country != "BE":
                    continue
            day = dt.date(
                rng.randint(world.config.start_year, world.config.end_year),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            base = _site(ctx, rng, company, f"SIRS/{day.year}/{dossier:06d}")
            for person, exploited in _workers(ctx, rng, company)[: wanted - written]:
                cells = dict(base)
                _fill(ctx, rng, cells, person, exploited)
                _emit(ctx, spec, book, rng, cells, day, person, company)
                written += 1
        book.sheet("Légende")
        for line in _LEGEND:
            book.row(line)
    return Written(spec.file, spec.mapping, spec.source.id, written)


def _site(
    ctx: PartnerContext, rng: random.Random, company: Company, dossier: str
) -> dict[str, str]:
    return {
        "numero_dossier": dossier,
        "service": rng.choice(_SERVICES),
        "employeur": company.name,
        "numero_bce": company.registration,
        "secteur": _SECTORS.get(company.sector, company.sector),
        "lieu_adresse": ctx.noise.street(company.address, rng),
        "code_postal": company.address.postcode,
        "commune": company.address.city,
    }


def _emit(
    ctx: PartnerContext,
    spec: PartnerSpec,
    book: XlsxWriter,
    rng: random.Random,
    cells: dict[str, str],
    day: dt.date,
    person: Person,
    company: Company,
) -> None:
    spoiled = ctx.spoil(rng)
    date: dt.date | str = f"{rng.choice((30, 31))}/02/{day.year}" if spoiled else day
    row = book.row([date if h == "date_controle" else cells.get(h) or None for h in HEADER])
    if spoiled:
        ctx.truth.spoiled(
            spec.file, row, "impossible_date", "deliberately spoiled: impossible_date"
        )
        return
    records = [
        Record("worker", "Person", person.id, WORKER),
        Record("employer", "Organisation", company.id, EMPLOYER, key=("numero_bce",)),
        Record("site", "Address", company.address.id, SITE),
    ]
    record_truth(ctx, spec.file, row, cells, records)


def _workers(
    ctx: PartnerContext, rng: random.Random, company: Company
) -> list[tuple[Person, bool]]:
    world = ctx.world
    if company.network is not None:
        net = world.networks[company.network]
        victims = [c.victim for c in net.cases if c.form == "labour"] or net.victims
        picked = rng.sample(victims, min(len(victims), rng.randint(1, 5)))
        found = [(world.person(pid), True) for pid in picked]
        found += [(world.ordinary_person(rng), False) for _ in range(rng.randint(0, 2))]
        return found
    return [(world.ordinary_person(rng), False) for _ in range(rng.randint(1, 4))]


def _fill(
    ctx: PartnerContext, rng: random.Random, cells: dict[str, str], person: Person, exploited: bool
) -> None:
    view = ctx.noise.name(person, rng, alias_ok=False)
    birth = ctx.noise.birth(person.birth, rng)
    cells.update(
        {
            "nom": view.family,
            "prenom": view.given,
            "date_naissance": birth,
            "nationalite": alpha3(person.nationality),
            "sexe": "M" if person.male else "F",
            "statut": "travailleur non déclaré"
            if exploited
            else rng.choice(("en règle", "en règle", "travail au noir", "faux indépendant")),
            "constat": "indices de traite: logement fourni, documents retenus"
            if exploited
            else rng.choice(("aucune infraction", "Dimona manquante", "")),
            "heures_semaine": str(rng.randint(55, 80) if exploited else rng.randint(20, 45)),
            "salaire_horaire": f"{rng.uniform(2, 5) if exploited else rng.uniform(12, 20):.2f}",
            "logement_fourni": "oui" if exploited else "non",
            "documents_retenus": "oui" if exploited and rng.random() < 0.6 else "non",
        }
    )
