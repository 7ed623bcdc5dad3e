"""The signal desk in a real browser (Debian's Chromium): top ads with their reasons, the
evidence marked in the text, and an ad's hostile HTML shown as text, never run."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from crosslink.api import create_app
from crosslink.screen import import_ads, run_screening
from crosslink.settings import Settings
from crosslink.store import Store
from tests.access.helpers import make_agency, make_source, make_user
from tests.conftest import _service_missing
from tests.screen.conftest import ADS
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, shot

PASSWORD = "a long enough pass phrase"
HOSTILE_TITLE = '<script>alert("t")</script>Hostess'
HOSTILE_BODY = (
    "<img src=x onerror=alert(1)>Young girls wanted, 500 EUR per day, accommodation provided. "
    "<script>alert(2)</script> Telegram only"
)


@dataclass(frozen=True)
class Desk:
    url: str
    store: Store


def _world(data: Path) -> Store:
    store = Store.from_url(f"sqlite:///{data / 'crosslink.db'}")
    store.migrate()
    hostile = data / "hostile.jsonl"
    ad = {"url": "https://evil.example/ad", "title": HOSTILE_TITLE, "body": HOSTILE_BODY}
    hostile.write_text(json.dumps(ad) + "\n", encoding="utf-8")
    signal = data / "signal-gent.jsonl"
    seen = {"url": "https://gent.example/signal/1", "title": "Many people at one address"}
    signal.write_text(json.dumps(seen) + "\n", encoding="utf-8")
    with store.transaction() as conn:
        make_agency(conn, "fedpol", "police")
        make_agency(conn, "gent", "municipality")
        ivo = make_user(conn, "ivo", "fedpol", ["investigator"], PASSWORD)
        make_user(conn, "ana", "fedpol", ["analyst"], PASSWORD)
        mo = make_user(conn, "mo", "gent", ["municipal_officer"], PASSWORD)
        make_source(conn, "ads-scraper", "fedpol")
        make_source(conn, "gent-signals", "gent")
        import_ads(conn, ADS, "ads-scraper", ivo)
        import_ads(conn, hostile, "ads-scraper", ivo)
        import_ads(conn, signal, "gent-signals", mo)
        run_screening(conn, ivo)
    return store


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    data = tmp_path_factory.mktemp("desk")
    store = _world(data)
    app = create_app(Settings(data_dir=data, demo=True), store=store)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Desk(f"http://127.0.0.1:{sock.getsockname()[1]}", store)
    server.should_exit = True
    thread.join(15)
    sock.close()
    store.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        _service_missing("Chromium is not installed (run: make system)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def _login(browser: Browser, desk: Desk, username: str) -> Page:
    context = browser.new_context(base_url=desk.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{desk.url}/")
    return page


def test_the_desk_lists_flagged_ads_with_their_evidence(browser: Browser, desk: Desk) -> None:
    page = _login(browser, desk, "ana")
    page.click("header.top nav a:has-text('Signal desk')")
    expect(page.locator("h1")).to_have_text("Signal desk: screened ads")
    ads = page.locator("article.ad")
    expect(ads).to_have_count(13)  # the corpus's 12 suspect ads and the hostile one
    first = ads.first
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator("ul.reasons li").first).to_contain_text("weight")
    expect(page.locator("table tbody")).to_contain_text("phone:+32470551234")
    shot(page, "screen-desk")
    page.click("a:has-text('Show every ad')")
    expect(ads).to_have_count(26)  # and the municipal signal


def test_hostile_html_in_an_ad_is_shown_as_text(browser: Browser, desk: Desk) -> None:
    page = _login(browser, desk, "ana")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto("/screen")
    hostile = page.locator("article.ad", has_text="evil.example")
    expect(hostile.locator("h3")).to_contain_text('<script>alert("t")</script>Hostess')
    expect(hostile.locator("p.ad-text")).to_contain_text("<script>alert(2)</script>")
    expect(hostile.locator("p.ad-text")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    assert dialogs == []
    shot(page, "screen-desk-hostile")


def test_a_user_outside_the_ads_scope_sees_none_of_them(browser: Browser, desk: Desk) -> None:
    page = _login(browser, desk, "mo")
    page.goto("/screen")
    expect(page.locator("article.ad")).to_have_count(0)
    expect(page.locator("p.note").first).to_have_text("No screened ad in your view.")


def test_the_police_answer_a_municipal_signal_from_the_inbox(browser: Browser, desk: Desk) -> None:
    page = _login(browser, desk, "ana")
    page.click("header.top nav a:has-text('Signals inbox')")
    row = page.locator("table.signals tbody tr", has_text="signal-gent.jsonl")
    expect(row.locator("td.status")).to_contain_text("new (0)")
    row.locator("select[name=status]").select_option("in_progress")
    row.locator("input[name=text]").fill("Inspection planned for next week")
    row.locator("button[type=submit]").click()
    expect(row.locator("td.status")).to_contain_text("in_progress (1)")
    shot(page, "signals-inbox")
    officer = _login(browser, desk, "mo")
    assert "Signals inbox" not in officer.locator("header.top nav").inner_text()
    officer.goto("/signals")
    expect(officer.locator("h1")).to_have_text("Access denied")
