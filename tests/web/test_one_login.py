"""Families sign in with GOV.UK One Login, end to end against a real OpenID Connect provider:
npm oidc-provider, run by tests/oidc/provider.mjs on 127.0.0.1 as a One Login stand-in.

The stand-in knows only the public half of a key pair generated here, so the portal gets a
token only with a client assertion signed by the private half (private_key_jwt).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal import create_app
from portal.config import for_tests, from_environment
from portal.models import (
    Account,
    AuditEvent,
    AuthSession,
    GuardianRequest,
    InvitationCode,
    Person,
)
from portal.totp import new_secret
from portal.vocabulary import GuardianRequestStatus, Role
from portal.web.auth import one_login as one_login_views
from tests.conftest import person_id
from tests.databases import use_test_settings
from tests.factories import (
    DPO,
    invitation_for,
    make_child_of_the_demo_household,
    make_person,
    outbox,
)
from tests.oidc.harness import (
    come_back,
    log_in_at_provider,
    query_of,
    rolled_back_app,
    running_provider,
    with_query,
)
from tests.pages import csrf_token, text_of

CLIENT_ID = "family-data-portal-one-login"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# for_tests() sets PUBLIC_URL to http://localhost, and the redirect URI is built from it.
CALLBACK = "http://localhost/one-login/callback"
MISMATCH = "We could not match those details to an invitation"


def subject(login: str) -> str:
    """The stand-in's subject identifiers have One Login's shape."""
    return f"urn:fdc:gov.uk:2022:{login}"


def key_pair() -> tuple[str, str]:
    """A new RSA key pair as PEM: (private, public)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _pems(key)


def _pems(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> tuple[str, str]:
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


@pytest.fixture(scope="module")
def portal_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The portal's private key (PEM), and a file with the public key the provider holds."""
    private, public = key_pair()
    public_file = tmp_path_factory.mktemp("one-login-key") / "portal-public.pem"
    public_file.write_text(public)
    return private, public_file


@pytest.fixture(scope="module")
def issuer(portal_key: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running One Login stand-in for this module's tests; its issuer URL."""
    arguments = ["--one-login-client-id", CLIENT_ID, "--one-login-redirect-uri", CALLBACK]
    arguments += ["--one-login-public-key", str(portal_key[1])]
    log = tmp_path_factory.mktemp("one-login") / "provider.log"
    with running_provider(arguments, log) as url:
        yield url


def settings(issuer_url: str, private_key: str, **changes: Any) -> dict[str, Any]:
    return {
        "ONE_LOGIN_ISSUER": issuer_url,
        "ONE_LOGIN_CLIENT_ID": CLIENT_ID,
        "ONE_LOGIN_PRIVATE_KEY": private_key,
        "ONE_LOGIN_VTR": "Cl.Cm",
        **changes,
    }


@pytest.fixture
def one_login_app(database_url: str, issuer: str, portal_key: tuple[str, Path]) -> Iterator[Flask]:
    with rolled_back_app(database_url, settings(issuer, portal_key[0])) as app:
        yield app


@pytest.fixture
def web(one_login_app: Flask) -> FlaskClient:
    """The family's browser, as far as the portal sees it."""
    return one_login_app.test_client()


@pytest.fixture
def db(one_login_app: Flask) -> Iterator[Session]:
    session = one_login_app.extensions["database"].sessions()
    yield session
    session.close()


# The browser's trip: portal -> One Login's login form -> back to the portal's callback.


def to_one_login_and_back(client: FlaskClient, login: str, *, cancel: bool = False) -> str:
    start = client.get("/one-login/sign-in")
    assert start.status_code == 302
    _, location = log_in_at_provider(start.headers["Location"], login, CALLBACK, cancel=cancel)
    return location


def sign_in_with_one_login(client: FlaskClient, login: str, **kwargs: Any) -> TestResponse:
    return come_back(client, to_one_login_and_back(client, login, **kwargs))


def link(client: FlaskClient, code: str, born: dt.date) -> TestResponse:
    page = client.get("/one-login/link")
    assert page.status_code == 200
    return client.post(
        "/one-login/link",
        data={
            "csrf_token": csrf_token(page),
            "invitation_code": code,
            "date_of_birth": [str(born.day), str(born.month), str(born.year)],
        },
    )


def linked_account(db: Session, issuer: str, login: str) -> Account | None:
    db.expire_all()
    return db.scalar(
        select(Account).where(Account.oidc_issuer == issuer, Account.oidc_subject == subject(login))
    )


def events(db: Session, action: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def session_count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(AuthSession)) or 0)


def code_row(db: Session, person: Person) -> InvitationCode:
    db.expire_all()
    row = db.scalar(select(InvitationCode).where(InvitationCode.person_id == person.id))
    assert row is not None
    return row


# A first sign-in links through the invitation check.


def test_first_sign_in_creates_an_account_after_the_invitation_check(
    web: FlaskClient, db: Session, issuer: str
) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    code = invitation_for(db, person)
    assert sign_in_with_one_login(web, "morgan").headers["Location"] == "/one-login/link"
    assert linked_account(db, issuer, "morgan") is None  # nothing is linked before the check

    response = link(web, code, person.date_of_birth)
    assert response.status_code == 302
    assert response.headers["Location"] == "/your-data"
    assert "You: Morgan Rivers" in text_of(web.get("/your-data"))
    account = linked_account(db, issuer, "morgan")
    assert account is not None
    assert (account.person_id, account.role) == (person.id, Role.FAMILY)
    assert account.password_hash is None
    # From userinfo: One Login has verified it, so no confirmation email.
    assert account.email == "morgan.one@example.com"
    assert account.email_confirmed_at is not None
    assert outbox(db, "morgan.one@example.com") == []
    assert account.language == "en"
    assert code_row(db, person).spent_at is not None
    [created] = events(db, "account.created")
    assert created.actor_account_id == account.id and created.detail == {"with": "one_login"}
    [linked] = events(db, "account.linked_one_login")
    assert linked.actor_account_id == account.id and linked.detail == {"issuer": issuer}
    [signed_in] = events(db, "account.signed_in_with_one_login")
    assert signed_in.actor_account_id == account.id and signed_in.session_ref


def test_first_sign_in_links_an_existing_account_and_later_ones_go_straight_in(
    one_login_app: Flask, web: FlaskClient, db: Session, issuer: str
) -> None:
    alex = db.get(Person, person_id("alex"))
    assert alex is not None
    code = invitation_for(db, alex)
    assert sign_in_with_one_login(web, "riley").headers["Location"] == "/one-login/link"
    assert link(web, code, alex.date_of_birth).headers["Location"] == "/your-data"
    account = linked_account(db, issuer, "riley")
    assert account is not None and account.person_id == alex.id
    assert account.email == "alex.morgan@example.com"  # the account's own, unchanged
    assert events(db, "account.created") == []
    # The owner hears of a new way into their account, at the address they had.
    assert [n.kind for n in outbox(db, "alex.morgan@example.com")] == ["one_login_linked"]

    later = one_login_app.test_client()
    response = sign_in_with_one_login(later, "riley")
    assert response.headers["Location"] == "/your-data"
    assert later.get("/your-data").status_code == 200
    assert len(events(db, "account.signed_in_with_one_login")) == 2
    assert len(events(db, "account.linked_one_login")) == 1


def test_a_linked_sign_in_returns_to_the_page_asked_for(
    one_login_app: Flask, db: Session, issuer: str
) -> None:
    link_directly(db, "alex", issuer, "morgan")
    browser = one_login_app.test_client()
    sign_in_page = browser.get("/sign-in?next=/account")
    button = BeautifulSoup(sign_in_page.get_data(as_text=True), "html.parser").find(
        "a", string=lambda text: text and "GOV.UK One Login" in text
    )
    assert button is not None and button["href"] == "/one-login/sign-in?next=/account"
    start = browser.get(str(button["href"]))
    _, location = log_in_at_provider(start.headers["Location"], "morgan", CALLBACK)
    assert come_back(browser, location).headers["Location"] == "/account"


def test_a_welsh_page_asks_one_login_for_welsh_and_the_account_keeps_it(
    web: FlaskClient, db: Session, issuer: str
) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    code = invitation_for(db, person)
    web.get("/language/cy?next=/sign-in")
    start = web.get("/one-login/sign-in")
    assert query_of(start.headers["Location"])["ui_locales"] == ["cy"]
    login_page, location = log_in_at_provider(start.headers["Location"], "morgan", CALLBACK)
    assert BeautifulSoup(login_page, "html.parser").html["lang"] == "cy"
    come_back(web, location)
    link(web, code, person.date_of_birth)
    account = linked_account(db, issuer, "morgan")
    assert account is not None and account.language == "cy"


def test_an_unverified_email_gets_the_usual_confirmation(
    web: FlaskClient, db: Session, issuer: str
) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    code = invitation_for(db, person)
    sign_in_with_one_login(web, "unverified")
    assert link(web, code, person.date_of_birth).headers["Location"] == "/your-data"
    account = linked_account(db, issuer, "unverified")
    assert account is not None and account.email_confirmed_at is None
    [message] = outbox(db, "unverified.one@example.com")
    assert message.kind == "confirm_email"


def test_a_child_under_13_created_this_way_waits_for_a_guardian(
    web: FlaskClient, db: Session, issuer: str
) -> None:
    child = make_child_of_the_demo_household(db, given_name="Mia", age_years=8)
    sign_in_with_one_login(web, "morgan")
    assert link(web, invitation_for(db, child), child.date_of_birth).status_code == 302
    account = linked_account(db, issuer, "morgan")
    assert account is not None
    request = db.scalar(
        select(GuardianRequest).where(GuardianRequest.child_account_id == account.id)
    )
    assert request is not None and request.status == GuardianRequestStatus.WAITING
    assert "Waiting for a parent or carer to agree" in text_of(web.get("/your-data"))
    assert outbox(db, "sam.rivers@example.com")[-1].kind == "guardian_request"


# The invitation check.


def test_the_wrong_date_of_birth_stops_the_code(web: FlaskClient, db: Session, issuer: str) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    code = invitation_for(db, person)
    sign_in_with_one_login(web, "morgan")
    wrong = link(web, code, person.date_of_birth + dt.timedelta(days=1))
    assert wrong.status_code == 400 and MISMATCH in text_of(wrong)
    right = link(web, code, person.date_of_birth)
    assert right.status_code == 400 and MISMATCH in text_of(right)
    assert code_row(db, person).revoked_because == "date_of_birth_mismatch"
    assert linked_account(db, issuer, "morgan") is None


def test_every_mismatch_gets_the_same_answer_as_create_account(
    web: FlaskClient, db: Session
) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    spent = make_person(db, given_name="Spent", age_years=30)
    spent_code = invitation_for(db, spent)
    code_row(db, spent).spent_at = dt.datetime.now(dt.UTC)
    db.commit()
    sign_in_with_one_login(web, "morgan")
    answers = [
        link(web, "ZZZZ-ZZZZ-ZZZZ", person.date_of_birth),  # no such code
        link(web, spent_code, spent.date_of_birth),  # already used
    ]
    create_page = web.get("/create-account")
    created = web.post(
        "/create-account",
        data={
            "csrf_token": csrf_token(create_page),
            "invitation_code": "ZZZZ-ZZZZ-ZZZZ",
            "date_of_birth": ["1", "2", "1990"],
            "email": "someone@example.com",
            "password": "heron-quartz-lantern",
        },
    )
    summaries = {error_summary(answer) for answer in [*answers, created]}
    assert len(summaries) == 1
    assert MISMATCH in summaries.pop()


def error_summary(response: TestResponse) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.find(class_="govuk-error-summary")
    assert summary is not None
    link_to_field = summary.find("a", href="#invitation_code")
    assert link_to_field is not None
    return " ".join(summary.get_text(" ").split())


def test_blank_answers_get_a_clear_message(web: FlaskClient) -> None:
    sign_in_with_one_login(web, "morgan")
    page = web.get("/one-login/link")
    response = web.post(
        "/one-login/link",
        data={"csrf_token": csrf_token(page), "invitation_code": "", "date_of_birth": ["", "", ""]},
    )
    assert "Enter your invitation code" in text_of(response)
    assert "Enter your date of birth" in text_of(response)
    assert "<title>Error:" in response.get_data(as_text=True)


def test_an_email_already_used_by_another_account_is_refused_without_saying_whose(
    web: FlaskClient, db: Session, issuer: str
) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    code = invitation_for(db, person)
    sign_in_with_one_login(web, "sam-email")  # One Login holds sam.rivers@example.com
    response = link(web, code, person.date_of_birth)
    assert response.status_code == 403
    words = text_of(response)
    assert "already used by another portal account" in words
    assert "sign in with your email address and password" in words
    assert "Early Help worker" in words
    assert "sam" not in words.lower() and "rivers" not in words.lower()
    assert linked_account(db, issuer, "sam-email") is None
    assert db.scalar(select(Account).where(Account.person_id == person.id)) is None
    assert code_row(db, person).spent_at is None
    [refused] = events(db, "account.one_login_refused")
    assert refused.detail["reason"] == "email_in_use"
    assert web.get("/one-login/link").headers["Location"] == "/sign-in"


def test_an_account_linked_to_another_one_login_is_refused(
    one_login_app: Flask, web: FlaskClient, db: Session, issuer: str
) -> None:
    link_directly(db, "alex", issuer, "riley")
    alex = db.get(Person, person_id("alex"))
    assert alex is not None
    sign_in_with_one_login(web, "morgan")
    response = link(web, invitation_for(db, alex), alex.date_of_birth)
    assert response.status_code == 403
    assert "already linked to a different GOV.UK One Login" in text_of(response)
    account = linked_account(db, issuer, "riley")
    assert account is not None and account.person_id == alex.id
    assert linked_account(db, issuer, "morgan") is None
    assert web.get("/your-data").status_code == 302  # not signed in


def test_an_identity_waiting_longer_than_10_minutes_goes_back_to_start(
    web: FlaskClient, db: Session, issuer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = make_person(db, given_name="Morgan", age_years=30)
    code = invitation_for(db, person)
    came_back = dt.datetime.now(dt.UTC)
    monkeypatch.setattr(one_login_views, "now", lambda: came_back)
    sign_in_with_one_login(web, "morgan")
    page = web.get("/one-login/link")

    def post_at(moment: dt.datetime) -> TestResponse:
        monkeypatch.setattr(one_login_views, "now", lambda: moment)
        born = person.date_of_birth
        return web.post(
            "/one-login/link",
            data={
                "csrf_token": csrf_token(page),
                "invitation_code": code,
                "date_of_birth": [str(born.day), str(born.month), str(born.year)],
            },
        )

    late = post_at(came_back + dt.timedelta(minutes=10, seconds=1))
    assert late.status_code == 302 and late.headers["Location"] == "/sign-in"
    assert linked_account(db, issuer, "morgan") is None
    assert code_row(db, person).spent_at is None
    # Forgotten, not just refused once: even a moment inside the ten minutes is too late now.
    assert post_at(came_back + dt.timedelta(minutes=9)).headers["Location"] == "/sign-in"


def test_the_link_page_without_a_one_login_identity_goes_back_to_start(web: FlaskClient) -> None:
    assert web.get("/one-login/link").headers["Location"] == "/sign-in"


# The level of authentication, and who may be signed in.


def test_a_lower_vot_is_refused(web: FlaskClient, db: Session, issuer: str) -> None:
    sessions_before = session_count(db)
    response = sign_in_with_one_login(web, "password-only")  # reaches Cl, not Cl.Cm
    assert response.status_code == 403
    assert "did not confirm that you used a security code" in text_of(response)
    assert session_count(db) == sessions_before
    assert web.get("/one-login/link").headers["Location"] == "/sign-in"


def test_one_login_stands_in_for_two_step_sign_in_at_cl_cm(
    one_login_app: Flask, db: Session, issuer: str
) -> None:
    account = link_directly(db, "alex", issuer, "morgan")
    account.totp_secret, account.totp_enabled_at = new_secret(), dt.datetime.now(dt.UTC)
    db.commit()
    response = sign_in_with_one_login(one_login_app.test_client(), "morgan")
    assert response.headers["Location"] == "/your-data"


def test_at_cl_two_step_families_still_take_the_portal_second_step(
    database_url: str, issuer: str, portal_key: tuple[str, Path]
) -> None:
    with rolled_back_app(database_url, settings(issuer, portal_key[0], ONE_LOGIN_VTR="Cl")) as app:
        db = app.extensions["database"].sessions()
        try:
            account = link_directly(db, "alex", issuer, "morgan")
            account.totp_secret, account.totp_enabled_at = new_secret(), dt.datetime.now(dt.UTC)
            db.commit()
            browser = app.test_client()
            start = browser.get("/one-login/sign-in")
            assert query_of(start.headers["Location"])["vtr"] == ['["Cl"]']
            _, location = log_in_at_provider(start.headers["Location"], "morgan", CALLBACK)
            response = come_back(browser, location)
            assert response.headers["Location"] == "/sign-in/security-code"
            assert browser.get("/your-data").status_code == 302  # not signed in yet
        finally:
            db.close()


def test_a_staff_account_holding_the_identity_is_refused(
    web: FlaskClient, db: Session, issuer: str
) -> None:
    officer = db.get(Account, DPO)
    assert officer is not None
    officer.oidc_issuer, officer.oidc_subject = issuer, subject("morgan")
    db.commit()
    sessions_before = session_count(db)
    response = sign_in_with_one_login(web, "morgan")
    assert response.status_code == 403
    assert "Council staff sign in with their council account" in text_of(response)
    assert session_count(db) == sessions_before
    assert web.get("/staff").status_code == 404


# The protocol's protections.


def test_portal_asks_for_state_nonce_pkce_the_level_and_the_language(
    web: FlaskClient, issuer: str
) -> None:
    location = web.get("/one-login/sign-in").headers["Location"]
    assert location.startswith(f"{issuer}/auth?")
    query = query_of(location)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["openid email"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["vtr"] == ['["Cl.Cm"]']
    assert query["ui_locales"] == ["en"]
    assert query["state"][0] and query["nonce"][0] and query["code_challenge"][0]


def test_a_tampered_state_is_refused(web: FlaskClient, db: Session) -> None:
    location = to_one_login_and_back(web, "morgan")
    response = come_back(web, with_query(location, state="forged"))
    assert response.status_code == 400
    assert "started in another window" in text_of(response)
    assert web.get("/one-login/link").headers["Location"] == "/sign-in"
    # The genuine answer still works: tampering did not spend it.
    assert come_back(web, location).headers["Location"] == "/one-login/link"


def test_provider_refuses_a_request_without_pkce(issuer: str) -> None:
    request = {
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "response_type": "code",
        "scope": "openid email",
        "state": "state-value",
        "nonce": "nonce-value",
        "vtr": '["Cl.Cm"]',
    }
    with requests.Session() as browser:
        refused = browser.get(f"{issuer}/auth", params=request, allow_redirects=False, timeout=10)
    answer = query_of(refused.headers["Location"])
    assert refused.headers["Location"].startswith(CALLBACK)
    assert answer["error"] == ["invalid_request"]
    assert "PKCE" in answer["error_description"][0]


def test_the_token_endpoint_refuses_a_client_signing_with_another_key(
    database_url: str, issuer: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The provider holds only the portal's public key and accepts only private_key_jwt for
    this client, so a token means the assertion was signed with the portal's private key."""
    stranger_key, _ = key_pair()
    with rolled_back_app(database_url, settings(issuer, stranger_key)) as app:
        browser = app.test_client()
        with caplog.at_level(logging.INFO, logger="portal.web.auth.oidc_common"):
            response = sign_in_with_one_login(browser, "morgan")
        assert response.status_code == 400
        assert "could not use" in text_of(response)
        assert browser.get("/one-login/link").headers["Location"] == "/sign-in"
    assert any("invalid_client" in record.getMessage() for record in caplog.records)


def test_the_token_request_carries_a_short_lived_private_key_jwt_and_no_secret(
    web: FlaskClient, issuer: str, portal_key: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Watches the wire (requests, under Authlib) rather than trusting the client's settings."""
    sent: list[requests.PreparedRequest] = []
    send = requests.Session.send

    def watched(self: requests.Session, prepared: requests.PreparedRequest, **kwargs: Any) -> Any:
        sent.append(prepared)
        return send(self, prepared, **kwargs)

    monkeypatch.setattr(requests.Session, "send", watched)
    assert sign_in_with_one_login(web, "morgan").headers["Location"] == "/one-login/link"
    [token_request] = [r for r in sent if r.method == "POST" and r.url == f"{issuer}/token"]
    assert "Authorization" not in token_request.headers
    body = token_request.body
    form = parse_qs(body.decode() if isinstance(body, bytes) else str(body))
    assert "client_secret" not in form
    assert form["client_assertion_type"] == [JWT_BEARER]
    public_key = RSAKey.import_key(portal_key[1].read_text())
    assertion = jwt.decode(form["client_assertion"][0], public_key, algorithms=["RS256"])
    claims = assertion.claims
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert claims["aud"] == f"{issuer}/token"
    assert claims["jti"] and 0 < claims["exp"] - claims["iat"] <= 300


def test_cancelling_at_one_login_shows_a_clear_page(web: FlaskClient) -> None:
    response = sign_in_with_one_login(web, "morgan", cancel=True)
    assert response.status_code == 403
    assert "You did not finish signing in with GOV.UK One Login" in text_of(response)


# Configuration.


def test_one_login_is_offered_when_configured(web: FlaskClient) -> None:
    for path in ("/sign-in", "/create-account"):
        page = BeautifulSoup(web.get(path).get_data(as_text=True), "html.parser")
        assert page.find("a", href="/one-login/sign-in"), path


def test_one_login_is_off_without_an_issuer(client: FlaskClient) -> None:
    assert client.get("/one-login/sign-in").status_code == 404
    assert client.get("/one-login/callback?code=x&state=y").status_code == 404
    assert client.get("/one-login/link").status_code == 404
    for path in ("/sign-in", "/create-account"):
        page = client.get(path).get_data(as_text=True)
        assert "/one-login/" not in page and "GOV.UK One Login" not in page


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"ONE_LOGIN_CLIENT_ID": None}, RuntimeError, "not ONE_LOGIN_CLIENT_ID"),
        ({"ONE_LOGIN_PRIVATE_KEY": None}, RuntimeError, "not ONE_LOGIN_PRIVATE_KEY"),
        ({"ONE_LOGIN_ISSUER": None}, RuntimeError, "not ONE_LOGIN_ISSUER"),
        ({"ONE_LOGIN_PRIVATE_KEY": "not a key"}, RuntimeError, "not a PEM RSA or P-256"),
        ({"ONE_LOGIN_VTR": "P2.Cl.Cm"}, ValueError, "ONE_LOGIN_VTR must be one of Cl, Cl.Cm"),
    ],
)
def test_a_half_configured_one_login_stops_the_app_at_start(
    database_url: str, changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    private, _ = key_pair()
    configured = {**for_tests(database_url), **settings("http://127.0.0.1:9", private)}
    with pytest.raises(error, match=message):
        create_app({**configured, **changes})


def test_a_public_key_in_place_of_the_private_key_stops_the_app(database_url: str) -> None:
    _, public = key_pair()
    configured = {**for_tests(database_url), **settings("http://127.0.0.1:9", public)}
    with pytest.raises(RuntimeError, match="not a PEM RSA or P-256 private key"):
        create_app(configured)


def test_a_p256_key_signs_with_es256(database_url: str) -> None:
    private, _ = _pems(ec.generate_private_key(ec.SECP256R1()))
    with rolled_back_app(database_url, settings("http://127.0.0.1:9", private)) as app:
        method = app.extensions["one_login"].client.client_auth_methods[0]
        assert method.alg == "ES256"


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    private, _ = key_pair()
    key_file = tmp_path / "one-login.pem"
    key_file.write_text(private)
    monkeypatch.setenv("SECRET_KEY", "not-used")
    use_test_settings(monkeypatch)
    monkeypatch.setenv("ONE_LOGIN_ISSUER", "https://oidc.account.gov.uk/")
    monkeypatch.setenv("ONE_LOGIN_CLIENT_ID", "client-from-one-login")
    monkeypatch.setenv("ONE_LOGIN_PRIVATE_KEY_FILE", str(key_file))
    monkeypatch.delenv("ONE_LOGIN_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("ONE_LOGIN_VTR", raising=False)
    found = from_environment()
    assert found["ONE_LOGIN_ISSUER"] == "https://oidc.account.gov.uk/"
    assert found["ONE_LOGIN_CLIENT_ID"] == "client-from-one-login"
    assert found["ONE_LOGIN_PRIVATE_KEY"] == private
    assert found["ONE_LOGIN_VTR"] == "Cl.Cm"

    monkeypatch.setenv("ONE_LOGIN_PRIVATE_KEY", private)
    with pytest.raises(RuntimeError, match="not both"):
        from_environment()
    monkeypatch.delenv("ONE_LOGIN_PRIVATE_KEY_FILE")
    monkeypatch.setenv("ONE_LOGIN_PRIVATE_KEY", private.replace("\n", "\\n"))
    assert from_environment()["ONE_LOGIN_PRIVATE_KEY"] == private

    monkeypatch.delenv("ONE_LOGIN_ISSUER")
    assert from_environment()["ONE_LOGIN_ISSUER"] is None


def link_directly(db: Session, name: str, issuer: str, login: str) -> Account:
    """A demo family member's account, already linked to a One Login subject."""
    account = db.scalar(select(Account).where(Account.person_id == person_id(name)))
    assert account is not None
    account.oidc_issuer, account.oidc_subject = issuer, subject(login)
    db.commit()
    return account
