"""The partner register in a real browser: the administrator adds a partner, sees it in the
register, retires it; families read it in Welsh. Every page axe-checked at WCAG 2.2 AA, in
English and in Welsh."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to

CODE = "family-hubs"
DESCRIPTION_CY = "Hybiau yn y gymuned lle gall teuluoedd gael cymorth a chyngor."


def test_an_administrator_adds_and_retires_a_partner(page: Page, live: Live) -> None:
    sign_in(page, "portal.admin@example.com")
    page.get_by_role("link", name="Partner register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner register")
    assert_accessible(page)

    page.get_by_role("button", name="Add a partner").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add partner").click()
    expect(page.get_by_role("link", name="Enter the partner's name in Welsh")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name in English").fill("Family Hubs")
    page.get_by_label("Name in Welsh").fill("Hybiau Teulu")
    page.get_by_label("Council departments").check()
    page.get_by_label("Description in English").fill(
        "Places in the community where families can get help and advice."
    )
    page.get_by_label("Description in Welsh").fill(DESCRIPTION_CY)
    page.get_by_label("Code", exact=True).fill(CODE)
    page.get_by_role("button", name="Add partner").click()
    expect(page.get_by_text("The partner has been added.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Family Hubs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Family Hubs")
    assert_accessible(page)
    page.get_by_role("button", name="Retire partner").click()
    expect(page.get_by_text("The partner has been retired.")).to_be_visible()
    assert_accessible(page)

    switch_to(page, "cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hybiau Teulu")
    assert_accessible(page)
    page.goto("/staff/partners")
    assert_accessible(page)
    page.goto("/staff/partners/new")
    page.locator("form[action='/staff/partners/new'] button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/staff/partners/{CODE}/delete")
    assert_accessible(page)

    page.goto(f"/partners/{CODE}")
    expect(page.get_by_text(DESCRIPTION_CY)).to_be_visible()
    assert_accessible(page)
