"""Side channels: a hidden record and an unknown one get the same answer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from sqlalchemy import select

from crosslink.access import load_subject, visible_records
from crosslink.store import Store
from crosslink.store.schema import records
from tests.api.helpers import Client

Make = Callable[..., Client]


def _uids(app: FastAPI, username: str) -> tuple[str, str]:
    """A Person record ``username`` sees and one hidden from them."""
    store: Store = app.state.services.store
    with store.engine.connect() as conn:
        people = set(
            conn.execute(select(records.c.uid).where(records.c.schema == "Person")).scalars()
        )
        subject = load_subject(conn, username)
        seen = set(conn.execute(visible_records(subject)).scalars())
    return min(people & seen), min(people - seen)


def test_judging_a_hidden_record_answers_as_an_unknown_one(client: Make, app: FastAPI) -> None:
    visible, hidden = _uids(app, "analyst")
    analyst = client("analyst")
    answers = []
    for other in (hidden, "f" * 32):
        body = {"left": visible, "right": other, "verdict": "different", "reason": "checked"}
        response = analyst.post("/api/v1/judgements", json=body)
        problem = response.json()
        detail = problem["detail"].replace(other, "X")
        answers.append((response.status_code, problem["title"], detail))
    assert answers[0] == answers[1] == (422, "Invalid judgement", "no record or entity 'X'")
