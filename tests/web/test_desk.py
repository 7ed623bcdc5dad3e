"""The caseworker's desk in Chromium: a referral opened for one of the centre's victims shows
on the desk with its deadline; its page makes a step through the form and records consent."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from crosslink.access import load_subject
from crosslink.referral import NewReferral, open_referral
from crosslink.store.schema import records
from tests.web.conftest import Login, Served, shot


def test_the_desk_and_a_referral_page(login: Login, served: Served) -> None:
    with served.store.transaction() as conn:
        caseworker = load_subject(conn, "caseworker")
        uid = conn.execute(
            select(records.c.uid)
            .where(
                records.c.source_id == "demo-be-reception", records.c.person_category == "victim"
            )
            .limit(1)
        ).scalar_one()
        rid = open_referral(conn, caseworker, NewReferral(uid, "BE", destination="payoke"))
    page = login("caseworker")
    page.click("header.top nav >> text=Referral desk")
    expect(page.locator("h1")).to_have_text("Referral desk")
    page.click(f"a[href='/referrals/{rid}']")
    # A case page is a consultation of a person's data: the workbench asks why, once.
    page.fill("input[name=justification]", "support of the person")
    page.click("form[action='/justification'] button[type=submit]")
    expect(page.locator("dd.state")).to_have_text("Intake at the specialised centre")
    accept = page.locator("form.step", has=page.locator("input[value=accept]"))
    for field in accept.locator("input[name=doc_ref]").all():
        field.fill("intake form 12")
    accept.locator("button[type=submit]").click()
    expect(page.locator("dd.state")).to_have_text("Phase 1: reflection period (45 days)")
    expect(page.locator("ul.clocks")).to_contain_text("Reflection period ends")
    page.fill("form[action$='/consent'] input[name=recipient]", "kind:police")
    page.fill("form[action$='/consent'] input[name=purpose]", "investigation")
    page.click("form[action$='/consent'] button[type=submit]")
    expect(page.locator("table.consents")).to_contain_text("kind:police")
    shot(page, "referral-caseworker")
    page.goto("/desk")  # 45 days ahead: among my referrals, not yet among the deadlines
    expect(page.locator("main")).to_contain_text("Nothing due in the next two weeks.")
    expect(page.locator(f"a[href='/referrals/{rid}']")).to_contain_text(f"BE-{rid}")
