"""Forgotten passwords: the same answer for any email, a single-use link, every session ended."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AccountToken
from tests.conftest import sign_in
from tests.factories import link_in, outbox
from tests.pages import csrf_token, text_of

NEW_PASSWORD = "otter-meadow-compass"


def ask_for_link(client: FlaskClient, email: str):
    page = client.get("/reset-password")
    return client.post("/reset-password", data={"csrf_token": csrf_token(page), "email": email})


def set_new_password(client: FlaskClient, link: str, password: str = NEW_PASSWORD):
    page = client.get(link)
    return client.post(link, data={"csrf_token": csrf_token(page), "password": password})


def test_known_and_unknown_emails_get_the_same_answer(client: FlaskClient, db) -> None:
    known = ask_for_link(client, "sam.rivers@example.com")
    unknown = ask_for_link(client, "nobody@example.com")
    assert known.headers["Location"] == unknown.headers["Location"] == "/reset-password/sent"
    assert outbox(db, "nobody@example.com") == []
    assert outbox(db, "sam.rivers@example.com")[-1].kind == "reset_password"


def test_reset_ends_every_session_and_the_link_works_once(
    app: Flask, client: FlaskClient, db
) -> None:
    other_device = app.test_client()
    sign_in(other_device, "sam.rivers@example.com")
    ask_for_link(client, "sam.rivers@example.com")
    link = link_in(outbox(db, "sam.rivers@example.com")[-1])
    assert set_new_password(client, link).headers["Location"] == "/sign-in?reset=1"
    assert other_device.get("/your-data").status_code == 302
    assert client.get(link).status_code == 404
    sign_in(client, "sam.rivers@example.com", NEW_PASSWORD)
    assert outbox(db, "sam.rivers@example.com")[-1].kind == "password_changed"


def test_an_expired_link_is_refused(client: FlaskClient, db) -> None:
    ask_for_link(client, "sam.rivers@example.com")
    for token in db.scalars(select(AccountToken).where(AccountToken.purpose == "reset_password")):
        token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    link = link_in(outbox(db, "sam.rivers@example.com")[-1])
    assert "This link has expired" in text_of(client.get(link))


def test_a_newer_link_replaces_the_older(client: FlaskClient, db) -> None:
    ask_for_link(client, "sam.rivers@example.com")
    first = link_in(outbox(db, "sam.rivers@example.com")[-1])
    ask_for_link(client, "sam.rivers@example.com")
    assert client.get(first).status_code == 404


def test_a_common_password_is_refused_and_the_link_stays_usable(client: FlaskClient, db) -> None:
    ask_for_link(client, "sam.rivers@example.com")
    link = link_in(outbox(db, "sam.rivers@example.com")[-1])
    assert "too common" in text_of(set_new_password(client, link, "password123"))
    assert set_new_password(client, link).status_code == 302


def test_accounts_that_use_an_identity_provider_get_no_reset_link(client: FlaskClient, db) -> None:
    from portal.models import Account

    officer = db.scalar(select(Account).where(Account.email == "dpo.officer@example.com"))
    officer.oidc_issuer, officer.oidc_subject = "https://login.example.gov.uk", "officer"
    officer.password_hash = None
    db.commit()
    assert (
        ask_for_link(client, "dpo.officer@example.com").headers["Location"]
        == "/reset-password/sent"
    )
    assert outbox(db, "dpo.officer@example.com") == []
