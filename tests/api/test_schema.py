"""Schemathesis against the OpenAPI schema: no server errors, every response as documented.

Requests carry an investigator's API token (search, profiles, review, imports); session-only
operations answer 401, which the schema documents. The number of examples is bounded.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from crosslink.access import SystemClock, issue_token, load_subject
from crosslink.access.tokens import SCOPES
from crosslink.store import Store


@pytest.fixture
def api_schema(app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


@pytest.fixture
def token(app: FastAPI) -> str:
    store = app.state.services.store
    assert isinstance(store, Store)
    with store.transaction() as conn:
        subject = load_subject(conn, "investigator")
        return issue_token(conn, subject, "schemathesis", set(SCOPES), SystemClock())


CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
EXAMPLES = 6


def test_api_matches_its_schema(api_schema: Any, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    tested = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
        tested += 1
    assert tested >= 12
