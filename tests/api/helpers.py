"""Shared by the API and web tests: a small resolved demo world with demo accounts, stores
built from it once per session, and an in-process client (httpx on the ASGI app)."""

from __future__ import annotations

import functools
import shutil
import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI
from sqlalchemy import create_engine, text

from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.api.demo import ensure_demo_accounts
from crosslink.demo import WorldConfig, generate_world, load_world
from crosslink.resolve import ResolveOptions, resolve
from crosslink.store import Store
from crosslink.store.pgserver import TemporaryPostgres
from tests.conftest import DEMO_RULES

WORLD_SCALE = 300
PG_TEMPLATE = "crosslink_web_template"


def make_world(folder: Path) -> Path:
    generate_world(WorldConfig(seed=11, scale=WORLD_SCALE), folder)
    return folder


def populate(store: Store, world: Path) -> None:
    """Load the world, resolve it and add the demo accounts."""
    with store.transaction() as conn:
        load_world(conn, world)
    with store.transaction() as conn:
        resolve(conn, ResolveOptions(started_by="test", rules=DEMO_RULES))
    with store.transaction() as conn:
        ensure_demo_accounts(conn, demo=True)


def sqlite_template(folder: Path, world: Path) -> Path:
    path = folder / "web-template.db"
    store = Store.from_url(f"sqlite:///{path}")
    store.migrate()
    populate(store, world)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return path


def sqlite_copy(template: Path, folder: Path) -> Store:
    path = folder / "crosslink.db"
    shutil.copyfile(template, path)
    return Store.from_url(f"sqlite:///{path}")


def pg_template(server: TemporaryPostgres, world: Path) -> str:
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {PG_TEMPLATE} TEMPLATE crosslink_template"))
    admin.dispose()
    store = Store.from_url(server.url(PG_TEMPLATE))
    populate(store, world)
    store.dispose()
    return PG_TEMPLATE


def pg_copy(server: TemporaryPostgres, template: str) -> tuple[Store, str]:
    name = f"w_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    admin.dispose()
    return Store.from_url(server.url(name)), name


def pg_drop(server: TemporaryPostgres, name: str) -> None:
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


class Client:
    """A synchronous client on the ASGI app in-process (httpx's ASGI transport)."""

    def __init__(self, app: FastAPI) -> None:
        self._cm: AbstractContextManager[BlockingPortal] = start_blocking_portal()
        self.portal = self._cm.__enter__()
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://testserver"
        )
        self.csrf = ""

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        call = functools.partial(self.http.request, method, url, **kwargs)
        return self.portal.call(call)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.request("POST", url, headers=headers, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.request("PUT", url, headers=headers, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.request("DELETE", url, headers=headers, **kwargs)

    def login(self, username: str, password: str = DEMO_PASSWORD) -> Client:
        response = self.request(
            "POST", "/api/v1/session", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        self.csrf = response.json()["csrf_token"]
        return self

    def close(self) -> None:
        self.portal.call(self.http.aclose)
        self._cm.__exit__(None, None, None)
