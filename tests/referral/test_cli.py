"""crosslink referral …, consent list and case list, on both backends, acting --as a user."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from crosslink.access.schema import audit_log
from crosslink.cli import app
from crosslink.store import Store
from tests.referral.world import make_world


def _run(store: Store, *args: str) -> tuple[int, str]:
    url = store.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["--database-url", url, *args])
    return result.exit_code, result.output + str(result.exception or "")


def test_a_referral_from_the_command_line(store: Store) -> None:
    w = make_world(store)
    code, out = _run(
        store,
        "referral",
        "open",
        w.be_victim,
        "--jurisdiction",
        "BE",
        "--destination",
        "payoke",
        "--exploitation",
        "sexual",
        "--as",
        "ann",
    )
    assert (code, out.strip()) == (0, "referral 1 opened"), out
    code, out = _run(
        store,
        "referral",
        "move",
        "1",
        "accept",
        "-d",
        "left_environment=form 1",
        "-d",
        "support_accepted=form 2",
        "--as",
        "ann",
    )
    assert (code, out.strip()) == (0, "referral 1 is now reflection"), out
    code, out = _run(store, "referral", "show", "1", "--justification", "support", "--as", "ann")
    assert code == 0, out
    assert "Phase 1: reflection period" in out and "accept" in out
    assert "clock reflection_period" in out and "next: statement by caseworker" in out
    code, out = _run(store, "referral", "due", "--within", "60", "--as", "ann")
    assert code == 0 and "Reflection period ends" in out and "\tdue\t" in out, out
    code, out = _run(store, "referral", "list", "--as", "ann")
    assert code == 0 and "\treflection\tpayoke\tann\t" in out, out
    code, out = _run(store, "referral", "alerts", "--as", "ann")
    assert code == 0 and out.splitlines()[0].startswith("referral\tstate"), out


def test_refusals_are_reported_and_kept_in_the_log(store: Store) -> None:
    w = make_world(store)
    assert (
        _run(
            store,
            "referral",
            "open",
            w.be_victim,
            "--jurisdiction",
            "BE",
            "--destination",
            "payoke",
            "--as",
            "ann",
        )[0]
        == 0
    )
    code, out = _run(
        store,
        "referral",
        "move",
        "1",
        "close",
        "-d",
        "closure_reason=x",
        "--outcome",
        "gone",
        "--as",
        "pia",
    )
    assert code == 1 and "own centre" in out
    with store.engine.connect() as conn:
        last = conn.execute(
            select(audit_log.c.actor, audit_log.c.action).order_by(audit_log.c.seq.desc())
        ).first()
    assert last is not None and (last.actor, last.action) == ("pia", "denied")
    code, out = _run(store, "referral", "show", "1", "--justification", "x", "--as", "rita")
    assert code == 1 and "may not view" in out
    code, out = _run(store, "referral", "move", "1", "accept", "-d", "nonsense", "--as", "ann")
    assert code == 1 and "KIND=REFERENCE" in out
    code, out = _run(store, "referral", "list", "--scope", "everyone", "--as", "ann")
    assert code == 1 and "use one of mine, agency, role" in out
    code, out = _run(store, "referral", "due")
    assert code == 1 and "--as" in out


def test_consent_and_case_lists(store: Store) -> None:
    w = make_world(store)
    code, out = _run(
        store,
        "consent",
        "record",
        w.be_victim,
        "--recipient-kind",
        "police",
        "--purpose",
        "investigation",
        "--reference",
        "form 9",
        "--as",
        "ann",
    )
    assert code == 0, out
    code, out = _run(store, "consent", "withdraw", "1", "--as", "ann")
    assert code == 0, out
    code, out = _run(store, "consent", "list", "--as", "ann")
    assert code == 0, out
    (row,) = out.splitlines()[1:]
    cells = row.split("\t")
    assert cells[:6] == ["1", w.be_victim, "consent", "kind:police", "investigation", "form 9"]
    assert cells[-1] != ""  # withdrawn
    code, out = _run(store, "consent", "list", "--as", "pia")
    assert code == 0 and len(out.splitlines()) == 1  # another centre sees none of them
    assert _run(store, "case", "open", "op-1", "--title", "Car washes", "--as", "piet")[0] == 0
    code, out = _run(store, "case", "list", "--as", "piet")
    assert code == 0 and "op-1\tCar washes\tpolice\topen\t1\t0\t" in out, out
    code, out = _run(store, "case", "list", "--as", "ann")
    assert code == 0 and len(out.splitlines()) == 1


def test_the_procedure_is_printed_from_its_data(store: Store) -> None:
    code, out = _run(store, "referral", "procedure", "uk")
    assert code == 0 and "National Referral Mechanism" in out
    assert "reasonable_grounds (deadline, {'working_days': 5}" in out
    code, out = _run(store, "referral", "procedure", "fr")
    assert code == 1 and "known: BE, NL, UK" in out
