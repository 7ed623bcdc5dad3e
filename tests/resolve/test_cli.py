"""crosslink resolve, review, explain and judge, driven as a user would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.resolve.conftest import World


def test_resolve_review_explain_judge(
    small_world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")

    def cli(*args: str) -> tuple[int, str, str]:
        return run(capsys, "--data-dir", data, *args)

    assert cli("demo", "load", str(small_world.out))[0] == 0
    code, out, err = cli("resolve", "--entity-type", "Person", "--entity-type", "Address")
    assert code == 0, err
    assert "Person" in out and "created" in out
    code, out, err = cli("review", "--limit", "5")
    assert code == 0, err
    uids = re.findall(r"\b[0-9a-f]{32}\b", out)
    entities = re.findall(r"\bE[0-9a-f]{15}\b", out)
    assert uids and entities
    code, out, err = cli("explain", entities[0])
    assert code == 0, err
    assert "records" in out and "- " in out
    code, out, err = cli("judge", uids[0], uids[1], "different", "--reason", "checked the file")
    assert code == 0, err
    assert "different" in out
    code, out, err = cli("resolve", "--entity-type", "Person", "--entity-type", "Address")
    assert code == 0, err
    code, _, err = cli("explain", "E000000000000000")
    assert code == 1 and "no entity" in err
    code, _, err = cli("judge", uids[0], uids[1], "perhaps", "--reason", "x")
    assert code == 1 and "verdict" in err
