"""The DPO officer's side of complaints in a real browser: a letter about a child's information
is logged with its scan, claimed, acknowledged by post, messaged and answered with an outcome
letter that ends with the ICO. Every page axe-checked at WCAG 2.2 AA, in English and Welsh."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to


def scanned_letter() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(out, "PNG")
    return out.getvalue()


def test_an_officer_logs_a_postal_complaint_and_answers_it(page: Page, live: Live) -> None:
    sign_in(page, "dpo.officer@example.com")
    page.get_by_role("link", name="Complaints", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints")
    assert_accessible(page)

    page.get_by_role("button", name="Log a complaint that came by post, email or phone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the complaint about?")
    assert_accessible(page)
    page.get_by_label("Name or household reference").fill("Rivers")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Choose Ellie Rivers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a complaint")
    assert_accessible(page)

    page.get_by_label("Complainant's full name").fill("")
    page.get_by_role("button", name="Log complaint").click()
    expect(page.get_by_role("link", name="Select how the complaint arrived")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Post", exact=True).check()
    page.get_by_label("Complainant's full name").fill("Morgan Letter")
    page.get_by_label("Postal address (optional)").fill("2 Letter Lane\nShrewsbury\nSY99 2BB")
    page.get_by_label("Information was shared in a way I did not expect").check()
    page.get_by_label("What happened").fill("The school was told about our housing.")
    page.get_by_label("What they want the council to do").fill("Explain why, and stop it.")
    page.get_by_label("Scans and copies (optional)").set_input_files(
        files=[{"name": "letter.png", "mimeType": "image/png", "buffer": scanned_letter()}]
    )
    page.get_by_role("button", name="Log complaint").click()
    expect(page.get_by_text("You have logged the complaint.")).to_be_visible()
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Complaint ")
    expect(page.get_by_role("link", name="letter.png")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Claim this complaint").click()
    expect(page.get_by_text("You have claimed this complaint.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge the complaint").click()
    expect(page.get_by_text("Send it to them by post")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Message to the complainant").fill("We have asked the school.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("cell", name="We have asked the school.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send the outcome").click()
    expect(page.get_by_role("link", name="Select the outcome")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Explain the outcome to the complainant").fill(
        "The school should not have been told. We have asked it to delete the information."
    )
    page.get_by_role("button", name="Send the outcome").click()
    expect(page.get_by_text("Print the letter below and send it.")).to_be_visible()
    letter = page.locator(".govuk-inset-text")
    expect(letter).to_contain_text("Dear Morgan Letter,")
    expect(letter).to_contain_text("ico.org.uk or on 0303 123 1113")
    assert_accessible(page)

    switch_to(page, "cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    page.goto("/staff/complaints?status=resolved")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    assert_accessible(page)
    page.goto("/staff/complaints/new/person?q=Rivers")
    assert_accessible(page)
    page.goto("/staff/complaints/new")
    assert_accessible(page)
