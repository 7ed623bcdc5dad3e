"""Scraped job ads: JSON Lines in nl/fr/en/de/ro/bg; networks reuse texts and contacts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from crosslink.demo._entities import Network
from crosslink.demo._formats import CITIES
from crosslink.demo.partners._base import JsonlSink, PartnerContext, PartnerSpec, Written

_CODE = 107
_SITES = (
    "2dehands.be",
    "leboncoin.fr",
    "olx.ro",
    "olx.bg",
    "kleinanzeigen.de",
    "gumtree.com",
    "facebook.com/groups",
)
_LANG_OF_ORIGIN = {
    "RO": "ro",
    "BG": "bg",
    "MA": "fr",
    "DZ": "fr",
    "NL": "nl",
    "BE": "nl",
    "DE": "de",
    "GB": "en",
    "NG": "en",
}


@dataclass(frozen=True)
class Template:
    id: str
    lang: str
    related: bool
    indicators: tuple[str, ...]
    title: str
    body: str


@cache
def templates() -> tuple[Template, ...]:
    text = resources.files("crosslink.demo").joinpath("data", "ads.yaml").read_text("utf-8")
    return tuple(
        Template(t["id"], t["lang"], t["related"], tuple(t["indicators"]), t["title"], t["body"])
        for t in yaml.safe_load(text)
    )


def write(ctx: PartnerContext, spec: PartnerSpec) -> Written:
    rng = ctx.rng(_CODE)
    wanted = ctx.rows("ads")
    world = ctx.world
    related = [t for t in templates() if t.related]
    benign = [t for t in templates() if not t.related]
    share = world.config.proportions.ad_share_related
    with JsonlSink(ctx.path(spec.file)) as sink:
        for n in range(wanted):
            net = rng.choice(world.networks) if rng.random() < share else None
            if net is not None:
                template = _network_template(net, related)
                contact = _network_contact(ctx, net, rng)
            else:
                template = rng.choice(benign)
                contact = world.ordinary_person(rng).phone
            ad = _ad(ctx, rng, n, template, contact, net)
            ad_id = f"AD{n:08d}"
            if ctx.spoil(rng):
                row = sink.write(raw=_truncated(ad))
                ctx.truth.spoiled(
                    spec.file, row, "truncated_json", "deliberately spoiled: truncated_json"
                )
                continue
            row = sink.write(ad)
            ctx.truth.ad(
                spec.file, row, ad_id, net.id if net else "", template.id, template.indicators
            )
    return Written(spec.file, spec.mapping, spec.source.id, wanted)


def _network_template(net: Network, related: list[Template]) -> Template:
    """A network sticks to one or two texts, in its recruits' language."""
    lang = _LANG_OF_ORIGIN.get(net.home, "en")
    fitting = [t for t in related if t.lang == lang] or [t for t in related if t.lang == "en"]
    return fitting[net.idx % len(fitting)]


def _network_contact(ctx: PartnerContext, net: Network, rng: random.Random) -> str:
    recruiters = net.with_role("recruiter") or net.with_role("boss")
    if rng.random() < 0.5 and net.shared_phones:
        return rng.choice(net.shared_phones)
    return ctx.world.person(rng.choice(recruiters)).phone


def _ad(
    ctx: PartnerContext,
    rng: random.Random,
    n: int,
    template: Template,
    phone: str,
    net: Network | None,
) -> dict[str, Any]:
    world = ctx.world
    country = net.country if net else rng.choice(("BE", "BE", "NL", "FR", "DE"))
    city = rng.choice(CITIES[country])[1]
    salary = f"{rng.randint(6, 14) * 100} €" if template.related else f"{rng.randint(14, 32)} €"
    contact_text = ctx.noise.phone(phone, "BE", rng)
    telegram = ""
    if net is not None and rng.random() < 0.4:
        recruiter = world.person((net.with_role("recruiter") or net.with_role("boss"))[0])
        telegram = recruiter.handle
    title = template.title.format(city=city, salary=salary, contact=contact_text)
    body = template.body.format(city=city, salary=salary, contact=telegram or contact_text)
    if rng.random() < 0.3:
        body = body.replace(". ", "! ", 1)
    posted = dt.date(world.config.end_year, 1, 1) - dt.timedelta(days=rng.randrange(900))
    site = rng.choice(_SITES)
    return {
        "url": f"https://{site}/ad/{n:08d}",
        "site": site.split("/")[0],
        "scraped_at": f"{posted.isoformat()}T12:00:00Z",
        "posted": posted.isoformat(),
        "lang": template.lang,
        "title": title,
        "text": body,
        "location": city,
        "salary": salary,
        "contact": {
            "phone": contact_text,
            "telegram": f"telegram:{telegram}" if telegram else None,
        },
    }


def _truncated(ad: dict[str, Any]) -> str:
    import json

    text = json.dumps(ad, ensure_ascii=False, separators=(",", ":"))
    return text[: len(text) // 2]
