"""Screening against a real store (SQLite and PostgreSQL): intake, run, views, policy, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from crosslink.access.audit import verify
from crosslink.access.schema import audit_log
from crosslink.errors import AccessDenied, BatchRejected
from crosslink.ingest import ImportRequest, import_file, parse_mapping
from crosslink.screen import ad_clusters, import_ads, run_screening, show_ad, top_ads
from crosslink.screen.errors import NoScreening
from crosslink.screen.schema import screen_runs
from crosslink.store.schema import batches, record_values, records
from tests.access.helpers import make_source, make_user
from tests.screen.conftest import ADS, ScreenWorld, labels

GOOD = {"site": "x.example", "url": "https://x.example/1", "title": "Werk", "body": "Werk in Gent"}


def _count(conn: Connection, table: object) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _imported(world: ScreenWorld) -> None:
    with world.store.transaction() as conn:
        ivo = make_user(conn, "ivo2", "fedpol", ["investigator"])
        import_ads(conn, ADS, "ads-scraper", ivo)


def _uid_of(conn: Connection, url: str) -> str:
    return str(
        conn.execute(
            select(record_values.c.record_uid).where(
                record_values.c.prop == "url", record_values.c.original == url
            )
        ).scalar_one()
    )


def test_bad_rows_are_reported_and_a_file_adds_nothing_twice(
    world: ScreenWorld, tmp_path: Path
) -> None:
    path = tmp_path / "ads.jsonl"
    rows = [json.dumps(GOOD), json.dumps({**GOOD, "url": ""}), "{not json"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with world.store.transaction() as conn:
        ivo = make_user(conn, "ivo2", "fedpol", ["investigator"])
        summary = import_ads(conn, path, "ads-scraper", ivo)
    assert (summary.rows_read, summary.rows_rejected) == (3, 2)
    reasons = {(i.row, i.column) for i in summary.issues}
    assert (2, "url") in reasons
    assert any(i.row == 3 for i in summary.issues)
    with world.store.transaction() as conn:
        again = import_ads(conn, path, "ads-scraper", ivo)
    assert again.duplicate_of == summary.batch_id
    with world.store.transaction() as conn:
        assert _count(conn, records) == 1


def test_a_strict_batch_with_a_bad_row_leaves_the_store_as_it_was(
    world: ScreenWorld, tmp_path: Path
) -> None:
    path = tmp_path / "ads.csv"
    path.write_text(
        "site,url,posted_at,title,body,phone,email,whatsapp,telegram,location,pay,language,"
        "image_hashes\nx,https://x.example/1,2026-11-01,T,B,,,,,,,,\nx,,2026-11-01,T,B,,,,,,,,\n",
        encoding="utf-8",
    )
    with world.store.transaction() as conn:
        ivo = make_user(conn, "ivo2", "fedpol", ["investigator"])
    with pytest.raises(BatchRejected), world.store.transaction() as conn:
        import_ads(conn, path, "ads-scraper", ivo, strict=True)
    with world.store.transaction() as conn:
        assert (_count(conn, records), _count(conn, batches)) == (0, 0)


def test_only_a_user_allowed_to_import_may_bring_ads_in(world: ScreenWorld) -> None:
    with pytest.raises(AccessDenied), world.store.transaction() as conn:
        import_ads(conn, ADS, "ads-scraper", world.analyst)
    with world.store.transaction() as conn:
        assert _count(conn, records) == 0


def test_a_run_flags_the_suspect_ads_and_is_audited(world: ScreenWorld) -> None:
    _imported(world)
    with world.store.transaction() as conn:
        summary = run_screening(conn, world.analyst)
    truth = labels()
    assert summary.ads == len(truth)
    with world.store.transaction() as conn:
        ads = top_ads(conn, world.analyst, limit=100, justification="screening test")
        run = conn.execute(select(screen_runs)).one()
        entries = conn.execute(select(audit_log.c.action, audit_log.c.actor)).all()
        assert verify(conn).ok
    flagged = {a.fields["url"] for a in ads if a.flagged}
    assert flagged == {url for url, t in truth.items() if t["suspect"]}
    assert (run.ruleset, run.ruleset_version, run.run_by) == ("bundled", "2026.12-1", "ana")
    assert ("combination", "ana") in entries
    assert ("consultation", "ana") in entries


def test_an_ad_shows_each_indicator_with_the_text_that_fired_it(world: ScreenWorld) -> None:
    _imported(world)
    with world.store.transaction() as conn:
        run_screening(conn, world.analyst)
        ad = show_ad(conn, world.analyst, _uid_of(conn, "https://gumtree.example/en/ad/1010"))
    assert ad is not None and ad.flagged
    text = f"{ad.fields['title']}\n{ad.fields['body']}"
    for reason in ad.reasons:
        start, end, quoted = reason["span"]
        assert text[start:end] == quoted
        assert reason["version"] == "2026.12-1"
    assert "upfront_fee" in {r["indicator"] for r in ad.reasons}
    emails = [e for e in ad.extractions if e["kind"] == "email"]
    assert [(e["value"], e["how"]) for e in emails] == [("werk.belgie@gmail.com", "obfuscated")]


def test_a_user_outside_the_ads_scope_sees_nothing_and_the_refusal_is_logged(
    world: ScreenWorld,
) -> None:
    _imported(world)
    with world.store.transaction() as conn:
        run_screening(conn, world.analyst)
        uid = _uid_of(conn, "https://gumtree.example/en/ad/1010")
    with world.store.transaction() as conn:
        assert top_ads(conn, world.municipal) == []
        assert ad_clusters(conn, world.municipal) == []
        assert show_ad(conn, world.municipal, uid) is None
    with world.store.transaction() as conn:
        denied = conn.execute(
            select(audit_log.c.target).where(
                audit_log.c.action == "denied", audit_log.c.actor == "mo"
            )
        ).scalar_one()
    assert uid in denied


def test_clusters_gather_the_ads_of_one_network(world: ScreenWorld) -> None:
    _imported(world)
    with world.store.transaction() as conn:
        run_screening(conn, world.analyst)
        clusters = ad_clusters(conn, world.analyst)
    by_url = {a.fields["url"]: c for c in clusters for a in c.ads}
    truth = labels()
    agro = {url for url, t in truth.items() if t["network"] == "agro"}
    assert len({by_url[url].cluster_id for url in agro}) == 1
    assert "phone:+32470551234" in by_url[next(iter(agro))].ties
    benign = {url for url, t in truth.items() if not t["suspect"]}
    assert not benign & set(by_url)


def test_a_phone_in_an_ad_is_tied_to_the_record_already_known(world: ScreenWorld) -> None:
    mapping = parse_mapping(
        "name: police-phones\nformat: csv\nentities:\n  phone:\n    type: Phone\n"
        "    properties:\n      number: {column: phone, required: true}\n",
        "police-phones.yaml",
    )
    police = Path(__file__).parent / "data" / "police_phones.csv"
    with world.store.transaction() as conn:
        make_source(conn, "police", "fedpol")
        import_file(conn, ImportRequest(police, mapping, "police"))
    _imported(world)
    with world.store.transaction() as conn:
        run_screening(conn, world.analyst)
        ad = show_ad(conn, world.analyst, _uid_of(conn, "https://publi24.example/ro/anunt/1001"))
        known_uid = conn.execute(
            select(records.c.uid).where(records.c.source_id == "police")
        ).scalar_one()
    assert ad is not None
    assert [(k["value"], k["record"], k["type"]) for k in ad.known] == [
        ("phone:+32470551234", known_uid, "Phone")
    ]


def test_nothing_to_show_before_the_first_run(world: ScreenWorld) -> None:
    with pytest.raises(NoScreening), world.store.transaction() as conn:
        top_ads(conn, world.analyst)
