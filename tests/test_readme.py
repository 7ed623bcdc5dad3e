"""The README runs as written: its `sh` blocks, in order, in one shell, against a demo world
built the way `make run` builds it (same generator and seed, a smaller scale), with the demo
accounts the server creates in demo mode. A command that fails names itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crosslink.api.demo import ensure_demo_accounts
from crosslink.settings import Settings
from crosslink.store import Store

ROOT = Path(__file__).resolve().parents[1]
SCALE = 300  # `make run` uses 5000; the commands are the same, the world smaller


def readme_script() -> str:
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    trap = "trap 'echo \"README command failed: $BASH_COMMAND\" >&2' ERR"
    return "\n".join(["set -euo pipefail", trap, *blocks])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSLINK_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _crosslink(folder: Path, *args: str) -> None:
    command = [sys.executable, "-m", "crosslink", "--data-dir", "data/demo", *args]
    done = subprocess.run(command, cwd=folder, env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_readme_names_commands_users_and_sources_that_exist() -> None:
    script = readme_script()
    users = set(re.findall(r"--as (\w+)", script))
    demo = {"admin", "analyst", "investigator", "caseworker", "municipal", "rapporteur"}
    assert users <= demo, users
    assert "analyst1" not in script and "officer3" not in script
    assert script.count("crosslink ") > 40


def _make_run_rules() -> list[str]:
    """The ``--rule`` options of the Makefile's ``crosslink resolve`` (what ``make run``
    resolves the demo world with)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    (line,) = [x for x in makefile.splitlines() if " resolve " in x and "--rule" in x]
    words = line.split()
    rules = [words[i + 1] for i, w in enumerate(words) if w == "--rule"]
    assert "sole-namesake" in rules
    return [part for rule in rules for part in ("--rule", rule)]


@pytest.mark.slow
def test_the_readme_runs_as_written(tmp_path: Path) -> None:
    _crosslink(tmp_path, "demo", "generate", "--seed", "7", "--scale", str(SCALE),
               "--out", "data/demo/world")  # fmt: skip
    _crosslink(tmp_path, "demo", "load", "data/demo/world")
    _crosslink(tmp_path, "resolve", *_make_run_rules())
    store = Store.open(Settings(data_dir=tmp_path / "data" / "demo"))
    with store.transaction() as conn:
        ensure_demo_accounts(conn, demo=True)  # what `crosslink serve` does in demo mode
    store.dispose()
    done = subprocess.run(
        ["bash", "-c", readme_script()],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "README command failed" not in done.stderr
    # what the commands did is in the store: the case, the judgement, the exports
    assert (tmp_path / "cell.gexf").stat().st_size > 0
    assert (tmp_path / "persons.csv").read_text("utf-8").count("\n") > 1
    assert "Dobre" in done.stdout
