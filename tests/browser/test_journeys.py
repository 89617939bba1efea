"""Journeys in a real browser, every page checked with axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in, switch_to


def test_public_pages_in_english_and_welsh(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "See and correct the data we hold about your family"
    )
    assert_accessible(page)
    for link, heading in [
        ("Privacy notice", "Privacy notice"),
        ("Cookies", "Cookies"),
        ("Accessibility statement", "Accessibility statement for the Family Data Portal"),
    ]:
        page.get_by_role("contentinfo").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    switch_to(page, "cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Datganiad hygyrchedd")
    assert_accessible(page)
    page.goto("/")
    assert_accessible(page)
    page.goto("/privacy-notice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hysbysiad preifatrwydd")
    assert_accessible(page)


def test_parent_signs_in_sees_the_household_and_a_childs_record(page: Page) -> None:
    sign_in(page, "sam.rivers@example.com")
    expect(page).to_have_url("/your-data")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("You: Sam Rivers")).to_be_visible()
    expect(page.get_by_text("Jamie Rivers")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="See all data for Ellie Rivers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data about Ellie Rivers")
    expect(page.get_by_text("Plan for speech, language and communication needs")).to_be_visible()
    assert_accessible(page)
    switch_to(page, "cy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ellie Rivers")
    assert_accessible(page)
    page.get_by_role("link", name="Yn ôl").click()
    expect(page).to_have_url("/your-data")
    assert_accessible(page)
    page.get_by_role("button", name="Allgofnodi").click()
    expect(page).to_have_url("/signed-out")
    assert_accessible(page)


def test_sign_in_error_is_announced_and_accessible(page: Page) -> None:
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("link", name="Enter your email address")).to_be_visible()
    assert_accessible(page)


def test_child_under_thirteen_sees_only_the_waiting_page(page: Page) -> None:
    sign_in(page, "ellie.rivers@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Waiting for a parent or carer to agree"
    )
    expect(page.get_by_text("Alder Vale")).to_have_count(0)
    assert_accessible(page)


def test_dpo_officer_finds_and_opens_a_record(page: Page) -> None:
    sign_in(page, "dpo.officer@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    assert_accessible(page)
    page.get_by_role("link", name="Find a person's record").click()
    page.get_by_label("Name or household reference").fill("Rivers")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Sam Rivers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record of Sam Rivers")
    assert_accessible(page)


def test_not_found_page_is_accessible(page: Page) -> None:
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_everything_works_without_javascript(page_without_javascript: Page) -> None:
    page = page_without_javascript
    sign_in(page, "sam.rivers@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    page.get_by_role("link", name="See all data for Sam Rivers").click()
    expect(page.get_by_text("Universal Credit, no work-related requirements")).to_be_visible()
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_role("button", name="Allgofnodi").click()
    expect(page).to_have_url("/signed-out")


def test_a_parents_pages_in_welsh(page: Page, live_server: str) -> None:
    sign_in(page, "sam.rivers@example.com")
    switch_to(page, "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eich data")
    expect(page.get_by_role("link", name=re.compile("Ellie Rivers"))).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Ellie Rivers.*")).first.click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    for path in ("/account", "/account/two-step", "/create-account", "/reset-password"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        assert_accessible(page)


def test_a_parent_sees_who_their_data_was_shared_with(page: Page) -> None:
    sign_in(page, "sam.rivers@example.com")
    page.get_by_role("link", name="Where your data came from").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where your data came from")
    assert_accessible(page)
    page.get_by_role("link", name="Who we shared it with").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who we shared your data with")
    assert_accessible(page)
    page.get_by_label("About").select_option(label="Ellie Rivers")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("To support a child's education")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Schools and colleges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools and colleges")
    assert_accessible(page)
    switch_to(page, "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ysgolion a cholegau")
    assert_accessible(page)
