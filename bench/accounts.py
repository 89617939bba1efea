"""Signing in over HTTP as the benchmark's users, through the portal's real forms: a generated
parent (with two-step sign-in for the DPO officer), so that wrk can replay their session cookie."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import psycopg
import requests

from portal.demo.generated import LOAD_PASSWORD
from portal.demo.household import DEMO_ACCOUNTS
from portal.totp import code_for, step_at

OFFICER = next(account for account in DEMO_ACCOUNTS if account.email == "dpo.officer@example.com")


@dataclass(frozen=True)
class Family:
    """A generated parent with a child, a complaint and sharing events: the family pages' user."""

    email: str
    child_id: str
    complaint_reference: str


def a_family(connection: psycopg.Connection) -> Family:
    row = connection.execute(
        """
        SELECT a.email, r.related_person_id, c.reference
        FROM accounts a
        JOIN relationships r ON r.person_id = a.person_id
        JOIN complaints c ON c.complainant_account_id = a.id
        WHERE a.email LIKE 'parent%%@example.com'
        ORDER BY a.email LIMIT 1
        """
    ).fetchone()
    if row is None:
        raise SystemExit("The benchmark database has no generated family with a complaint.")
    return Family(row[0], str(row[1]), row[2])


def sign_in(base: str, email: str, password: str, totp_secret: str | None = None) -> str:
    """The Cookie header of a new signed-in session."""
    browser = requests.Session()
    _post_form(browser, f"{base}/sign-in", {"email": email, "password": password})
    if totp_secret:
        code = code_for(totp_secret, step_at(dt.datetime.now(dt.UTC)))
        _post_form(browser, f"{base}/sign-in/security-code", {"code": code})
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def sign_in_family(base: str, family: Family) -> str:
    return sign_in(base, family.email, LOAD_PASSWORD)


def sign_in_officer(base: str) -> str:
    return sign_in(base, OFFICER.email, OFFICER.password, OFFICER.totp_secret)


def _post_form(browser: requests.Session, url: str, fields: dict[str, str]) -> None:
    page = browser.get(url, timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit(f"No sign-in form at {url}")
    answer = browser.post(
        url, data={"csrf_token": token.group(1), **fields}, allow_redirects=False, timeout=30
    )
    if answer.status_code != 302:
        raise SystemExit(f"Signing in at {url} failed: {answer.status_code}")
