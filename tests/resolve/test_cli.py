"""crosslink resolve, review, explain and judge, driven as a user would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crosslink.api.demo import ensure_demo_accounts
from crosslink.settings import Settings
from crosslink.store import Store
from tests.cli.test_cli import run
from tests.resolve.conftest import World


def test_resolve_review_explain_judge(
    small_world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")

    def cli(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--data-dir", data, *args)

    assert cli("demo", "load", str(small_world.out))[0] == 0
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    with store.transaction() as conn:
        ensure_demo_accounts(conn, demo=True)
    store.dispose()
    code, _, err = cli("review", "--limit", "5")
    assert code == 1 and err.strip() == (
        "error: say who acts: --as USER (or $CROSSLINK_USER) to review pairs of records"
    )
    code, _, err = cli("explain", "E000000000000000")
    assert code == 1 and "--as USER" in err
    as_analyst = ("--as", "analyst")
    code, out, err = cli("resolve", "--entity-type", "Person", "--entity-type", "Address")
    assert code == 0, err
    assert "Person" in out and "created" in out
    code, out, err = cli("review", "--limit", "5", *as_analyst)
    assert code == 0, err
    uids = re.findall(r"\b[0-9a-f]{32}\b", out)
    entities = re.findall(r"\bE[0-9a-f]{15}\b", out)
    assert uids and entities
    code, _, err = cli("explain", entities[0], *as_analyst)
    assert code == 1 and "justification" in err
    code, out, err = cli("explain", entities[0], *as_analyst, "--why", "case BE-1: test")
    assert code == 0, err
    assert "records" in out and "- " in out
    judged = (uids[0], uids[1], "different", "--reason", "checked the file", *as_analyst)
    code, out, err = cli("judge", *judged)
    assert code == 0, err
    assert "different" in out
    code, out, err = cli("resolve", "--entity-type", "Person", "--entity-type", "Address")
    assert code == 0, err
    code, _, err = cli("explain", "E000000000000000", *as_analyst, "--why", "case BE-1: test")
    assert code == 1 and "no entity" in err
    code, _, err = cli("judge", uids[0], uids[1], "perhaps", "--reason", "x", *as_analyst)
    assert code == 1 and "verdict" in err
