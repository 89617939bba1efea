"""Browser steps shared by the journeys: sign in, switch language, check accessibility."""

from __future__ import annotations

import datetime as dt
import time

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from portal.totp import code_for, step_at
from tests.conftest import PASSWORDS, TOTP_SECRETS

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
    if page.url.endswith("/sign-in/security-code"):
        enter_security_code(page, TOTP_SECRETS[email])


def enter_security_code(page: Page, secret: str | None) -> None:
    """What the staff member's authenticator app shows. Each code works once: if an earlier
    test used this step's, the next step's (the portal allows one step of clock drift), and
    only if that was used too, the code after waiting for the next step."""
    assert secret is not None
    for offset in (0, 1, 1):
        step = step_at(dt.datetime.now(dt.UTC)) + offset
        page.get_by_label("Security code").fill(code_for(secret, step))
        page.get_by_role("button", name="Continue").click()
        if not page.url.endswith("/sign-in/security-code"):
            return
        if offset:
            time.sleep(31 - dt.datetime.now(dt.UTC).second % 30)
    raise AssertionError("security code refused")


def switch_to(page: Page, language: str) -> None:
    page.get_by_role(
        "navigation", name={"cy": "Choose a language", "en": "Dewiswch iaith"}[language]
    ).get_by_role("link").click()
