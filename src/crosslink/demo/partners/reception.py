"""Reception-centre intakes (Payoke, PAG-ASA, Sürya): a JSON list with consent flags."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from crosslink.demo._entities import VictimCase
from crosslink.demo._networks import centre_prefix
from crosslink.demo.partners._base import PartnerContext, PartnerSpec, Written
from crosslink.demo.truth import Person

CLIENT = (
    "client.first_name",
    "client.last_name",
    "client.name_original_script",
    "client.date_of_birth",
    "client.nationality",
    "client.gender",
    "client.phone",
)
_CODE = 104
_REFERRERS = ("federale politie", "lokale politie", "sociale inspectie", "NGO", "zelf")


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    cases = [c for c in ctx.world.cases if c.centre][: ctx.rows("reception")]
    numbers: dict[str, int] = {}
    with ctx.path(spec.file).open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("[")
        for row, case in enumerate(cases, start=1):
            prefix = centre_prefix(case.centre)
            numbers[prefix] = numbers.get(prefix, 0) + 1
            dossier = f"{prefix}-{case.start.year}-{numbers[prefix]:05d}"
            item: Any = _intake(ctx, rng, case, dossier)
            if ctx.spoil(rng):
                kind = rng.choice(("impossible_date", "not_an_object"))
                if kind == "impossible_date":
                    item["intake_date"] = f"{case.start.year}-02-30"
                else:
                    item = f"{dossier}: zie papieren dossier"
                ctx.truth.spoiled(spec.file, row, kind, f"deliberately spoiled: {kind}")
            else:
                flat = _flat(item)
                if any(flat.get(c) for c in CLIENT):
                    ctx.truth.record(
                        spec.file,
                        row,
                        "client",
                        "Person",
                        f"P{case.victim:07d}",
                        [dossier, *(flat.get(c, "") for c in CLIENT)],
                    )
            handle.write(("\n" if row == 1 else ",\n") + json.dumps(item, ensure_ascii=False))
        handle.write("\n]\n")
    return Written(spec.file, spec.mapping, spec.source.id, len(cases))


def _intake(
    ctx: PartnerContext, rng: random.Random, case: VictimCase, dossier: str
) -> dict[str, Any]:
    person: Person = ctx.world.person(case.victim)
    noise = ctx.noise
    view = noise.name(person, rng, alias_ok=False)
    consent = rng.random() < 0.7
    native = " ".join(x for x in (person.given.native, person.family.native) if x)
    intake = case.start + dt.timedelta(days=rng.randint(30, 400))
    birth = noise.birth(person.birth, rng, "iso")
    client = {
        "first_name": view.given,
        "last_name": view.family if consent else None,
        "name_original_script": native or None,
        "date_of_birth": (birth if consent else birth[:4]) or None,
        "nationality": person.nationality,
        "gender": "female" if not person.male else "male",
        "phone": noise.phone(person.phone, "BE", rng) if consent and rng.random() < 0.6 else None,
    }
    return {
        "dossier": dossier,
        "centre": case.centre,
        "intake_date": intake.isoformat(),
        "referred_by": rng.choice(_REFERRERS),
        "client": client,
        "exploitation": {
            "form": case.form,
            "sector": case.sector,
            "means_of_control": list(case.means),
        },
        "consent": {
            "share_with_police": consent,
            "share_with_partners": consent and rng.random() < 0.5,
        },
    }


def _flat(item: dict[str, Any]) -> dict[str, str]:
    client = item["client"]
    return {f"client.{k}": "" if v is None else str(v) for k, v in client.items()}
