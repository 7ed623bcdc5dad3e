"""Agency keys: made, published, imported, rotated, revoked; private halves never in clear."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from crosslink.errors import AccessDenied, Conflict, InvalidValue
from crosslink.exchange import (
    KeyUnusable,
    create_keys,
    import_partner_key,
    list_keys,
    publish_key,
    revoke_key,
    rotate_keys,
)
from crosslink.exchange.keys import own_active, unlock
from crosslink.exchange.schema import exchange_keys
from crosslink.store import Store
from tests.exchange.partners import BE, GB, PASSPHRASE, make_side


def test_private_keys_are_stored_encrypted_and_never_published(store: Store) -> None:
    side = make_side(store, BE, [GB])
    with store.engine.connect() as conn:
        row = conn.execute(select(exchange_keys)).one()
        published = publish_key(conn, BE.id, PASSPHRASE)
    assert row.sign_private.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert row.box_private.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert "PRIVATE" not in published and row.sign_public in published
    with store.engine.connect() as conn, pytest.raises(KeyUnusable, match="wrong passphrase"):
        unlock(conn, own_active(conn, side.agency.id), "another passphrase of length")


def test_a_short_passphrase_and_a_second_active_key_are_refused(store: Store) -> None:
    side = make_side(store, BE, [GB])
    with store.transaction() as conn, pytest.raises(Conflict, match="rotate"):
        create_keys(conn, side.subject("admin"), PASSPHRASE)
    with store.transaction() as conn, pytest.raises(InvalidValue, match="12 characters"):
        rotate_keys(conn, side.subject("admin"), "short")


def test_only_an_administrator_manages_keys(store: Store) -> None:
    side = make_side(store, BE, [GB])
    with store.transaction() as conn, pytest.raises(AccessDenied, match="administrators"):
        rotate_keys(conn, side.subject("analyst"), PASSPHRASE)


def test_rotation_retires_the_old_key_and_revocation_ends_it(store: Store) -> None:
    side = make_side(store, BE, [GB])
    admin = side.subject("admin")
    with store.transaction() as conn:
        old = own_active(conn, BE.id)
        new = rotate_keys(conn, admin, PASSPHRASE)
        assert {k.key_id: k.status for k in list_keys(conn)} == {
            old.key_id: "retired",
            new.key_id: "active",
        }
        revoke_key(conn, admin, old.key_id)
        with pytest.raises(KeyUnusable, match="revoked"):
            unlock(conn, revoke_key(conn, admin, old.key_id), PASSPHRASE)


def test_a_partner_key_file_is_checked_before_it_is_stored(
    store: Store, tmp_path_factory: pytest.TempPathFactory
) -> None:
    side = make_side(store, BE, [GB])
    admin = side.subject("admin")
    with store.engine.connect() as conn:
        own = publish_key(conn, BE.id, PASSPHRASE)
    with store.transaction() as conn, pytest.raises(InvalidValue, match="is this agency"):
        import_partner_key(conn, admin, own)
    forged = json.loads(own)
    forged["agency"] = GB.id  # claims to be the British key: the signature breaks
    with store.transaction() as conn, pytest.raises(InvalidValue, match="signature are invalid"):
        import_partner_key(conn, admin, json.dumps(forged))
    with store.transaction() as conn, pytest.raises(InvalidValue, match="not JSON"):
        import_partner_key(conn, admin, "{")
