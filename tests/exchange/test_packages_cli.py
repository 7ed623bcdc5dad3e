"""``crosslink exchange …`` driven as two desks would: keys swapped, a package previewed,
sent, opened and acknowledged, a tampered copy refused; two SQLite installations."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crosslink.store.schema import records
from tests.cli.test_cli import run
from tests.conftest import fresh_store
from tests.exchange.conftest import last_entry
from tests.exchange.partners import BE, GB, PASSPHRASE, Side, load_belgian_files, make_side

Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture
def desks(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Side, Invoke, Side, Invoke]]:
    monkeypatch.setenv("CROSSLINK_EXCHANGE_PASSPHRASE", PASSPHRASE)
    (tmp_path / "be").mkdir()
    (tmp_path / "gb").mkdir()
    with (
        fresh_store(request, "sqlite", tmp_path / "be") as be_store,
        fresh_store(request, "sqlite", tmp_path / "gb") as gb_store,
    ):
        be = make_side(be_store, BE, [GB], keys=False)
        gb = make_side(gb_store, GB, [BE], keys=False)
        load_belgian_files(be, tmp_path)

        def at(side: Side) -> Invoke:
            url = side.store.engine.url.render_as_string(hide_password=False)

            def invoke(*args: str) -> tuple[int, str, str]:
                data = str(tmp_path / side.agency.id)
                return run(capsys, "--data-dir", data, "--database-url", url, *args)

            return invoke

        yield be, at(be), gb, at(gb)


def _ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, err
    return out + err


def test_two_desks_exchange_a_package_and_a_receipt(
    desks: tuple[Side, Invoke, Side, Invoke], tmp_path: Path
) -> None:
    be, be_cli, gb, gb_cli = desks
    for side, cli in ((be, be_cli), (gb, gb_cli)):
        admin = f"{side.agency.id}-admin"
        assert "fingerprint" in _ok(cli("exchange", "keys", "create", "--as", admin))
        _ok(
            cli(
                "exchange",
                "keys",
                "publish",
                "-o",
                str(tmp_path / f"{side.agency.id}.key"),
                "--as",
                admin,
            )
        )
    _ok(
        be_cli(
            "exchange", "keys", "import", str(tmp_path / "gb-nca.key"), "--as", "be-fedpol-admin"
        )
    )
    _ok(
        gb_cli(
            "exchange", "keys", "import", str(tmp_path / "be-fedpol.key"), "--as", "gb-nca-admin"
        )
    )
    assert "PRIVATE" not in (tmp_path / "be-fedpol.key").read_text(encoding="utf-8")

    shown = _ok(
        be_cli(
            "exchange",
            "preview",
            "--recipient",
            "gb-nca",
            "--source",
            "be-police",
            "--justification",
            "JIT 17",
            "--as",
            "be-fedpol-analyst",
        )
    )
    assert "no consent or legal basis recorded for gb-nca" in shown
    assert "3 records and 1 links leave" in shown

    package, receipt = tmp_path / "to-gb.clpkg", tmp_path / "receipt.json"
    said = _ok(
        be_cli(
            "exchange",
            "package",
            "--recipient",
            "gb-nca",
            "--source",
            "be-police",
            "--justification",
            "JIT 17",
            "--request",
            "GB-REQ-1",
            "-o",
            str(package),
            "--as",
            "be-fedpol-analyst",
        )
    )
    assert "3 records, 1 links, codes H3" in said
    assert b"Popescu" not in package.read_bytes()  # encrypted

    tampered = tmp_path / "tampered.clpkg"
    document = json.loads(package.read_bytes())
    document["header"]["recipient_key"] = "0" * 16
    tampered.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = gb_cli(
        "exchange", "open", str(tampered), "--receipt", str(receipt), "--as", "gb-nca-admin"
    )
    assert code == 1 and err.startswith("error: key 0000000000000000 is not one of")
    assert "Traceback" not in err
    with gb.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 0
        assert last_entry(conn).action == "denied"

    opened = _ok(
        gb_cli("exchange", "open", str(package), "--receipt", str(receipt), "--as", "gb-nca-admin")
    )
    assert "imported into x-be-fedpol" in opened and "conditions:" in opened
    assert "received by gb-nca" in _ok(
        be_cli("exchange", "receipt", str(receipt), "--as", "be-fedpol-admin")
    )


def test_an_analyst_cannot_open_a_package_nor_manage_keys(
    desks: tuple[Side, Invoke, Side, Invoke],
) -> None:
    _, be_cli, _, _ = desks
    code, _, err = be_cli("exchange", "keys", "create", "--as", "be-fedpol-analyst")
    assert code == 1 and "administrators" in err
    code, _, err = be_cli("exchange", "keys", "create")
    assert code == 1 and "--as USER" in err


def test_a_request_is_registered_listed_and_answered_from_the_command_line(
    desks: tuple[Side, Invoke, Side, Invoke],
) -> None:
    _, be_cli, _, _ = desks
    said = _ok(
        be_cli(
            "exchange",
            "request",
            "add",
            "--direction",
            "in",
            "--partner",
            "gb-nca",
            "--reference",
            "NCA/42",
            "--urgency",
            "urgent-direct",
            "--summary",
            "Ion Popescu, born 1990?",
            "--received",
            "2026-03-02T22:30+01:00",
            "--as",
            "be-fedpol-analyst",
        )
    )
    assert "due 2026-03-03T06:30+01:00" in said
    listed = _ok(be_cli("exchange", "request", "due", "--as", "be-fedpol-analyst"))
    assert "NCA/42" in listed and "overdue" in listed and "Popescu" not in listed
    shown = _ok(
        be_cli(
            "exchange",
            "request",
            "show",
            "1",
            "--justification",
            "answering",
            "--as",
            "be-fedpol-analyst",
        )
    )
    assert "Ion Popescu, born 1990?" in shown
    code, _, err = be_cli(
        "exchange", "request", "state", "1", "--to", "refused", "--as", "be-fedpol-analyst"
    )
    assert code == 1 and "needs its reason" in err
    _ok(
        be_cli("exchange", "request", "state", "1", "--to", "answered", "--as", "be-fedpol-analyst")
    )
    assert "NCA/42" not in _ok(be_cli("exchange", "request", "due", "--as", "be-fedpol-analyst"))
    code, _, err = be_cli(
        "exchange",
        "request",
        "add",
        "--direction",
        "in",
        "--partner",
        "gb-nca",
        "--reference",
        "x",
        "--summary",
        "s",
        "--received",
        "2026-03-02T22:30",
        "--as",
        "be-fedpol-analyst",
    )
    assert code == 1 and "say its time zone" in err


def test_hit_no_hit_from_the_command_line(
    desks: tuple[Side, Invoke, Side, Invoke], tmp_path: Path
) -> None:
    be, be_cli, _, gb_cli = desks
    key, encodings = tmp_path / "hit.key", tmp_path / "be.hits"
    _ok(be_cli("exchange", "hit", "key", "-o", str(key)))
    said = _ok(
        be_cli(
            "exchange",
            "hit",
            "encode",
            "--partner",
            "gb-nca",
            "-o",
            str(encodings),
            "--key-file",
            str(key),
            "--justification",
            "JIT 17",
            "--as",
            "be-fedpol-analyst",
        )
    )
    assert "encodings for gb-nca" in said
    assert "Popescu" not in encodings.read_text(encoding="utf-8")
    # the British side holds nobody: a no-hit, and it says only that
    assert "0 hits of" in _ok(
        gb_cli(
            "exchange",
            "hit",
            "match",
            str(encodings),
            "--key-file",
            str(key),
            "--justification",
            "JIT 17",
            "--as",
            "gb-nca-analyst",
        )
    )
    token = json.loads(encodings.read_text(encoding="utf-8"))["tokens"][0]
    found = _ok(
        be_cli(
            "exchange",
            "hit",
            "match",
            "--reference",
            token,
            "--partner",
            "gb-nca",
            "--key-file",
            str(key),
            "--justification",
            "JIT 17",
            "--as",
            "be-fedpol-analyst",
        )
    )
    assert "1 hits of 1 compared" in found
    code, _, err = gb_cli(
        "exchange",
        "hit",
        "match",
        str(encodings),
        "--key-file",
        str(key),
        "--justification",
        "x",
        "--as",
        "be-fedpol-analyst",
    )
    assert code == 1 and "no active user" in err
