"""Complaints to the Data Protection Officer in a real browser: a parent complains about their
9-year-old and answers the team's question; someone without an account complains with
JavaScript off and follows the link we email them. Every page axe-checked at WCAG 2.2 AA, in
English and in Welsh."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import Complaint, ComplaintEvent, ComplaintMessage
from portal.vocabulary import ComplaintStatus
from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to
from tests.factories import DPO
from tests.unit.test_uploads import PDF_BYTES, png

SCREENSHOT = {"name": "screenshot.png", "mimeType": "image/png", "buffer": png()}
LETTER = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def ask_for_more(live: Live, reference: str, question: str) -> None:
    """What the officer's "wait for the complainant" leaves: a visible event, a message, an
    internal note, and the clock paused."""
    now = dt.datetime.now(dt.UTC)
    with live.session() as db:
        complaint = db.scalar(select(Complaint).where(Complaint.reference == reference))
        assert complaint is not None
        complaint.status = ComplaintStatus.WAITING
        complaint.paused_on = now.date()
        complaint.events.append(
            ComplaintEvent(at=now, actor_account_id=DPO, action="note", note="INTERNAL-NOTE")
        )
        complaint.events.append(
            ComplaintEvent(
                at=now, actor_account_id=DPO, action="waiting", visible_to_complainant=True
            )
        )
        complaint.messages.append(
            ComplaintMessage(at=now, from_complainant=False, author_account_id=DPO, text=question)
        )
        db.commit()


def test_a_parent_complains_about_their_child_and_answers_our_question(
    page: Page, live: Live
) -> None:
    sign_in(page, "sam.rivers@example.com")
    page.get_by_role("main").get_by_role("link", name="Make a complaint").click()
    heading(page, "Complain to our Data Protection Officer")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)
    continue_(page)
    expect(page.get_by_role("link", name="Select what your complaint is about")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Information was shared in a way I did not expect").check()
    continue_(page)
    expect(page.get_by_label("Jamie Rivers")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Ellie Rivers").check()
    continue_(page)
    assert_accessible(page)
    page.get_by_label("What happened?").fill("Ellie's health plan was sent to her old school.")
    continue_(page)
    assert_accessible(page)
    page.get_by_label("What would you like us to do?").fill("Ask the old school to delete it.")
    continue_(page)
    heading(page, "Evidence")
    assert_accessible(page)
    page.get_by_label("Upload evidence (optional)").set_input_files([SCREENSHOT, LETTER])
    continue_(page)
    heading(page, "Check your answers before sending your complaint")
    assert_accessible(page)
    page.get_by_role("link", name="Change What happened").click()
    page.get_by_label("What happened?").fill("Ellie's health plan went to her old school in May.")
    continue_(page)
    expect(page.get_by_text("Ellie's health plan went to her old school in May.")).to_be_visible()
    expect(page.get_by_text("screenshot.png")).to_be_visible()
    page.get_by_role("button", name="Send complaint").click()
    heading(page, "Complaint sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Your complaints").first.click()
    heading(page, "Your complaint")
    expect(page.locator(".govuk-tag")).to_have_text("Acknowledged")
    assert_accessible(page)
    page.goto("/your-complaints")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    assert_accessible(page)

    ask_for_more(live, reference, "Which school was it sent to?")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text("Which school was it sent to?")).to_be_visible()
    expect(page.get_by_text("INTERNAL-NOTE")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Your message").fill("Oak Lane Primary, her school until last year.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Your message has been sent")).to_be_visible()
    expect(page.locator(".govuk-tag")).to_have_text("Being looked into")
    assert_accessible(page)

    switch_to(page, "cy")
    assert_accessible(page)
    for path in ("/your-complaints", "/complaints", "/complaints/new"):
        page.goto(path)
        assert_accessible(page)


def complain_without_account(page: Page, email: str, check: Callable[[Page], None]) -> str:
    """The journey of someone without an account, from the start page; `check` runs on each
    page (axe needs JavaScript). Returns the reference."""
    page.goto("/")
    page.get_by_role("link", name="complain to our Data Protection Officer").click()
    check(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("How my request was handled").check()
    continue_(page)
    page.get_by_label("What happened?").fill("I asked for a copy of my data and heard nothing.")
    continue_(page)
    page.get_by_label("What would you like us to do?").fill("Send me the copy.")
    continue_(page)
    continue_(page)  # no evidence
    heading(page, "Your name and how we can reply")
    check(page)
    page.get_by_label("Full name").fill("Robin Example")
    page.get_by_label("Email address").fill("robin-at-example")
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    continue_(page)
    expect(
        page.get_by_role("link", name="Enter an email address in the correct format")
    ).to_be_visible()
    check(page)
    page.get_by_label("Email address").fill(email)
    continue_(page)
    expect(page.get_by_text("Robin Example")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Send complaint").click()
    heading(page, "Complaint sent")
    expect(page.get_by_text("We have emailed you a link to follow your complaint")).to_be_visible()
    check(page)
    return page.locator(".govuk-panel__body strong").inner_text()


def test_the_journey_without_an_account_works_without_javascript(
    page_without_javascript: Page, live: Live
) -> None:
    email = f"robin.{uuid.uuid4().hex[:8]}@example.com"
    reference = complain_without_account(page_without_javascript, email, lambda page: None)
    page_without_javascript.goto(live.link_in_last_email_to(email))
    expect(page_without_javascript.get_by_text(reference)).to_be_visible()


def test_someone_without_an_account_complains_and_follows_the_emailed_link(
    page: Page, live: Live
) -> None:
    email = f"robin.{uuid.uuid4().hex[:8]}@example.com"
    reference = complain_without_account(page, email, assert_accessible)
    page.goto(live.link_in_last_email_to(email))
    heading(page, "Your complaint")
    expect(page.get_by_text(reference)).to_be_visible()
    assert "/follow/" not in page.url  # the secret leaves the address bar
    assert_accessible(page)
    ask_for_more(live, reference, "When did you ask for the copy?")
    page.reload()
    page.get_by_label("Your message").fill("On 3 March, by email.")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Your message has been sent")).to_be_visible()
    page.get_by_label("Upload evidence").set_input_files([LETTER])
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Your evidence has been added")).to_be_visible()
    expect(page.get_by_role("link", name="letter.pdf")).to_be_visible()
    expect(page.get_by_text("INTERNAL-NOTE")).to_have_count(0)
    assert_accessible(page)

    switch_to(page, "cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    for path in ("/complaints", "/complaints/new"):
        page.goto(path)
        assert_accessible(page)
    page.get_by_role("button").last.click()  # "Continue" with no answer
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
