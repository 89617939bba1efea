"""Two-step sign-in: required for staff with a local password, optional for families."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import Account
from portal.totp import code_for, step_at
from tests.conftest import PASSWORDS, sign_in
from tests.pages import csrf_token, text_of


def password_step(client: FlaskClient, email: str):
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORDS[email]},
    )


def post_code(client: FlaskClient, path: str, code: str):
    page = client.get(path)
    return client.post(path, data={"csrf_token": csrf_token(page), "code": code})


def current_code(secret: str, offset: int = 0) -> str:
    return code_for(secret, step_at(dt.datetime.now(dt.UTC)) + offset)


def officer(db) -> Account:
    return db.scalar(select(Account).where(Account.email == "dpo.officer@example.com"))


def test_the_password_alone_opens_nothing_for_staff(client: FlaskClient) -> None:
    assert (
        password_step(client, "dpo.officer@example.com").headers["Location"]
        == "/sign-in/security-code"
    )
    assert client.get("/staff").status_code == 404
    wrong = post_code(client, "/sign-in/security-code", "000000")
    assert "Enter a correct security code" in text_of(wrong)
    assert client.get("/staff").status_code == 404


def test_a_code_works_once(app, client: FlaskClient, db) -> None:
    secret = officer(db).totp_secret
    password_step(client, "dpo.officer@example.com")
    code = current_code(secret)
    assert post_code(client, "/sign-in/security-code", code).headers["Location"] == "/staff"
    other = app.test_client()
    password_step(other, "dpo.officer@example.com")
    assert "Enter a correct security code" in text_of(
        post_code(other, "/sign-in/security-code", code)
    )


def test_the_second_step_must_follow_within_five_minutes(client: FlaskClient, db) -> None:
    password_step(client, "dpo.officer@example.com")
    page = client.get("/sign-in/security-code")
    with client.session_transaction() as cookie_session:
        pending = dict(cookie_session["pending_sign_in"])
        pending["until"] = dt.datetime.now(dt.UTC).timestamp() - 1
        cookie_session["pending_sign_in"] = pending
    response = client.post(
        "/sign-in/security-code",
        data={"csrf_token": csrf_token(page), "code": current_code(officer(db).totp_secret)},
    )
    assert response.headers["Location"] == "/sign-in"


def test_staff_without_an_authenticator_must_set_one_up(client: FlaskClient, db) -> None:
    account = officer(db)
    account.totp_secret = None
    account.totp_enabled_at = None
    db.commit()
    assert (
        password_step(client, "dpo.officer@example.com").headers["Location"]
        == "/sign-in/security-code"
    )
    assert (
        client.get("/sign-in/security-code").headers["Location"] == "/sign-in/set-up-security-code"
    )
    setup = client.get("/sign-in/set-up-security-code")
    assert "Set up two-step sign-in" in text_of(setup)
    db.expire_all()
    secret = officer(db).totp_secret
    assert secret and officer(db).totp_enabled_at is None
    assert "Enter a correct security code" in text_of(
        post_code(client, "/sign-in/set-up-security-code", "123456")
    )
    done = post_code(client, "/sign-in/set-up-security-code", current_code(secret))
    codes = [line for line in text_of(done).split() if len(line) == 11 and line[5] == "-"]
    assert len(codes) == 10
    assert client.get("/staff").status_code == 200

    fresh = client.application.test_client()
    password_step(fresh, "dpo.officer@example.com")
    assert post_code(fresh, "/sign-in/security-code", codes[0]).headers["Location"] == "/staff"
    again = client.application.test_client()
    password_step(again, "dpo.officer@example.com")
    assert "Enter a correct security code" in text_of(
        post_code(again, "/sign-in/security-code", codes[0])
    )


def test_a_family_member_turns_two_step_on_and_off(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert "Two-step sign-in is off" in text_of(client.get("/account"))
    client.get("/account/two-step")
    db.expire_all()
    secret = db.scalar(select(Account).where(Account.email == "sam.rivers@example.com")).totp_secret
    done = post_code(client, "/account/two-step", current_code(secret))
    assert "Save your recovery codes" in text_of(done)

    other = client.application.test_client()
    assert (
        password_step(other, "sam.rivers@example.com").headers["Location"]
        == "/sign-in/security-code"
    )

    page = client.get("/account")
    wrong = client.post(
        "/account/two-step/off", data={"csrf_token": csrf_token(page), "code": "000000"}
    )
    assert "Enter a correct security code" in text_of(wrong)
    assert "<title>Error:" in wrong.get_data(as_text=True)
    right = client.post(
        "/account/two-step/off",
        data={"csrf_token": csrf_token(page), "code": current_code(secret, 1)},
    )
    assert right.headers["Location"] == "/account?saved=1"
    assert (
        password_step(client.application.test_client(), "sam.rivers@example.com").headers[
            "Location"
        ]
        == "/your-data"
    )
