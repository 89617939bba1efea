"""Account journeys in a real browser, with real email: create, confirm, approve, reset, time out.

Every page visited is checked with axe-core at WCAG 2.2 AA.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.models import Account, AuthSession
from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories import invitation_for, make_child_of_the_demo_household, make_person

PASSWORD = "kestrel-orchard-window"


def create_account(page: Page, code: str, born: dt.date, email: str) -> None:
    page.goto("/create-account")
    assert_accessible(page)
    page.get_by_label("Invitation code").fill(code)
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)


def confirm_and_sign_in(page: Page, live: Live, email: str) -> None:
    page.goto(live.link_in_last_email_to(email))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm email address").click()
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_adult_creates_an_account_from_an_invitation_code(page: Page, live: Live) -> None:
    with live.session() as db:
        person = make_person(db, given_name="Robin", age_years=34)
        code, born = invitation_for(db, person), person.date_of_birth
    page.goto("/create-account")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    create_account(page, code, born, "robin@example.com")
    confirm_and_sign_in(page, live, "robin@example.com")
    expect(page.get_by_text("You: Robin Rivers")).to_be_visible()
    assert_accessible(page)


def test_a_child_waits_until_a_parent_agrees(page: Page, second_page: Page, live: Live) -> None:
    with live.session() as db:
        child = make_child_of_the_demo_household(db, given_name="Nia", age_years=10)
        code, born = invitation_for(db, child), child.date_of_birth
    create_account(page, code, born, "nia@example.com")
    confirm_and_sign_in(page, live, "nia@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Waiting for a parent or carer to agree"
    )
    assert_accessible(page)

    parent = second_page
    parent.goto(live.link_in_last_email_to("sam.rivers@example.com"))
    parent.get_by_label("Email address").fill("sam.rivers@example.com")
    parent.get_by_label("Password", exact=True).fill("lantern-orchard-parent")
    parent.get_by_role("button", name="Sign in").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text(
        "Nia has asked to use the Family Data Portal"
    )
    assert_accessible(parent)
    parent.get_by_role("button", name="Send answer").click()
    expect(parent.get_by_text("Select yes if you agree")).to_have_count(2)
    assert_accessible(parent)
    parent.get_by_label("Yes, I agree").check()
    parent.get_by_role("button", name="Send answer").click()
    expect(parent.get_by_text("You agreed")).to_be_visible()
    assert_accessible(parent)

    page.reload()
    expect(page.get_by_text("You: Nia Rivers")).to_be_visible()
    live.deliver_email()
    assert live.mailbox.last_to("nia@example.com")["Subject"] == "Your Family Data Portal account"


def test_a_forgotten_password_is_reset_by_email(page: Page, live: Live) -> None:
    with live.session() as db:
        person = make_person(db, given_name="Kai", age_years=40)
        code, born = invitation_for(db, person), person.date_of_birth
    create_account(page, code, born, "kai@example.com")
    confirm_and_sign_in(page, live, "kai@example.com")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)
    page.get_by_label("Email address").fill("kai@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(live.link_in_last_email_to("kai@example.com"))
    assert_accessible(page)
    page.get_by_label("New password").fill("new-heather-lighthouse")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    assert_accessible(page)


def test_a_young_person_chooses_whether_parents_see_their_record(page: Page) -> None:
    sign_in(page, "jamie.rivers@example.com")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_label("No, keep it private")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your choice has been saved")).to_be_visible()
    assert_accessible(page)


def test_the_timeout_warning_offers_more_time(page: Page, live: Live) -> None:
    sign_in(page, "alex.morgan@example.com")
    with live.session() as db:
        alex = db.scalar(select(Account).where(Account.email == "alex.morgan@example.com"))
        latest = db.scalars(
            select(AuthSession)
            .where(AuthSession.account_id == alex.id)
            .order_by(AuthSession.created_at.desc())
        ).first()
        # The session ends in 2 minutes and 3 seconds (here at its 12-hour limit), so the
        # warning, due 2 minutes before the end, opens 3 seconds after the page loads.
        latest.expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2, seconds=3)
        latest.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
        db.commit()
    page.goto("/account")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=10_000)
    assert_accessible(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    with live.session() as db:
        session = db.get(AuthSession, latest.id)
        assert dt.datetime.now(dt.UTC) - session.last_seen_at < dt.timedelta(seconds=30)


def test_a_family_member_turns_on_two_step_sign_in(page: Page, live: Live) -> None:
    from portal.services.registration import Registration
    from portal.services.registration import create_account as register
    from portal.totp import code_for, step_at
    from tests.factories import SECRET

    with live.session() as db:
        person = make_person(db, given_name="Ffion", age_years=36)
        details = Registration(
            invitation_for(db, person), person.date_of_birth, "ffion@example.com", PASSWORD, "en"
        )
        account = register(db, details, dt.datetime.now(dt.UTC), SECRET, live.url)
        account.email_confirmed_at = dt.datetime.now(dt.UTC)
        db.commit()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("ffion@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    assert_accessible(page)
    secret = page.locator(".app-code").inner_text().replace(" ", "")
    page.get_by_label("Security code").fill(code_for(secret, step_at(dt.datetime.now(dt.UTC))))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my recovery codes: continue").click()
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto("/sign-in")
    page.get_by_label("Email address").fill("ffion@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Security code").fill(code_for(secret, step_at(dt.datetime.now(dt.UTC)) + 1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You: Ffion Rivers")).to_be_visible()
