"""Two installations exchange packages: out of Belgium, into the United Kingdom, and a
receipt back; on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from crosslink.access import FixedClock, PermissionGrant, grant_permission
from crosslink.access.filters import visible_records
from crosslink.errors import (
    AccessDenied,
    BatchRejected,
    CrosslinkError,
    InvalidValue,
    JustificationRequired,
)
from crosslink.exchange import (
    KeyUnusable,
    PackageRefused,
    PackageRequest,
    Received,
    Selection,
    accept_receipt,
    build_package,
    import_partner_key,
    open_package,
    preview,
    publish_key,
    revoke_key,
)
from crosslink.exchange.envelope import content_hash, seal
from crosslink.exchange.keys import get_key, own_active, partner_active, unlock
from crosslink.exchange.schema import exchange_packages
from crosslink.referral.consent import ConsentGrant, record_consent
from crosslink.store.schema import links, record_values, records
from tests.conftest import fresh_store
from tests.exchange.conftest import last_entry
from tests.exchange.partners import (
    BE,
    CONDITIONS,
    GB,
    NL,
    PASSPHRASE,
    Side,
    data_snapshot,
    load_belgian_files,
    make_side,
    swap_keys,
)


@dataclass
class Pair:
    be: Side
    gb: Side


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    (tmp_path / "be").mkdir()
    (tmp_path / "gb").mkdir()
    with (
        fresh_store(request, request.param, tmp_path / "be") as be_store,
        fresh_store(request, request.param, tmp_path / "gb") as gb_store,
    ):
        be = make_side(be_store, BE, [GB, NL])
        gb = make_side(gb_store, GB, [BE])
        swap_keys(be, gb)
        load_belgian_files(be, tmp_path)
        yield Pair(be, gb)


def _request(pair: Pair, selection: Selection, **kwargs: object) -> PackageRequest:
    return PackageRequest(
        subject=pair.be.subject("analyst"),
        recipient=GB.id,
        selection=selection,
        justification="JIT request 2026/17 on the Calais crossings",
        **kwargs,  # type: ignore[arg-type]
    )


def _send(pair: Pair, selection: Selection, **kwargs: object) -> bytes:
    with pair.be.store.transaction() as conn:
        return build_package(conn, _request(pair, selection, **kwargs), PASSPHRASE).data


def _open(side: Side, data: bytes, clock: FixedClock | None = None) -> Received:
    """Open as the side's desk; a refusal's ``denied`` entry is committed, then raised."""
    refused: CrosslinkError | None = None
    with side.store.transaction() as conn:
        try:
            return open_package(conn, side.subject("admin"), data, PASSPHRASE, clock=clock)
        except CrosslinkError as exc:
            refused = exc
    raise refused


def _values(side: Side, source_id: str) -> dict[str, dict[str, list[str]]]:
    with side.store.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.source_key, record_values.c.prop, record_values.c.original)
            .join(record_values, record_values.c.record_uid == records.c.uid)
            .where(records.c.source_id == source_id)
            .order_by(record_values.c.idx)
        )
        found: dict[str, dict[str, list[str]]] = {}
        for key, prop, original in rows:
            found.setdefault(key, {}).setdefault(prop, []).append(original)
    return found


def test_a_package_travels_with_its_provenance_and_a_receipt_comes_back(pair: Pair) -> None:
    police = Selection(source_id="be-police")
    data = _send(pair, police, request_ref="GB-REQ-1", conditions_of_use="no onward transfer")
    received = _open(pair.gb, data)
    assert received.source_id == "x-be-fedpol"
    popescu = pair.be.uid("P1")
    with pair.gb.store.engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.source_key == popescu)).one()
        assert (row.source_id, row.handling_code, row.handling_conditions) == (
            "x-be-fedpol",
            "H3",
            CONDITIONS,
        )
        assert row.person_category == "suspect"
        assert conn.execute(select(links.c.link_type)).scalars().all() == ["uses"]
        entry = last_entry(conn)
        assert (entry.action, json.loads(entry.target)["source"]) == ("collection", "x-be-fedpol")
    values = _values(pair.gb, "x-be-fedpol")[popescu]
    assert values["last_name"] == ["Popescu"]
    assert values["birth_date"] == ["1990-03-12"]  # cleaned on the way: 12/03 is not ambiguous
    assert values["phone"] == ["+32470123456"]
    ivanova = _values(pair.gb, "x-be-fedpol")[pair.be.uid("P3")]
    assert ivanova["first_name"] == ["Мария"]
    # the victim stays home: no consent for the British police
    assert pair.be.uid("P2") not in _values(pair.gb, "x-be-fedpol")
    with pair.be.store.transaction() as conn:
        body = accept_receipt(conn, pair.be.subject("admin"), received.receipt)
        sent = conn.execute(select(exchange_packages)).one()
    assert body["records_added"] == sent.entities - 1  # the link is not a record
    assert sent.receipt_at is not None and sent.direction == "out"


def _bank_account(side: Side) -> str:
    with side.store.engine.connect() as conn:
        return str(
            conn.execute(
                select(records.c.uid).where(records.c.schema == "BankAccount")
            ).scalar_one()
        )


def test_the_transfer_is_audited_with_recipient_records_and_justification(pair: Pair) -> None:
    _send(pair, Selection(source_id="be-police"))
    with pair.be.store.engine.connect() as conn:
        entry = last_entry(conn)
    assert entry.action == "transfer"
    assert json.loads(entry.recipients or "[]") == [GB.id]
    assert entry.justification == "JIT request 2026/17 on the Calais crossings"
    expected = {pair.be.uid("P1"), pair.be.uid("P3"), _bank_account(pair.be)}
    assert set(json.loads(entry.target)["records"]) == expected


def test_the_preview_shows_exactly_what_leaves_and_why_the_rest_stays(pair: Pair) -> None:
    selection = Selection(source_id="be-police")
    with pair.be.store.transaction() as conn:
        shown = preview(conn, _request(pair, selection))
        consulted = last_entry(conn)
        sent = build_package(conn, _request(pair, selection), PASSPHRASE)
    assert shown.lines == sent.lines
    assert consulted.action == "consultation"
    held = {c.uid: c.held_back for c in shown.plan.held_back}
    assert "no consent or legal basis recorded for gb-nca" in (held[pair.be.uid("P2")] or "")
    # a Phone does not travel as FtM: it stays, and says so
    assert any("Phone does not travel" in (why or "") for why in held.values())


def test_an_h2_record_leaves_only_with_the_providers_permission(pair: Pair) -> None:
    secret = Selection(source_id="be-secret")
    with pair.be.store.transaction() as conn:
        shown = preview(conn, _request(pair, secret))
    assert not shown.plan.leaving
    assert "H2: no recorded permission" in (shown.plan.held_back[0].held_back or "")
    with pytest.raises(InvalidValue, match="nothing may leave"):
        _send(pair, secret)
    with pair.be.store.transaction() as conn:
        grant = PermissionGrant("disseminate", BE.id, GB.id, "be-secret")
        grant_permission(conn, pair.be.subject("admin"), grant)
    _open(pair.gb, _send(pair, secret))
    dumitru = pair.be.uid("S1")
    with pair.gb.store.engine.connect() as conn:
        assert (
            conn.execute(
                select(records.c.handling_code).where(records.c.source_key == dumitru)
            ).scalar_one()
            == "H2"
        )
        # the sender's permission is this side's policy now: its analyst may see the record
        seen = visible_records(pair.gb.subject("analyst"), "view")
        assert conn.execute(seen.where(records.c.source_key == dumitru)).first() is not None


def test_a_victim_leaves_only_with_consent_and_the_consent_travels(pair: Pair) -> None:
    victim = pair.be.uid("P2")
    with pair.be.store.transaction() as conn:
        grant = ConsentGrant(victim, "consent", recipient_agency_id=GB.id, reference="form 12")
        record_consent(conn, pair.be.subject("admin"), grant)
    _open(pair.gb, _send(pair, Selection(record_uids=(victim,))))
    with pair.gb.store.engine.connect() as conn:
        seen = visible_records(pair.gb.subject("analyst"), "view")
        assert conn.execute(seen.where(records.c.source_key == victim)).first() is not None


def test_categories_narrow_what_leaves(pair: Pair) -> None:
    only_suspects = Selection(source_id="be-police", categories=("suspect",))
    with pair.be.store.transaction() as conn:
        shown = preview(conn, _request(pair, only_suspects))
    people = [c.uid for c in shown.plan.leaving if c.entity_type == "Person"]
    assert people == [pair.be.uid("P1")]


def test_a_package_refused_for_a_missing_justification_or_role_is_logged(pair: Pair) -> None:
    selection = Selection(source_id="be-police")
    with pair.be.store.transaction() as conn:
        with pytest.raises(JustificationRequired):
            build_package(
                conn, PackageRequest(pair.be.subject("analyst"), GB.id, selection, " "), PASSPHRASE
            )
        with pytest.raises(AccessDenied, match="may not export"):
            build_package(
                conn, PackageRequest(pair.be.subject("admin"), GB.id, selection, "x"), PASSPHRASE
            )
        assert last_entry(conn).action == "denied"


def _flip(data: bytes) -> bytes:
    document = json.loads(data)
    body = bytearray(base64.b64decode(document["ciphertext"]))
    body[len(body) // 2] ^= 0x01
    document["ciphertext"] = base64.b64encode(bytes(body)).decode()
    return json.dumps(document).encode()


def _renumber(data: bytes) -> bytes:
    """A new package id on the envelope, as a replay under a fresh number would try."""
    document = json.loads(data)
    document["header"]["package_id"] = "00000000-0000-0000-0000-000000000000"
    return json.dumps(document).encode()


def _resign(data: bytes) -> bytes:
    """The envelope claims another sender: the key named is not that agency's."""
    document = json.loads(data)
    document["header"]["sender"] = NL.id
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_flip, "altered in transit"),
        (_renumber, "altered in transit"),
        (_resign, "altered in transit"),
    ],
)
def test_a_tampered_package_is_refused_and_nothing_is_stored(
    pair: Pair, change: object, reason: str
) -> None:
    data = _send(pair, Selection(source_id="be-police"))
    before = data_snapshot(pair.gb.store)
    with pytest.raises(PackageRefused, match=reason):
        _open(pair.gb, change(data))  # type: ignore[operator]
    assert data_snapshot(pair.gb.store) == before
    with pair.gb.store.engine.connect() as conn:
        entry = last_entry(conn)
    assert entry.action == "denied" and reason in (entry.details or "")


def test_an_expired_package_is_refused(pair: Pair) -> None:
    data = _send(pair, Selection(source_id="be-police"), valid_days=2)
    later = FixedClock(dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    before = data_snapshot(pair.gb.store)
    with pytest.raises(PackageRefused, match="expired"):
        _open(pair.gb, data, clock=later)
    assert data_snapshot(pair.gb.store) == before


def test_a_replayed_package_is_refused(pair: Pair) -> None:
    data = _send(pair, Selection(source_id="be-police"))
    _open(pair.gb, data)
    before = data_snapshot(pair.gb.store)
    with pytest.raises(PackageRefused, match="received already"):
        _open(pair.gb, data)
    assert data_snapshot(pair.gb.store) == before


def test_a_package_for_another_agency_is_refused(pair: Pair) -> None:
    # the Dutch police's keys live in the British store here, to stand for a third installation
    make_side(pair.gb.store, NL, [])
    with pair.gb.store.engine.connect() as conn:
        published = publish_key(conn, NL.id, PASSPHRASE)
    with pair.be.store.transaction() as conn:
        import_partner_key(conn, pair.be.subject("admin"), published)
        request = PackageRequest(
            pair.be.subject("analyst"), NL.id, Selection(source_id="be-police"), "JIT NL"
        )
        data = build_package(conn, request, PASSPHRASE).data
    before = data_snapshot(pair.gb.store)
    with pytest.raises(PackageRefused, match="addressed to nl-police, not to gb-nca"):
        _open(pair.gb, data)
    assert data_snapshot(pair.gb.store) == before


def test_a_package_signed_by_a_revoked_key_is_refused(pair: Pair) -> None:
    data = _send(pair, Selection(source_id="be-police"))
    with pair.be.store.engine.connect() as conn:
        belgian_key = own_active(conn, BE.id).key_id
    with pair.gb.store.transaction() as conn:
        revoke_key(conn, pair.gb.subject("admin"), belgian_key)
        assert get_key(conn, belgian_key).status == "revoked"
    with pytest.raises(PackageRefused, match="is revoked"):
        _open(pair.gb, data)


def test_a_wrong_passphrase_opens_nothing(pair: Pair) -> None:
    data = _send(pair, Selection(source_id="be-police"))
    with pair.gb.store.transaction() as conn, pytest.raises(KeyUnusable, match="wrong passphrase"):
        open_package(conn, pair.gb.subject("admin"), data, "not the passphrase at all")


def test_a_signed_package_with_a_line_the_importer_rejects_is_refused_whole(pair: Pair) -> None:
    good = {"id": "x1", "schema": "Person", "properties": {"lastName": ["Kaya"]}}
    bad = {"id": "x2", "schema": "Person", "properties": {"lastName": ["Demir"]}}
    good["crosslink"] = {"type": "Person", "handling_code": "H0"}
    bad["crosslink"] = {"type": "Person", "handling_code": "H9"}  # no such code
    payload = "".join(json.dumps(line) + "\n" for line in (good, bad)).encode()
    now = dt.datetime.now(dt.UTC)
    with pair.be.store.engine.connect() as conn:
        sender = unlock(conn, own_active(conn, BE.id), PASSPHRASE)
        recipient = partner_active(conn, GB.id)
    manifest = {
        "package_id": str(uuid.uuid4()),
        "sender": BE.id,
        "recipient": GB.id,
        "sender_key": sender.key.key_id,
        "recipient_key": recipient.key_id,
        "created_at": now.isoformat(),
        "expires_at": (now + dt.timedelta(days=1)).isoformat(),
        "grading_system": "europol",
        "records": 2,
        "links": 0,
        "content_hash": content_hash(payload),
    }
    before = data_snapshot(pair.gb.store)
    with pytest.raises(BatchRejected, match="1 of 2 rows rejected"):
        _open(pair.gb, seal(manifest, payload, sender, recipient))
    assert data_snapshot(pair.gb.store) == before
