"""Every bundled procedure loads and passes the consistency check; broken ones are refused with
the file, the line and the reason (the cases are files in ``bad/``, each naming what it expects
on its first line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosslink.errors import ModelError
from crosslink.referral import JURISDICTIONS, load_procedure, load_procedure_file
from crosslink.referral.procedure import first_inconsistency

BAD = sorted((Path(__file__).parent / "bad").glob("*.yaml"))


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_every_bundled_procedure_loads_consistent(jurisdiction: str) -> None:
    procedure = load_procedure(jurisdiction)
    assert procedure.jurisdiction == jurisdiction
    assert first_inconsistency(procedure) is None
    assert procedure.version


def test_the_facts_of_each_jurisdiction() -> None:
    be, nl, uk = (load_procedure(j) for j in ("BE", "NL", "UK"))
    assert be.states["reflection"].clocks[0].length.days == 45
    assert {d.name for d in be.destinations} == {"Payoke", "PAG-ASA", "Sürya"}
    assert {d.region for d in be.destinations} == {"Flanders", "Brussels", "Wallonia"}
    assert nl.states["reflection"].clocks[0].length.months == 3
    assert "CoMensha" in nl.destinations[0].name
    rg = uk.states["referred"].clocks[0]
    assert rg.length.working_days == 5 and rg.owner == "immigration_officer"
    recovery = uk.states["recovery"].clocks[0]
    assert recovery.kind == "minimum" and recovery.length.days == 30
    assert set(recovery.holds) == {"conclusive_grounds_positive", "conclusive_grounds_negative"}
    assert {"reconsider", "panel_review"} <= {t.id for t in uk.transitions}


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_a_broken_procedure_is_refused_with_its_line(path: Path) -> None:
    expected = path.read_text("utf-8").splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(ModelError) as caught:
        load_procedure_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, {expected}"), message


def test_the_bad_cases_cover_the_named_inconsistencies() -> None:
    assert {p.stem for p in BAD} >= {
        "unreachable",
        "nobody_owns_clock",
        "to_nowhere",
        "unknown_role",
    }


def test_an_unknown_jurisdiction_names_the_known_ones() -> None:
    with pytest.raises(ModelError, match="known: BE, NL, UK"):
        load_procedure("FR")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot be read"):
        load_procedure_file(tmp_path / "none.yaml")
