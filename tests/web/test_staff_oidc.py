"""Staff sign-in through the council's OpenID Connect provider, end to end against a real
provider: npm oidc-provider, run by tests/oidc/provider.mjs on 127.0.0.1.

The portal is the Flask test client (its cookies hold Authlib's state); the browser's side at
the provider is a requests.Session that fills in the provider's login form.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal import create_app
from portal.config import for_tests, from_environment
from portal.models import Account, AuditEvent, AuthSession
from portal.services.staff_identity import ProviderRules, StaffClaims, second_factor_shown
from portal.vocabulary import Role
from portal.web.auth import staff_oidc
from tests.databases import rolled_back_app, use_test_settings
from tests.mail import free_port
from tests.oidc.harness import running_provider
from tests.pages import text_of

CLIENT_ID = "family-data-portal"
CLIENT_SECRET = "test-only-client-secret"  # noqa: S105 (known to the test provider only)
# for_tests() sets PUBLIC_URL to http://localhost, and the redirect URI is built from it.
CALLBACK = "http://localhost/staff/sign-in/callback"


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running oidc-provider for the whole run; its issuer URL."""
    arguments = ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    arguments += ["--redirect-uri", CALLBACK]
    with running_provider(arguments, tmp_path_factory.mktemp("oidc") / "provider.log") as url:
        yield url


def staff_settings(issuer_url: str) -> dict[str, Any]:
    return {
        "STAFF_OIDC_ISSUER": issuer_url,
        "STAFF_OIDC_CLIENT_ID": CLIENT_ID,
        "STAFF_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "STAFF_OIDC_GROUP_ROLES": {
            "dpo-officers": "dpo_officer",
            "portal-admins": "administrator",
        },
    }


@pytest.fixture
def staff_app(database_url: str, issuer: str) -> Iterator[Flask]:
    with rolled_back_app(database_url, staff_settings(issuer)) as app:
        yield app


@pytest.fixture
def staff_client(staff_app: Flask) -> FlaskClient:
    return staff_app.test_client()


@pytest.fixture
def staff_db(staff_app: Flask) -> Iterator[Session]:
    session = staff_app.extensions["database"].sessions()
    yield session
    session.close()


# The browser's trip: portal -> provider's login form -> back to the portal's callback.


def to_provider_and_back(
    client: FlaskClient, login: str, *, groups: str = "", cancel: bool = False
) -> str:
    """Starts at the portal, signs in at the provider as `login`; returns the callback URL
    the provider sends the browser back to. `groups` replaces the user's groups there."""
    start = client.get("/staff/sign-in")
    assert start.status_code == 302
    with requests.Session() as browser:
        page = browser.get(start.headers["Location"], timeout=10)
        assert page.status_code == 200, page.text
        form = BeautifulSoup(page.text, "html.parser").find("form")
        assert form is not None
        data = {"login": login, "groups": groups, "action": "cancel" if cancel else "sign-in"}
        answer = browser.post(
            urljoin(page.url, str(form["action"])), data=data, allow_redirects=False, timeout=10
        )
        return follow_to_portal(browser, answer)


def follow_to_portal(browser: requests.Session, response: requests.Response) -> str:
    for _ in range(10):
        assert response.is_redirect, response.text
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(CALLBACK):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back to the portal")


def come_back(client: FlaskClient, location: str) -> TestResponse:
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_with_provider(client: FlaskClient, login: str, **kwargs: Any) -> TestResponse:
    return come_back(client, to_provider_and_back(client, login, **kwargs))


def linked_account(db: Session, issuer: str, subject: str) -> Account | None:
    db.expire_all()
    return db.scalar(
        select(Account).where(Account.oidc_issuer == issuer, Account.oidc_subject == subject)
    )


def session_count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(AuthSession)) or 0)


def with_query(location: str, **changes: str) -> str:
    parts = urlsplit(location)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return parts._replace(query=urlencode({**query, **changes})).geturl()


# Signing in.


def test_officer_signs_in_and_lands_on_staff_home(
    staff_client: FlaskClient, staff_db: Session, issuer: str
) -> None:
    response = sign_in_with_provider(staff_client, "officer")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff"
    assert "Find a person's record" in text_of(staff_client.get("/staff"))
    account = linked_account(staff_db, issuer, "officer")
    assert account is not None
    assert account.role is Role.DPO_OFFICER
    assert (account.person_id, account.password_hash) == (None, None)
    # Not in the ID token: read from userinfo.
    assert account.email == "officer@council.example"
    assert account.display_name == "Olu Officer"
    event = staff_db.scalar(
        select(AuditEvent).where(AuditEvent.action == "account.signed_in_with_provider")
    )
    assert event is not None and event.actor_account_id == account.id
    assert event.detail["issuer"] == issuer and event.session_ref


def test_admin_group_gives_the_administrator_role(
    staff_client: FlaskClient, staff_db: Session, issuer: str
) -> None:
    assert sign_in_with_provider(staff_client, "admin").headers["Location"] == "/staff"
    account = linked_account(staff_db, issuer, "admin")
    assert account is not None and account.role is Role.ADMINISTRATOR
    assert staff_client.get("/staff/people").status_code == 404


def test_staff_without_a_second_factor_are_refused_and_get_no_session(
    staff_client: FlaskClient, staff_db: Session, issuer: str
) -> None:
    sessions_before = session_count(staff_db)
    response = sign_in_with_provider(staff_client, "no-mfa")
    assert response.status_code == 403
    assert "did not use a second factor" in text_of(response)
    assert session_count(staff_db) == sessions_before
    assert linked_account(staff_db, issuer, "no-mfa") is None
    assert staff_client.get("/staff").status_code == 404


def test_staff_outside_the_portal_groups_are_refused(
    staff_client: FlaskClient, staff_db: Session, issuer: str
) -> None:
    response = sign_in_with_provider(staff_client, "stranger")
    assert response.status_code == 403
    assert "not in a group that gives access" in text_of(response)
    assert linked_account(staff_db, issuer, "stranger") is None
    assert staff_client.get("/staff").status_code == 404


def test_a_changed_group_changes_the_role_at_the_next_sign_in(
    staff_app: Flask, staff_db: Session, issuer: str
) -> None:
    first, second = staff_app.test_client(), staff_app.test_client()
    sign_in_with_provider(first, "officer")
    sign_in_with_provider(second, "officer", groups="portal-admins")
    account = linked_account(staff_db, issuer, "officer")
    assert account is not None and account.role is Role.ADMINISTRATOR
    # The role is the account's, so the earlier session has lost the officer's pages too.
    assert first.get("/staff/people").status_code == 404
    assert staff_db.scalar(
        select(AuditEvent).where(AuditEvent.action == "account.role_changed_by_provider")
    )
    refused = sign_in_with_provider(staff_app.test_client(), "officer", groups="finance")
    assert refused.status_code == 403
    # No group left at the provider: signed out everywhere at once.
    assert first.get("/staff").status_code == 404
    assert second.get("/staff").status_code == 404
    count = select(func.count()).select_from(Account).where(Account.oidc_subject == "officer")
    assert staff_db.scalar(count) == 1


def test_an_email_already_used_by_another_account_is_refused(
    staff_client: FlaskClient, staff_db: Session, issuer: str
) -> None:
    response = sign_in_with_provider(staff_client, "clash")
    assert response.status_code == 403
    assert "already used by another portal account" in text_of(response)
    assert linked_account(staff_db, issuer, "clash") is None
    assert staff_client.get("/staff").status_code == 404


# The protocol's protections.


def test_portal_asks_for_state_nonce_and_pkce(staff_client: FlaskClient, issuer: str) -> None:
    location = staff_client.get("/staff/sign-in").headers["Location"]
    assert location.startswith(f"{issuer}/auth?")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["openid email profile"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]


def test_a_tampered_state_is_refused(staff_client: FlaskClient, staff_db: Session) -> None:
    location = to_provider_and_back(staff_client, "officer")
    sessions_before = session_count(staff_db)
    response = come_back(staff_client, with_query(location, state="forged"))
    assert response.status_code == 400
    assert "started in another window" in text_of(response)
    assert session_count(staff_db) == sessions_before
    # The genuine answer still works: tampering did not spend it.
    assert come_back(staff_client, location).headers["Location"] == "/staff"


def test_a_replayed_callback_is_refused(staff_app: Flask) -> None:
    client = staff_app.test_client()
    location = to_provider_and_back(client, "officer")
    assert come_back(client, location).status_code == 302
    assert come_back(client, location).status_code == 400
    assert come_back(staff_app.test_client(), location).status_code == 400


def test_provider_refuses_a_request_without_pkce(issuer: str) -> None:
    request = {
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid",
        "state": "state-value",
        "nonce": "nonce-value",
    }
    with requests.Session() as browser:
        refused = browser.get(f"{issuer}/auth", params=request, allow_redirects=False, timeout=10)
        challenge = {"code_challenge": "A" * 43, "code_challenge_method": "S256"}
        accepted = browser.get(
            f"{issuer}/auth", params={**request, **challenge}, allow_redirects=False, timeout=10
        )
    answer = parse_qs(urlsplit(refused.headers["Location"]).query)
    assert refused.headers["Location"].startswith(CALLBACK)
    assert answer["error"] == ["invalid_request"]
    assert "PKCE" in answer["error_description"][0]
    assert urlsplit(accepted.headers["Location"]).path.startswith("/interaction/")


# What goes wrong on the way ends on a page, never a 500.


def test_cancelling_at_the_provider_shows_a_clear_page(
    staff_client: FlaskClient, staff_db: Session
) -> None:
    sessions_before = session_count(staff_db)
    response = sign_in_with_provider(staff_client, "officer", cancel=True)
    assert response.status_code == 403
    assert "You did not finish signing in" in text_of(response)
    assert session_count(staff_db) == sessions_before


def test_an_unreachable_provider_shows_a_clear_page(database_url: str) -> None:
    with rolled_back_app(database_url, staff_settings(f"http://127.0.0.1:{free_port()}")) as app:
        response = app.test_client().get("/staff/sign-in")
    assert response.status_code == 503
    assert "not responding" in text_of(response)


def test_a_provider_that_never_answers_times_out_on_a_clear_page(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(staff_oidc, "PROVIDER_TIMEOUT", 0.3)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # connections wait in the backlog; nothing ever answers
        settings = staff_settings(f"http://127.0.0.1:{silent.getsockname()[1]}")
        with rolled_back_app(database_url, settings) as app:
            response = app.test_client().get("/staff/sign-in")
    assert response.status_code == 503
    assert "not responding" in text_of(response)


# Configuration.


def test_staff_sign_in_is_offered_when_configured(staff_client: FlaskClient) -> None:
    page = BeautifulSoup(staff_client.get("/sign-in").get_data(as_text=True), "html.parser")
    assert page.find("a", href="/staff/sign-in")


def test_staff_sign_in_is_off_without_an_issuer(client: FlaskClient) -> None:
    assert client.get("/staff/sign-in").status_code == 404
    assert client.get("/staff/sign-in/callback?code=x&state=y").status_code == 404
    page = BeautifulSoup(client.get("/sign-in").get_data(as_text=True), "html.parser")
    assert page.find("a", href="/staff/sign-in") is None


def test_a_half_configured_provider_stops_the_app_at_start(database_url: str) -> None:
    settings = {**for_tests(database_url), **staff_settings("http://127.0.0.1:9")}
    with pytest.raises(RuntimeError, match="STAFF_OIDC_CLIENT_SECRET"):
        create_app({**settings, "STAFF_OIDC_CLIENT_SECRET": None})
    with pytest.raises(ValueError, match="staff roles only"):
        create_app({**settings, "STAFF_OIDC_GROUP_ROLES": {"everyone": "family"}})


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "not-used")
    use_test_settings(monkeypatch)
    monkeypatch.setenv("STAFF_OIDC_ISSUER", "https://login.example/tenant/v2.0")
    monkeypatch.setenv("STAFF_OIDC_GROUP_ROLES", "g-1=dpo_officer, g-2=administrator")
    monkeypatch.setenv("STAFF_OIDC_MFA_ACR", "possessionorinherence,mfa-acr")
    monkeypatch.delenv("STAFF_OIDC_MFA_AMR", raising=False)
    settings = from_environment()
    assert settings["STAFF_OIDC_ISSUER"] == "https://login.example/tenant/v2.0"
    assert settings["STAFF_OIDC_GROUP_ROLES"] == {"g-1": "dpo_officer", "g-2": "administrator"}
    assert settings["STAFF_OIDC_MFA_AMR"] == ("mfa",)
    assert settings["STAFF_OIDC_MFA_ACR"] == ("possessionorinherence", "mfa-acr")


def test_a_configured_acr_counts_as_a_second_factor() -> None:
    rules = ProviderRules(
        group_roles={"g": Role.DPO_OFFICER},
        mfa_amr=frozenset({"mfa"}),
        mfa_acr=frozenset({"possessionorinherence"}),
    )

    def claims(amr: tuple[str, ...], acr: str | None) -> StaffClaims:
        return StaffClaims("https://idp", "sub", "a@b.example", None, ("g",), amr, acr)

    assert second_factor_shown(claims((), "possessionorinherence"), rules)
    assert second_factor_shown(claims(("pwd", "mfa"), None), rules)
    assert not second_factor_shown(claims(("pwd",), "password"), rules)
