"""End-to-end fixtures: the app served by uvicorn on a free loopback port (SQLite store with a
resolved demo world and the demo accounts), and Debian's Chromium driven by Playwright.

Chromium comes from the system (``scripts/system-deps.sh`` installs it); Playwright's own
browser download is never used. Without Chromium the tests skip — or fail under ``CI=true``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from sqlalchemy import select

from crosslink.access.passwords import DEMO_PASSWORD
from crosslink.api import create_app
from crosslink.settings import Settings
from crosslink.store import Store
from crosslink.store.schema import record_values, records
from tests.api.helpers import make_world, sqlite_copy, sqlite_template
from tests.conftest import _service_missing

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = '<script>alert("x")</script><b>Bold</b>'
HOSTILE_AD = "<img src=x onerror=alert(1)>Work abroad <script>alert(2)</script>"
HOSTILE_PHONE = "+32 470 99 88 77"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


@dataclass(frozen=True)
class Served:
    url: str
    store: Store
    world: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The workbench on http://127.0.0.1:<free port>, one per test module."""
    folder = tmp_path_factory.mktemp("e2e")
    world = make_world(folder / "world")
    template = sqlite_template(folder, world)
    data = folder / "data"
    data.mkdir()
    store = sqlite_copy(template, data)
    app = create_app(Settings(data_dir=data, demo=True), store=store)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", store, world)
    server.should_exit = True
    thread.join(15)
    sock.close()
    store.dispose()


@pytest.fixture(scope="module")
def base_url(served: Served) -> str:
    return served.url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium. Playwright starts it with a fresh, temporary --user-data-dir of its
    own (it refuses one passed in ``args``) and removes it afterwards."""
    if not Path(CHROMIUM).exists():
        _service_missing(
            "Chromium is not installed (run: make system, or apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        launched = _launch(playwright)
        yield launched
        launched.close()


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


Login = Callable[[str], Page]


@pytest.fixture
def login(browser: Browser, base_url: str) -> Iterator[Login]:
    """``login("analyst")``: a fresh browser context logged in through the login page."""
    contexts = []

    def make(username: str) -> Page:
        context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base_url}/")
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot under test-artifacts/web/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def browser_page_anonymous(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def victim_name(served: Served) -> str:
    """A last name found only in the reception centre's intakes (H2 victims)."""
    with served.store.transaction() as conn:
        by_source = (
            select(record_values.c.fingerprint)
            .join(records, records.c.uid == record_values.c.record_uid)
            .where(record_values.c.prop == "last_name")
        )
        elsewhere = by_source.where(records.c.source_id != "demo-be-reception")
        name = conn.execute(
            select(record_values.c.original)
            .join(records, records.c.uid == record_values.c.record_uid)
            .where(
                records.c.source_id == "demo-be-reception",
                record_values.c.prop == "last_name",
                record_values.c.fingerprint.not_in(elsewhere),
            )
            .order_by(record_values.c.original)
            .limit(1)
        ).scalar_one()
    return str(name)


@pytest.fixture(scope="module")
def police_name(served: Served) -> str:
    """A last name in the police reports (the analyst's own agency)."""
    with served.store.transaction() as conn:
        name = conn.execute(
            select(record_values.c.original)
            .join(records, records.c.uid == record_values.c.record_uid)
            .where(records.c.source_id == "demo-be-police", record_values.c.prop == "last_name")
            .order_by(record_values.c.original)
            .limit(1)
        ).scalar_one()
    return str(name)


@pytest.fixture
def hostile_files(served: Served, tmp_path: Path) -> tuple[Path, Path]:
    """A police report and a scraped ad whose texts carry HTML and script."""
    partners = served.world / "partners"
    lines = (partners / "be_police_reports.csv").read_text(encoding="utf-8-sig").splitlines()
    row = lines[1].split(";")
    row[8] = HOSTILE_NAME
    reports = tmp_path / "hostile_reports.csv"
    reports.write_text(lines[0] + "\n" + ";".join(row) + "\n", encoding="utf-8")
    first = (partners / "scraped_job_ads.jsonl").read_text(encoding="utf-8").splitlines()[0]
    ad = json.loads(first)
    ad.update(url="https://example.org/ad/hostile", text=HOSTILE_AD)
    ad["contact"] = {"phone": HOSTILE_PHONE, "telegram": None}
    ads = tmp_path / "hostile_ads.jsonl"
    ads.write_text(json.dumps(ad, ensure_ascii=False) + "\n", encoding="utf-8")
    return reports, ads
