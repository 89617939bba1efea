"""Who has my data, in a real browser: the sharing record with its filters, the download,
where the data came from and who looked, axe-checked in English and Welsh."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Live
from tests.browser.helpers import assert_accessible, sign_in, switch_to


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_sharing_pages_are_accessible(page: Page, live: Live, language: str) -> None:
    sign_in(page, "sam.rivers@example.com")
    if language == "cy":
        switch_to(page, "cy")
    for path in ("/who-we-shared-with", "/where-your-data-came-from", "/who-looked-at-your-data"):
        page.goto(path)
        assert_accessible(page)
    page.goto("/who-we-shared-with?shared_from=31&shared_from=2&shared_from=2026")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_filtering_and_downloading_the_sharing_record(page: Page, live: Live) -> None:
    sign_in(page, "sam.rivers@example.com")
    page.goto("/who-we-shared-with")
    page.get_by_label("Kind of organisation").select_option("education")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="Schools and colleges").first).to_be_visible()
    expect(page.get_by_text("Shropshire Community Health NHS Trust")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list as a spreadsheet (CSV)").click()
    saved = download.value
    assert saved.suggested_filename == "who-we-shared-with.csv"
    text = Path(saved.path()).read_text(encoding="utf-8-sig")
    assert "Schools and colleges" in text and "Shropshire Community Health" not in text
