"""Sign-in through OpenID Connect providers in a real browser: council staff through the
council's provider, families through GOV.UK One Login, both played by tests/oidc/provider.mjs
(npm oidc-provider) on another 127.0.0.1 port.

This module has its own live portal, configured for both providers; the conftest's portal has
neither. Its pages may visit the provider and nothing else besides the portal. Every page of
the portal's own is checked with axe-core at WCAG 2.2 AA; the provider's pages are not ours.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal import create_app
from portal.config import for_tests
from tests.browser.helpers import assert_accessible
from tests.databases import empty_database, migrate_and_load_demo, run_database_kind
from tests.factories import invitation_for, make_person
from tests.oidc.harness import running_provider, skip_without_node

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

STAFF_CLIENT_ID = "family-data-portal"
STAFF_CLIENT_SECRET = "test-only-client-secret"  # noqa: S105 (known to the test provider only)
ONE_LOGIN_CLIENT_ID = "family-data-portal-one-login"


@dataclass
class Portal:
    app: Flask
    url: str
    issuer: str  # the provider's, for both the staff and the One Login client

    def session(self) -> Session:
        """A session on the live portal's database, for arranging and checking."""
        return self.app.extensions["database"].sessions()


def one_login_key_pair() -> tuple[str, str]:
    """The portal's One Login key pair as PEM: (private, public). The provider gets only the
    public half, so the portal gets a token only with an assertion signed by the private."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


def provider_arguments(portal_url: str, public_key: Path) -> list[str]:
    """Both clients, sending the browser back to the live portal's callbacks."""
    staff = ["--client-id", STAFF_CLIENT_ID, "--client-secret", STAFF_CLIENT_SECRET]
    staff += ["--redirect-uri", f"{portal_url}/staff/sign-in/callback"]
    one_login = ["--one-login-client-id", ONE_LOGIN_CLIENT_ID]
    one_login += ["--one-login-public-key", str(public_key)]
    one_login += ["--one-login-redirect-uri", f"{portal_url}/one-login/callback"]
    return staff + one_login


def provider_settings(issuer: str, private_key: str) -> dict[str, Any]:
    return {
        "STAFF_OIDC_ISSUER": issuer,
        "STAFF_OIDC_CLIENT_ID": STAFF_CLIENT_ID,
        "STAFF_OIDC_CLIENT_SECRET": STAFF_CLIENT_SECRET,
        "STAFF_OIDC_GROUP_ROLES": {
            "dpo-officers": "dpo_officer",
            "portal-admins": "administrator",
        },
        "ONE_LOGIN_ISSUER": issuer,
        "ONE_LOGIN_CLIENT_ID": ONE_LOGIN_CLIENT_ID,
        "ONE_LOGIN_PRIVATE_KEY": private_key,
        "ONE_LOGIN_VTR": "Cl.Cm",
    }


def _not_configured_yet(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The live server's app until the portal exists. Never called: the server starts serving
    only once the portal has replaced it."""
    raise AssertionError("the live server served a request before the portal was configured")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """A live portal, as the conftest's `live`, configured for the provider it starts.

    The provider must know the portal's callbacks, and the portal the provider's issuer, when
    each starts. So the server binds its port first, with a stand-in app; the provider starts
    with callbacks on that port; then the portal is made with the provider's issuer and takes
    the stand-in's place before the server serves anything.
    """
    skip_without_node()
    folder = tmp_path_factory.mktemp("provider-sign-in")
    private_key, public_key = one_login_key_pair()
    public_key_file = folder / "portal-public.pem"
    public_key_file.write_text(public_key)
    with empty_database(run_database_kind(), folder) as url:
        migrate_and_load_demo(url)
        server = make_server("127.0.0.1", 0, _not_configured_yet, threaded=True)
        base_url = f"http://127.0.0.1:{server.server_port}"
        try:
            with running_provider(
                provider_arguments(base_url, public_key_file), folder / "provider.log"
            ) as issuer:
                settings = {**provider_settings(issuer, private_key), "PUBLIC_URL": base_url}
                app = create_app({**for_tests(url), **settings})
                server.app = app
                thread = threading.Thread(target=server.serve_forever, daemon=True)
                thread.start()
                try:
                    yield Portal(app, base_url, issuer)
                finally:
                    server.shutdown()
                    thread.join()
                    app.extensions["database"].engine.dispose()
        finally:
            server.server_close()


def _page_on_portal_and_provider(browser: Browser, portal: Portal) -> Iterator[Page]:
    """As the conftest's pages, but on this module's portal; afterwards, every request it made
    went to the portal or to the provider."""
    context = browser.new_context(base_url=portal.url)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    yield context.new_page()
    context.close()
    elsewhere = [
        url for url in requested if not url.startswith((f"{portal.url}/", f"{portal.issuer}/"))
    ]
    assert requested and elsewhere == []


@pytest.fixture
def page(browser: Browser, portal: Portal) -> Iterator[Page]:
    yield from _page_on_portal_and_provider(browser, portal)


@pytest.fixture
def second_page(browser: Browser, portal: Portal) -> Iterator[Page]:
    """The same person's browser another day: no cookies, at the portal or the provider."""
    yield from _page_on_portal_and_provider(browser, portal)


def log_in_at_the_provider(page: Page, portal: Portal, login: str) -> None:
    """Fills in the provider's login form (not ours, so not checked with axe-core)."""
    expect(page).to_have_url(re.compile(rf"^{re.escape(portal.issuer)}/interaction/"))
    page.get_by_label("User id").fill(login)
    page.get_by_role("button", name="Sign in").click()


def sign_in_as_council_staff(page: Page, portal: Portal, login: str) -> None:
    page.goto("/sign-in")
    assert_accessible(page)
    page.get_by_role("link", name="Council staff: sign in with your council account").click()
    log_in_at_the_provider(page, portal, login)


def sign_in_with_one_login(page: Page, portal: Portal, login: str) -> None:
    page.goto("/sign-in")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with GOV.UK One Login").click()
    log_in_at_the_provider(page, portal, login)


def test_a_dpo_officer_signs_in_with_their_council_account(page: Page, portal: Portal) -> None:
    sign_in_as_council_staff(page, portal, "officer")
    expect(page).to_have_url(f"{portal.url}/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff home")
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    assert_accessible(page)


def test_council_staff_without_a_second_factor_are_refused(page: Page, portal: Portal) -> None:
    sign_in_as_council_staff(page, portal, "no-mfa")
    expect(page).to_have_url(re.compile(rf"^{re.escape(portal.url)}/staff/sign-in/callback\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in to the portal")
    expect(page.get_by_text("Your council sign-in did not use a second factor")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_have_count(0)


def test_a_family_member_links_their_one_login_then_signs_in_with_it(
    page: Page, second_page: Page, portal: Portal
) -> None:
    with portal.session() as db:
        person = make_person(db, given_name="Morgan", age_years=31)
        code, born = invitation_for(db, person), person.date_of_birth

    sign_in_with_one_login(page, portal, "morgan")
    expect(page).to_have_url(f"{portal.url}/one-login/link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Link your GOV.UK One Login")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Invitation code").fill(code)
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_text("You: Morgan Rivers")).to_be_visible()
    assert_accessible(page)

    # Another day, in a browser that remembers nothing: One Login alone is enough now.
    sign_in_with_one_login(second_page, portal, "morgan")
    expect(second_page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(second_page.get_by_text("You: Morgan Rivers")).to_be_visible()
    assert_accessible(second_page)
