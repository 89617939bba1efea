"""The correction journey in a real browser: a parent asks to correct the language recorded for
their 9-year-old, the officer accepts, the parent sees it changed and which partners were told.
Every page axe-checked at WCAG 2.2 AA."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to
from tests.conftest import person_id


def test_a_parent_corrects_a_childs_language_and_sees_who_was_told(
    page: Page, second_page: Page, live: Live
) -> None:
    sign_in(page, "sam.rivers@example.com")
    page.goto(f"/your-data/{person_id('ellie')}")
    page.get_by_role("link", name="Ask us to correct this (Main language)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask us to correct information")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("link", name="Enter what is wrong")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What is wrong?").fill("Ellie speaks Polish at home as well as English")
    page.get_by_label("What should it say?").fill("English and Polish")
    page.get_by_label("How do you know?").fill("We speak Polish at home; her school knows")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert_accessible(page)
    page.goto(f"/your-data/{person_id('ellie')}")
    expect(page.get_by_text(f"You have asked us to check this ({reference})")).to_be_visible()

    officer = second_page
    sign_in(officer, "dpo.officer@example.com")
    officer.goto("/staff/corrections")
    assert_accessible(officer)
    officer.get_by_role("link", name=reference).click()
    assert_accessible(officer)
    officer.get_by_role("button", name="Claim this request").click()
    assert_accessible(officer)
    officer.get_by_label("Tell the family what you have corrected").fill(
        "Ellie's record now says she speaks English and Polish."
    )
    officer.get_by_role("button", name="Accept and correct").click()
    assert_accessible(officer)

    page.goto(f"/your-requests/{reference}")
    expect(
        page.get_by_text("Ellie's record now says she speaks English and Polish.")
    ).to_be_visible()
    told = page.get_by_role("heading", name="Who we told").locator("xpath=following-sibling::ul[1]")
    expect(told).to_have_text("Schools and colleges")
    assert_accessible(page)
    page.goto(f"/your-data/{person_id('ellie')}")
    expect(page.get_by_text("English and Polish", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_date_of_birth_is_corrected_with_the_date_the_officer_checked(
    page: Page, second_page: Page, live: Live
) -> None:
    sign_in(page, "sam.rivers@example.com")
    page.goto(f"/your-data/{person_id('ellie')}")
    page.get_by_role("link", name="Ask us to correct this (Date of birth)").click()
    assert_accessible(page)
    page.get_by_label("What is wrong?").fill("The day and month are the wrong way round")
    page.get_by_label("What should it say?").fill("The 4th of March, not the 3rd of April")
    page.get_by_label("How do you know?").fill("Her birth certificate")
    page.get_by_role("button", name="Send request").click()
    reference = page.locator(".govuk-panel__body strong").inner_text()

    officer = second_page
    sign_in(officer, "dpo.officer@example.com")
    officer.goto(f"/staff/corrections/{reference}")
    officer.get_by_role("button", name="Claim this request").click()
    officer.get_by_role("textbox", name="Day").fill("31")
    officer.get_by_role("textbox", name="Month").fill("2")
    officer.get_by_role("textbox", name="Year").fill("2017")
    officer.get_by_label("Tell the family what you have corrected").fill(
        "Corrected from the certificate."
    )
    officer.get_by_role("button", name="Accept and correct").click()
    expect(officer.get_by_role("link", name="Date of birth must be a real date")).to_be_visible()
    assert_accessible(officer)
    officer.get_by_role("textbox", name="Day").fill("4")
    officer.get_by_role("textbox", name="Month").fill("3")
    officer.get_by_role("button", name="Accept and correct").click()
    expect(officer.get_by_text("You have accepted the correction.")).to_be_visible()
    assert_accessible(officer)

    page.goto(f"/your-data/{person_id('ellie')}")
    expect(page.get_by_text("4 March 2017")).to_be_visible()
    switch_to(page, "cy")
    assert_accessible(page)
