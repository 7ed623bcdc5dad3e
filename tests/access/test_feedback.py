"""Municipal signals get feedback, and each officer reads only the feedback on their own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crosslink.access.feedback import feedback_on_my_signals, give_feedback
from crosslink.access.schema import audit_log
from crosslink.errors import AccessDenied, InvalidValue, NotFound
from crosslink.store import Store
from tests.access.helpers import make_agency, make_batch, make_source, make_user


def test_feedback_reaches_the_officer_who_sent_the_signal(store: Store) -> None:
    with store.transaction() as conn:
        make_agency(conn, "antwerp", "municipality")
        make_agency(conn, "fedpol", "police")
        make_agency(conn, "payoke", "reception_centre")
        officer = make_user(conn, "officer", "antwerp", ["municipal_officer"])
        colleague = make_user(conn, "colleague", "antwerp", ["municipal_officer"])
        police = make_user(conn, "police", "fedpol", ["investigator"])
        caseworker = make_user(conn, "cw", "payoke", ["caseworker"])
        make_source(conn, "antwerp-housing", "antwerp")
        make_source(conn, "antwerp-shops", "antwerp")
        mine = make_batch(conn, "antwerp-housing", "officer")
        theirs = make_batch(conn, "antwerp-shops", "colleague")
        first = give_feedback(conn, police, mine, "in_progress", "Address visited on 3 May.")
        give_feedback(conn, police, theirs, "closed_no_action", "Nothing found.")
        with pytest.raises(AccessDenied, match="role caseworker may not give_feedback"):
            give_feedback(conn, caseworker, mine, "received", "x")
        with pytest.raises(InvalidValue, match="status 'done'"):
            give_feedback(conn, police, mine, "done", "x")
        with pytest.raises(NotFound, match="no signal"):
            give_feedback(conn, police, 999, "received", "x")

        seen = feedback_on_my_signals(conn, officer)
        assert [(f.id, f.batch_id, f.status, f.agency_id) for f in seen] == [
            (first, mine, "in_progress", "fedpol")
        ]
        assert [f.text for f in feedback_on_my_signals(conn, colleague)] == ["Nothing found."]
        assert feedback_on_my_signals(conn, police) == []
        actions = conn.execute(
            select(audit_log.c.actor, audit_log.c.action).order_by(audit_log.c.seq)
        ).all()
    assert ("police", "administration") in actions
    assert ("officer", "consultation") in actions
