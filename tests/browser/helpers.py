"""Browser steps shared by the journeys: sign in, switch language, check accessibility."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.conftest import PASSWORDS

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 AA violation on the page as it is now."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORDS[email])
    page.get_by_role("button", name="Sign in").click()


def switch_to(page: Page, language: str) -> None:
    page.get_by_role(
        "navigation", name={"cy": "Choose a language", "en": "Dewis iaith"}[language]
    ).get_by_role("link").click()
