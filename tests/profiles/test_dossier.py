"""A profile reads like a dossier: who this is at the top, links grouped by counterpart, and an
export that is a logged disclosure."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from crosslink.access.directory import load_subject
from crosslink.access.schema import audit_log
from crosslink.errors import AccessDenied, InvalidValue, NotFound
from crosslink.profiles import dossier, export_profile, group_links, profile
from crosslink.profiles.read import LinkView
from crosslink.search import SearchQuery, search
from crosslink.store import Store

WHY = "case 2026/17: the suspect's file for the prosecutor"


def _bayruhan(world: Store) -> str:
    with world.transaction() as conn:
        found = search(
            conn, load_subject(conn, "analyst"), SearchQuery("Bayruhan"), justification=WHY
        )
    return found.hits[0].ref


def _last_entry(world: Store) -> tuple[str, str, str | None, dict[str, Any], str | None]:
    with world.engine.connect() as conn:
        e = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    return e.actor, e.action, e.justification, json.loads(e.target), e.recipients


def test_summary_card_gathers_who_this_is(world: Store) -> None:
    ref = _bayruhan(world)
    with world.transaction() as conn:
        found = profile(conn, load_subject(conn, "analyst"), ref, justification=WHY)
    card = dossier(found)
    assert [(n.value, n.records) for n in card.names] == [("Bayruhan Akar", 3)]
    facets = {f.key: [(v.value, v.records) for v in f.values] for f in card.facets}
    # two spellings of one date (1990-03-12, 12/03/1990) are one date, given by three records
    assert facets["birth_dates"] == [("1990-03-12", 3)]
    assert facets["nationalities"] == [("TR", 3)]
    assert facets["phones"] == [("+31612762449", 2)]
    assert card.categories == ["suspect"] and card.sources == ["demo-be-police"]
    kinds = {(g.link_type, g.label, g.count) for g in card.links}
    assert kinds == {("employed_by", "Brese Clean BV", 1), ("uses", "GK-192-F", 1)}
    assert found.confidence is None or 0 < found.confidence <= 1


def _link(other: str, start: str | None, end: str | None = None) -> LinkView:
    return LinkView("lives_at", True, "r1", other, "Kerkstraat 1, Gent", "Address", "E1",
                    start, end, "demo-be-police", "H1")  # fmt: skip


def test_the_same_address_is_one_row_with_a_count_and_a_period() -> None:
    links = [_link(f"a{i}", f"2020-0{i}-01") for i in range(1, 10)]
    links.append(_link("a0", None, "2024-05-01"))
    groups = group_links(links)
    assert len(groups) == 1
    only = groups[0]
    assert (only.ref, only.count, only.first, only.last) == ("E1", 10, "2020-01-01", "2024-05-01")


def test_export_is_a_logged_disclosure(world: Store) -> None:
    ref = _bayruhan(world)
    with world.transaction() as conn:
        analyst = load_subject(conn, "analyst")
        body = export_profile(conn, analyst, ref, "json", justification=WHY, recipients=("parket",))
    data = json.loads(body)
    assert data["entity_id"] == ref and data["label"] == "Bayruhan Akar"
    assert data["summary"]["names"] == [{"value": "Bayruhan Akar", "records": 3}]
    records = {r["uid"] for r in data["records"]}
    actor, action, why, target, recipients = _last_entry(world)
    assert (actor, action, why) == ("analyst", "disclosure", WHY)
    assert target["action"] == "export" and set(target["records"]) >= records
    assert recipients is not None and "parket" in recipients
    with world.transaction() as conn:
        text = export_profile(conn, analyst, ref, "csv", justification=WHY).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"section", "item", "property", "value", "count"} <= set(rows[0])
    assert {"summary", "link", "record"} == {r["section"] for r in rows}
    assert {r["property"]: r["count"] for r in rows if r["property"] == "name"} == {"name": "3"}


def test_export_is_refused_without_a_reason_or_a_right(world: Store) -> None:
    ref = _bayruhan(world)
    with world.transaction() as conn:
        analyst = load_subject(conn, "analyst")
        with pytest.raises(InvalidValue, match="justification"):
            export_profile(conn, analyst, ref, "csv", justification=" ")
        with pytest.raises(InvalidValue, match="format"):
            export_profile(conn, analyst, ref, "pdf", justification=WHY)
    # a municipal officer may view but never export; a rapporteur sees no one at all
    for who in ("municipal", "rapporteur"):
        with world.transaction() as conn, pytest.raises((AccessDenied, NotFound)):
            export_profile(conn, load_subject(conn, who), ref, "csv", justification=WHY)
