"""An entity never shows a user a source record the user may not read."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, select

from crosslink.access.schema import source_agencies
from crosslink.resolve import explain, review_queue
from crosslink.resolve.extract import extract
from crosslink.resolve.schema import entity_members
from crosslink.store.schema import records
from tests.access.helpers import make_agency, make_user

OWN = "demo-be-inspection"


def test_explain_review_and_extract_show_only_visible_records(conn: Connection) -> None:
    make_agency(conn, "insp", "inspection")
    conn.execute(source_agencies.insert().values(source_id=OWN, agency_id="insp"))
    inspector = make_user(conn, "inspector1", "insp", ["inspector"])
    rows = conn.execute(
        select(entity_members.c.entity_id, records.c.source_id)
        .join(records, records.c.uid == entity_members.c.record_uid)
        .where(entity_members.c.entity_type == "Person")
    ).all()
    sources: dict[str, Counter[str]] = {}
    for entity_id, source_id in rows:
        sources.setdefault(entity_id, Counter())[source_id] += 1
    mixed = next(e for e, c in sources.items() if OWN in c and len(c) > 1)
    seen = explain(conn, mixed, subject=inspector)
    assert {m.source_id for m in seen.members} == {OWN}
    assert len(seen.members) == sources[mixed][OWN]
    visible = {m.uid for m in seen.members}
    assert all(ev.other_uid in visible for m in seen.members for ev in m.joined_by)
    assert len(explain(conn, mixed).members) == sum(sources[mixed].values())
    own_uids = set(conn.execute(select(records.c.uid).where(records.c.source_id == OWN)).scalars())
    for item in review_queue(conn, limit=1000, subject=inspector):
        assert {item.left_uid, item.right_uid} <= own_uids
    table = extract(conn, "Person", inspector)
    assert set(table["source_id"].to_pylist()) == {OWN}
