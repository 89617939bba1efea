"""The complaints dashboard in a real browser: reached from staff home, a period chosen, the
figures downloaded, and every state of the page axe-checked in English and Welsh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_dashboard_is_accessible(page: Page, live: Live, language: str) -> None:
    sign_in(page, "dpo.officer@example.com")
    if language == "cy":
        switch_to(page, "cy")
    page.goto("/staff/complaints-dashboard")
    expect(page.get_by_role("img")).to_have_count(4)
    assert_accessible(page)
    page.goto("/staff/complaints-dashboard?period=financial-year")
    assert_accessible(page)
    page.goto("/staff/complaints-dashboard?period=nonsense")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_an_officer_chooses_a_period_and_downloads_the_figures(page: Page, live: Live) -> None:
    sign_in(page, "dpo.officer@example.com")
    page.get_by_role("link", name="Complaints dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complaints dashboard")
    chart = page.get_by_role(
        "img", name="Complaints received, acknowledged on time and resolved on time, by month"
    )
    expect(chart).to_be_visible()
    page.get_by_label("Period").select_option("financial-year")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(r"/staff/complaints-dashboard\?period=financial-year"))
    expect(page.get_by_role("heading", name="By month", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as a spreadsheet (CSV)").click()
    saved = download.value
    assert saved.suggested_filename.startswith("complaints-")
    text = Path(saved.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("Figures by,Month or category,Received")
