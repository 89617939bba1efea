"""DPO staff journeys in a real browser: two-step sign-in, an invitation code, approving a
child's account with a reason. Every page checked with axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from portal.services.registration import Registration, create_account
from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import SECRET, invitation_for, make_child_of_the_demo_household, make_person


def test_officer_issues_a_code_and_approves_a_childs_account(page: Page, live: Live) -> None:
    with live.session() as db:
        adult = make_person(db, given_name="Quinn", age_years=29)
        child = make_child_of_the_demo_household(db, given_name="Tomos", age_years=11)
        details = Registration(
            invitation_for(db, child),
            child.date_of_birth,
            "tomos@example.com",
            "harbour-puffin-lantern",
            "en",
        )
        create_account(db, details, dt.datetime.now(dt.UTC), SECRET, live.url)
        adult_id = adult.id

    sign_in(page, "dpo.officer@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    assert_accessible(page)

    page.goto(f"/staff/people/{adult_id}")
    assert_accessible(page)
    page.get_by_role("link", name="Invitation codes for this person").click()
    assert_accessible(page)
    page.get_by_role("button", name="Issue a new code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation code issued")
    expect(page.locator(".app-code")).to_have_text(
        re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
    )
    assert_accessible(page)

    page.goto("/staff")
    page.get_by_role("link", name="Children's accounts waiting for approval").click()
    assert_accessible(page)
    page.get_by_role("link", name="Tomos Rivers").click()
    page.get_by_role("button", name="Approve account").click()
    expect(page.get_by_text("Select why you are approving this account").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The child is competent to use the portal themselves").check()
    page.get_by_label("Give details").fill("Met Tomos with his worker; he understands the portal.")
    page.get_by_role("button", name="Approve account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's accounts waiting for approval"
    )
    expect(page.get_by_role("link", name="Tomos Rivers")).to_have_count(0)
    assert_accessible(page)
