"""X-Forwarded-For is believed only from a configured proxy; lockout counts per account, so
rotating (forged or real) addresses do not escape it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from crosslink.access.schema import audit_log
from crosslink.api import create_app
from crosslink.settings import Settings
from crosslink.store import Store


def _logins(app: FastAPI, forwarded: list[str]) -> list[int]:
    """Wrong-password logins as ``inspector`` from the proxy 127.0.0.1, one per forwarded
    address; their status codes."""

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
            codes = []
            for address in forwarded:
                response = await http.post(
                    "/api/v1/session",
                    json={"username": "inspector", "password": "not the password"},
                    headers={"X-Forwarded-For": address},
                )
                codes.append(response.status_code)
            return codes

    return asyncio.run(run())


def _login_addresses(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        targets = conn.execute(
            select(audit_log.c.target).where(audit_log.c.action == "login")
        ).scalars()
        return [json.loads(t)["login"] for t in targets]


def test_forwarded_for_is_ignored_by_default(web_store: Store, tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, demo=True), store=web_store)
    assert _logins(app, ["203.0.113.9"]) == [401]
    assert _login_addresses(web_store)[-1] == "127.0.0.1"


def test_a_trusted_proxy_is_believed_and_lockout_is_per_account(
    web_store: Store, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, demo=True, trusted_proxies="10.0.0.0/8, 127.0.0.1")
    app = create_app(settings, store=web_store)
    rotating = [f"203.0.113.{i}" for i in range(1, 8)]
    codes = _logins(app, rotating)
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    assert _login_addresses(web_store)[:5] == rotating[:5]
