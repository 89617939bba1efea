"""A DPO officer records a sharing by hand in a real browser: a mistake shown in the error
summary, then the event on the person's record. Every page checked with axe-core at WCAG 2.2
AA."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from portal.ages import london_today
from portal.models import DataItem
from portal.vocabulary import ItemKind, Source
from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to
from tests.factories import make_person


def test_officer_records_a_sharing_with_a_partner(page: Page, live: Live) -> None:
    with live.session() as db:
        person = make_person(db, given_name="Rhian", age_years=34)
        db.add(
            DataItem(
                person_id=person.id,
                kind=ItemKind.RENT_ARREARS,
                value="£210 rent arrears",
                source=Source.HOUSING,
                obtained_on=london_today() - dt.timedelta(days=40),
            )
        )
        db.commit()
        person_id = person.id

    sign_in(page, "dpo.officer@example.com")
    page.goto(f"/staff/people/{person_id}")
    expect(page.get_by_text("No sharing with partners has been recorded")).to_be_visible()
    page.get_by_role("link", name="Record a sharing with a partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a sharing with a partner")
    assert_accessible(page)

    page.get_by_label("Which organisation was it shared with?").select_option(
        label="Housing providers"
    )
    page.get_by_role("radio", name="To help with housing").check()
    page.get_by_role("button", name="Record the sharing").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the date it was shared")).to_be_visible()
    expect(summary.get_by_role("link", name="Select the lawful basis for sharing")).to_be_visible()
    expect(page.get_by_role("radio", name="To help with housing")).to_be_checked()
    assert_accessible(page)

    shared = london_today() - dt.timedelta(days=2)
    page.get_by_role("textbox", name="Day").fill(str(shared.day))
    page.get_by_role("textbox", name="Month").fill(str(shared.month))
    page.get_by_role("textbox", name="Year").fill(str(shared.year))
    page.get_by_role("radio", name="Public task (UK GDPR Article 6(1)(e))").check()
    page.get_by_role("checkbox", name="Rent arrears: £210 rent arrears").check()
    page.get_by_role("button", name="Record the sharing").click()

    expect(page.get_by_text("The sharing has been recorded.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Housing providers")
    expect(row).to_contain_text("To help with housing")
    expect(row).to_contain_text("Rent arrears")
    assert_accessible(page)

    switch_to(page, "cy")
    assert_accessible(page)
    page.goto(f"/staff/people/{person_id}/sharing-events/new")
    assert_accessible(page)
