"""The rapporteur in headless Chromium: the home page shows the figures (no longer an empty
page), the table builder cross-tabulates, and no page gives a record."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.web.conftest import Login, shot


def test_the_rapporteur_lands_on_figures_and_builds_a_table(login: Login, victim_name: str) -> None:
    page = login("rapporteur")
    expect(page.locator("h2").first).to_have_text(
        "Registered victims, counted once across agencies"
    )
    table = page.locator("table.stats").first
    expect(table.locator("thead th").first).to_have_text("year \\ status")
    expect(table.locator("tfoot th").first).to_have_text("*")
    expect(page.locator("p.muted").first).to_contain_text("disclosure: method suppress")
    shot(page, "stats-home-rapporteur")

    page.click("text=Open the table builder and the releases")
    expect(page.locator("h1")).to_have_text("Statistics")
    page.locator("select[name=by]").nth(0).select_option("sex")
    page.locator("select[name=by]").nth(1).select_option("age_group")
    page.click("form[action='/stats'] button[type=submit]")
    expect(page.locator("table.stats thead th").first).to_have_text("sex \\ age_group")
    expect(page.locator("text=No release yet.")).to_be_visible()
    shot(page, "stats-builder-rapporteur")

    page.goto(f"/search?{urlencode({'q': victim_name})}")
    expect(page.locator("text=Nothing you may see matches.")).to_be_visible()
    expect(page.locator("table.hits")).to_have_count(0)


def test_an_investigator_has_no_statistics(login: Login) -> None:
    page = login("investigator")
    expect(page.locator("table.stats")).to_have_count(0)
    page.goto("/stats")
    expect(page.locator("h1")).to_have_text("Access denied")
