"""The inbox of municipal signals: who may open it, what it lists, the status after feedback."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crosslink.access.feedback import give_feedback
from crosslink.access.schema import audit_log
from crosslink.screen import import_ads
from crosslink.screen.inbox import incoming_signals
from tests.access.helpers import make_source, make_user
from tests.screen.conftest import ADS, ScreenWorld


def _signal(world: ScreenWorld, tmp_path: Path) -> int:
    path = tmp_path / "signal.jsonl"
    path.write_text(ADS.read_text("utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with world.store.transaction() as conn:
        make_source(conn, "gent-signals", "gent")
        summary = import_ads(conn, path, "gent-signals", world.municipal)
        import_ads(conn, ADS, "ads-scraper", make_user(conn, "ivo3", "fedpol", ["investigator"]))
    assert summary.batch_id is not None
    return summary.batch_id


def test_the_police_see_municipal_signals_and_their_status(
    world: ScreenWorld, tmp_path: Path
) -> None:
    batch = _signal(world, tmp_path)
    with world.store.transaction() as conn:
        inbox = incoming_signals(conn, world.analyst)
    assert inbox.refused is None
    assert [(s.batch_id, s.agency_id, s.sent_by, s.status, s.answers) for s in inbox.signals] == [
        (batch, "gent", "mo", "new", 0)
    ]
    with world.store.transaction() as conn:
        give_feedback(conn, world.analyst, batch, "in_progress", "Inspection planned")
        give_feedback(conn, world.analyst, batch, "closed_action_taken", "Two victims referred")
    with world.store.transaction() as conn:
        (signal,) = incoming_signals(conn, world.analyst).signals
        assert incoming_signals(conn, world.analyst, open_only=True).signals == []
        logged = (
            conn.execute(
                select(audit_log.c.target).where(
                    audit_log.c.action == "consultation", audit_log.c.actor == "ana"
                )
            )
            .scalars()
            .all()
        )
    assert (signal.status, signal.answers) == ("closed_action_taken", 2)
    assert any(f'"signals":[{batch}]' in target for target in logged)


def test_a_municipal_officer_may_not_open_the_inbox_and_the_refusal_is_logged(
    world: ScreenWorld, tmp_path: Path
) -> None:
    _signal(world, tmp_path)
    with world.store.transaction() as conn:
        inbox = incoming_signals(conn, world.municipal)
    assert inbox.signals == [] and inbox.refused is not None
    with world.store.transaction() as conn:
        denied = conn.execute(
            select(audit_log.c.target).where(
                audit_log.c.action == "denied", audit_log.c.actor == "mo"
            )
        ).scalar_one()
    assert "inbox" in denied
