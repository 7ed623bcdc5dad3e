"""A small world for referral tests: a Belgian centre, a UK centre, police, immigration, the
rapporteur, each with a user, and one victim record provided by each centre."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from crosslink.access import Subject
from crosslink.store import Store
from tests.access.helpers import (
    RecordSpec,
    insert_records,
    make_agency,
    make_batch,
    make_source,
    make_user,
)

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
PASSWORD = "a long enough password for tests"


@dataclass(frozen=True)
class World:
    payoke: Subject
    pagasa: Subject
    ukcentre: Subject
    police: Subject
    immigration: Subject
    rapporteur: Subject
    be_victim: str
    uk_victim: str


def make_world(store: Store) -> World:
    with store.transaction() as conn:
        return _world(conn)


def _world(conn: Connection) -> World:
    for agency, kind in (
        ("payoke", "reception_centre"),
        ("pag-asa", "reception_centre"),
        ("uk-centre", "reception_centre"),
        ("police", "police"),
        ("ca", "immigration"),
        ("myria", "rapporteur"),
    ):
        make_agency(conn, agency, kind)
    people = {
        "payoke": make_user(conn, "ann", "payoke", ["caseworker"], PASSWORD),
        "pagasa": make_user(conn, "pia", "pag-asa", ["caseworker"], PASSWORD),
        "ukcentre": make_user(conn, "uma", "uk-centre", ["caseworker"], PASSWORD),
        "police": make_user(conn, "piet", "police", ["investigator"], PASSWORD),
        "immigration": make_user(conn, "ivo", "ca", ["immigration_officer"], PASSWORD),
        "rapporteur": make_user(conn, "rita", "myria", ["rapporteur"], PASSWORD),
    }
    uids = {}
    for centre, user in (("payoke", "ann"), ("uk-centre", "uma")):
        make_source(conn, f"{centre}-intake", centre)
        batch = make_batch(conn, f"{centre}-intake", user)
        uids[centre] = f"{centre[:2]}victim".ljust(32, "0")
        insert_records(
            conn,
            [RecordSpec(uids[centre], f"{centre}-intake", batch, person_category="victim")],
        )
    return World(**people, be_victim=uids["payoke"], uk_victim=uids["uk-centre"])
