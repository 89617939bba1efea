"""Signing in and out with an email address and password."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AuditEvent
from tests.conftest import sign_in
from tests.pages import csrf_token, text_of


def post_sign_in(client: FlaskClient, email: str, password: str, path: str = "/sign-in"):
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(client.get("/sign-in")),
            "email": email,
            "password": password,
        },
    )


def test_parent_signs_in_and_lands_on_your_data(client: FlaskClient, db) -> None:
    response = post_sign_in(client, "  Sam.Rivers@Example.com ", "lantern-orchard-parent")
    assert response.headers["Location"] == "/your-data"
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "account.signed_in"))


def test_wrong_password_and_unknown_email_get_the_same_answer(client: FlaskClient) -> None:
    wrong_password = post_sign_in(client, "sam.rivers@example.com", "not-the-password")
    unknown_email = post_sign_in(client, "nobody@example.com", "not-the-password")
    assert wrong_password.status_code == unknown_email.status_code == 400
    assert text_of(wrong_password) == text_of(unknown_email)
    assert "Enter a correct email address and password" in text_of(wrong_password)


def test_empty_form_says_what_to_enter_and_keeps_the_email(client: FlaskClient) -> None:
    response = post_sign_in(client, "sam.rivers@example.com", "")
    page = text_of(response)
    assert "Error:" in response.get_data(as_text=True).split("</title>")[0]
    assert "Enter your password" in page
    assert 'value="sam.rivers@example.com"' in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/sign-in", data={"email": "sam.rivers@example.com", "password": "lantern-orchard-parent"}
    )
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)


def test_next_takes_the_user_back_but_only_within_the_site(client: FlaskClient) -> None:
    response = post_sign_in(
        client,
        "sam.rivers@example.com",
        "lantern-orchard-parent",
        path="/sign-in?next=//evil.example/",
    )
    assert response.headers["Location"] == "/your-data"


def test_sign_out_is_a_post_and_ends_the_session(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert client.get("/sign-out").status_code == 405
    page = client.get("/your-data")
    response = client.post("/sign-out", data={"csrf_token": csrf_token(page)})
    assert response.headers["Location"] == "/signed-out"
    assert client.get("/your-data").status_code == 302


def test_language_survives_signing_in(client: FlaskClient) -> None:
    client.get("/language/cy")
    sign_in(client, "sam.rivers@example.com")
    assert 'lang="cy"' in client.get("/your-data").get_data(as_text=True)


@pytest.mark.parametrize(("language", "prefix"), [("en", "Error"), ("cy", "Gwall")])
def test_a_fields_error_is_announced_in_the_pages_language(
    client: FlaskClient, language: str, prefix: str
) -> None:
    client.get(f"/language/{language}")
    page = post_sign_in(client, "", "").get_data(as_text=True)
    assert f'<span class="govuk-visually-hidden">{prefix}:</span>' in page
    assert ("Error:" in page) is (language == "en")


def test_session_cookie_flags(client: FlaskClient) -> None:
    response = post_sign_in(client, "sam.rivers@example.com", "lantern-orchard-parent")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
