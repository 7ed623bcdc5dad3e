"""Re-trafficking end to end on the demo world (SQLite): import, refer every victim of the
reception centres, import the immigration records later, resolve, and the caseworker is told of
exactly the referrals whose person the resolution joined to a later record."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select

from crosslink.access.grants import assign_source
from crosslink.demo import WorldConfig, generate_world
from crosslink.demo._api import read_manifest, register_sources
from crosslink.demo.partners import PARTNER_DIR
from crosslink.ingest import ImportRequest, import_file, load_mapping
from crosslink.referral import NewReferral, open_referral, retrafficking_alerts
from crosslink.referral.schema import referrals
from crosslink.resolve import ResolveOptions, resolve
from crosslink.resolve.schema import entity_members
from crosslink.store import Store
from crosslink.store.schema import records
from tests.access.helpers import make_agency, make_user
from tests.conftest import DEMO_RULES

LATER_FILE = "be_immigration_records.csv"
RECEPTION = "demo-be-reception"


def _import(conn: Connection, out: Path, later: bool) -> None:
    for entry in read_manifest(out).files:
        if (entry.file == LATER_FILE) != later:
            continue
        request = ImportRequest(
            path=out / PARTNER_DIR / entry.file,
            mapping=load_mapping(entry.mapping),
            source_id=entry.source,
            imported_by="test",
        )
        import_file(conn, request)


def _joined_to_later_records(conn: Connection) -> set[int]:
    """Referrals whose victim shares an entity with a record of the later file."""
    later = (
        select(entity_members.c.entity_id)
        .join(records, records.c.uid == entity_members.c.record_uid)
        .where(records.c.file_name == LATER_FILE)
    )
    return set(
        conn.execute(
            select(referrals.c.id)
            .join(entity_members, entity_members.c.record_uid == referrals.c.record_uid)
            .where(entity_members.c.entity_id.in_(later))
        ).scalars()
    )


def test_import_resolve_alert(sqlite_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "world"
    generate_world(WorldConfig(seed=11, scale=1000), out)
    store = sqlite_store
    with store.transaction() as conn:
        make_agency(conn, "payoke", "reception_centre")
        make_agency(conn, "police", "police")
        admin = make_user(conn, "root", "payoke", ["administrator"])
        ann = make_user(conn, "ann", "payoke", ["caseworker"])
        piet = make_user(conn, "piet", "police", ["investigator"])
        register_sources(conn)
        assign_source(conn, admin, RECEPTION, "payoke")
        _import(conn, out, later=False)
    with store.transaction() as conn:
        victims = conn.execute(
            select(records.c.uid).where(
                records.c.source_id == RECEPTION, records.c.person_category == "victim"
            )
        ).scalars()
        opened = {open_referral(conn, ann, NewReferral(u, "BE", "payoke")) for u in victims}
        assert opened
        assert retrafficking_alerts(conn, ann) == []  # nothing has been resolved yet
    with store.transaction() as conn:
        _import(conn, out, later=True)
        resolve(conn, ResolveOptions(entity_types=("Person",), rules=DEMO_RULES))
    with store.transaction() as conn:
        alerts = retrafficking_alerts(conn, ann)
        expected = _joined_to_later_records(conn)
        police_sees = retrafficking_alerts(conn, piet, scope="role")
    assert expected, "the demo world should refer someone the immigration records name"
    assert {a.referral_id for a in alerts} == expected
    # Records of the person known before the referral was opened do not alert.
    assert {a.source_id for a in alerts} == {"demo-be-immigration"}
    assert police_sees == []
