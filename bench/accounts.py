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
    if not _post_form(browser, f"{base}/sign-in", {"email": email, "password": password}):
        raise SystemExit(f"Signing in as {email} failed")
    if totp_secret and not _enter_code(browser, base, totp_secret):
        raise SystemExit(f"The security code for {email} was refused")
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def _enter_code(browser: requests.Session, base: str, secret: str) -> bool:
    """This step's code, or the next step's (one step of drift is allowed) if a run a few
    seconds ago used this one: each code works once."""
    step = step_at(dt.datetime.now(dt.UTC))
    url = f"{base}/sign-in/security-code"
    return any(_post_form(browser, url, {"code": code_for(secret, step + n)}) for n in (0, 1))


def sign_in_family(base: str, family: Family) -> str:
    return sign_in(base, family.email, LOAD_PASSWORD)


def sign_in_officer(base: str) -> str:
    return sign_in(base, OFFICER.email, OFFICER.password, OFFICER.totp_secret)


def _post_form(browser: requests.Session, url: str, fields: dict[str, str]) -> bool:
    """Whether the form at `url` accepted `fields` (it redirects)."""
    page = browser.get(url, timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit(f"No sign-in form at {url}")
    answer = browser.post(
        url, data={"csrf_token": token.group(1), **fields}, allow_redirects=False, timeout=30
    )
    return answer.status_code == 302
