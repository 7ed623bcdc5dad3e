"""The workbench in headless Chromium: each role logs in and sees what the policy allows; an
analyst searches, justifies, opens a profile and judges a pair; an investigator imports a file
whose names carry HTML and script, shown as text; an administrator reads the audit log and
manages users. Screenshots of every page go to test-artifacts/web/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Dialog, Page, expect

from tests.web.conftest import HOSTILE_AD, HOSTILE_NAME, Login, shot

WHY = "case BE-2024-17: e2e test"


def _nav(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("header.top nav a").all_inner_texts()]


def _justify(page: Page) -> None:
    expect(page.locator("h1")).to_have_text("Why do you consult this?")
    page.fill("input[name=justification]", WHY)
    page.click("form[action='/justification'] button[type=submit]")


def test_each_role_sees_its_own_menu(login: Login, base_url: str) -> None:
    expected = {
        "analyst": [
            "Search",
            "Networks",
            "Resolution review",
            "Referral desk",
            "Signal desk",
            "Requests",
            "Signals inbox",
            "Statistics",
        ],
        "investigator": [
            "Search",
            "Networks",
            "Resolution review",
            "Referral desk",
            "Signal desk",
            "Requests",
            "Signals inbox",
            "Import",
        ],
        "caseworker": [
            "Search",
            "Networks",
            "Resolution review",
            "Referral desk",
            "Signal desk",
            "Requests",
            "Import",
        ],
        "admin": ["Import", "Audit log", "Users"],
        "rapporteur": ["Statistics"],
    }
    for username, menu in expected.items():
        page = login(username)
        assert _nav(page) == menu, username
        shot(page, f"home-{username}")
    page = login("rapporteur")
    expect(page.locator("p.note")).to_contain_text("aggregates only")
    page.goto("/admin/audit")
    expect(page.locator("h1")).to_have_text("Access denied")
    shot(page, "denied-rapporteur-audit")


def test_bad_password_is_refused(browser_page_anonymous: Page) -> None:
    page = browser_page_anonymous
    page.goto("/login")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    expect(page.locator("p.problem")).to_have_text("Unknown user or wrong password.")
    shot(page, "login-refused")


def test_search_justify_and_profile(login: Login, police_name: str) -> None:
    page = login("analyst")
    page.goto(f"/search?q={police_name}&kind=name")
    shot(page, "justification-prompt")
    _justify(page)
    expect(page.locator("div.why")).to_contain_text(WHY)
    hits = page.locator("table.hits a.hit")
    expect(hits.first).to_be_visible()
    shot(page, "search")
    refs = [h.get_attribute("href") for h in hits.all()]
    assert len(refs) == len(set(refs)), "one row per person, not per record"
    hits.first.click()
    expect(page.locator("section.dossier dd.names")).to_be_visible()  # who this is, on top
    expect(page.locator("h2", has_text="Source records")).to_be_visible()
    expect(page.locator("details.record .code").first).to_be_visible()
    expect(page.locator("p.provenance").first).to_be_hidden()  # folded until opened
    page.locator("details.record summary").first.click()
    expect(page.locator("p.provenance").first).to_contain_text("row")
    shot(page, "profile")


def test_caseworker_and_analyst_see_different_people(login: Login, victim_name: str) -> None:
    seen = {}
    for who in ("caseworker", "analyst"):
        page = login(who)
        page.goto("/justification?next=/")
        _justify(page)
        page.goto(f"/search?q={victim_name}&kind=name")
        seen[who] = page.locator("table.hits").count()
        shot(page, f"search-victim-{who}")
    assert seen["caseworker"] == 1, "the caseworker sees the victims of their own centre"
    assert seen["analyst"] == 0, "H2 victim intakes of another agency, without consent"


def test_review_and_judge(login: Login) -> None:
    page = login("analyst")
    page.goto("/review")
    _justify(page)
    expect(page.locator("section.pair").first).to_be_visible()
    expect(page.locator("table.comparisons").first).to_be_visible()
    shot(page, "review")
    first = page.locator("section.pair").first
    left = first.locator("input[name=left]").get_attribute("value")
    first.locator("input[name=reason]").fill("same date of birth and phone")
    first.locator("button[value=same]").click()
    expect(page.locator("p.note[role=status]")).to_have_text("Judgement recorded.")
    assert page.locator(f"section.pair input[name=left][value='{left}']").count() <= 1
    shot(page, "review-judged")


def test_import_hostile_text_is_shown_as_text(
    login: Login, hostile_files: tuple[Path, Path]
) -> None:
    reports, ads = hostile_files
    page = login("investigator")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for path, mapping in ((reports, "demo-be-police"), (ads, "demo-job-ads")):
        page.goto("/import")
        shot(page, "import")
        page.set_input_files("input[name=file]", str(path))
        page.select_option("select[name=mapping]", mapping)
        page.select_option("select[name=source_id]", mapping)
        page.click("form[action='/import'] button[type=submit]")
        expect(page.locator("p.note").first).to_have_text("Dry run: nothing was written.")
        expect(page.locator("dd.rows-read")).to_have_text("1")
        shot(page, f"import-report-{mapping}")
        page.click("form[action='/import/commit'] button[type=submit]")
        expect(page.locator("strong.batch")).to_be_visible()
        shot(page, f"import-done-{mapping}")
    page.goto("/search?" + urlencode({"q": HOSTILE_NAME, "kind": "name"}))
    _justify(page)
    hit = page.locator("table.hits a.hit").first
    expect(hit).to_contain_text(HOSTILE_NAME)
    assert page.locator("table.hits b").count() == 0
    expect(page.locator("input[name=q]")).to_have_value(HOSTILE_NAME)
    hit.click()
    expect(page.locator("h1 .entity-label")).to_contain_text(HOSTILE_NAME)
    assert page.locator("main script, main b").count() == 0
    shot(page, "profile-hostile")
    page.goto("/search?q=%2B32+470+99+88+77&kind=phone")
    ad_row = page.get_by_role("cell", name="Ad", exact=True)
    ad = page.locator("table.hits tr").filter(has=ad_row).locator("a.hit")
    expect(ad.first).to_be_visible()
    ad.first.click()
    expect(page.locator("dl.values").first).to_contain_text(HOSTILE_AD)
    assert page.locator("main img").count() == 0
    shot(page, "profile-hostile-ad")
    assert dialogs == []


def test_admin_audit_and_users(login: Login, police_name: str) -> None:
    analyst = login("analyst")
    analyst.goto(f"/search?q={police_name}&kind=name")
    _justify(analyst)
    page = login("admin")
    page.goto("/admin/audit?actor=analyst&action=consultation")
    expect(page.locator("table.audit tbody tr").first).to_contain_text(WHY)
    shot(page, "audit")
    page.goto("/admin/users")
    page.fill("form[action='/admin/users'] input[name=username]", "new.inspector")
    page.select_option("select[name=agency_id]", "be-inspection")
    page.check("input[name=roles][value=inspector]")
    page.fill("form[action='/admin/users'] input[name=password]", "a long enough password")
    page.click("form[action='/admin/users'] button[type=submit]")
    expect(page.locator("p.note[role=status]")).to_have_text("User created.")
    expect(page.locator("table.users")).to_contain_text("new.inspector")
    shot(page, "users")
    analyst.goto("/admin/users")
    expect(analyst.locator("h1")).to_have_text("Access denied")
