"""Your account: a young person's sharing choice, and signing out on every device."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import person_id, sign_in
from tests.pages import csrf_token, text_of


def choose(client: FlaskClient, share: str):
    page = client.get("/account")
    return client.post("/account/sharing", data={"csrf_token": csrf_token(page), "share": share})


def test_fifteen_year_old_lets_parents_see_their_record_and_takes_it_back(
    app: Flask, client: FlaskClient
) -> None:
    parent = app.test_client()
    sign_in(parent, "sam.rivers@example.com")
    assert parent.get(f"/your-data/{person_id('jamie')}").status_code == 404
    sign_in(client, "jamie.rivers@example.com")
    assert "No, keep it private" in text_of(client.get("/account"))
    assert choose(client, "yes").headers["Location"] == "/account?saved=1"
    assert parent.get(f"/your-data/{person_id('jamie')}").status_code == 200
    choose(client, "no")
    assert parent.get(f"/your-data/{person_id('jamie')}").status_code == 404


def test_no_choice_gets_a_clear_message(client: FlaskClient) -> None:
    sign_in(client, "jamie.rivers@example.com")
    page = client.get("/account")
    response = client.post("/account/sharing", data={"csrf_token": csrf_token(page)})
    assert "Select whether your parents or carers can see it" in text_of(response)


def test_adults_and_under_13s_have_no_sharing_choice(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert "Who can see your record" not in text_of(client.get("/account"))
    assert choose(client, "yes").headers["Location"] == "/account"


def test_sign_out_on_every_device(app: Flask, client: FlaskClient) -> None:
    phone = app.test_client()
    sign_in(phone, "sam.rivers@example.com")
    sign_in(client, "sam.rivers@example.com")
    page = client.get("/account")
    client.post("/account/sign-out-everywhere", data={"csrf_token": csrf_token(page)})
    assert phone.get("/your-data").status_code == 302
    assert client.get("/your-data").status_code == 302
