"""Rate limits on guessing, per address and per account, in memory and in a real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests.databases import rolled_back_app
from tests.pages import csrf_token, text_of
from tests.queues import REDIS_URL, redis_is_running


def post_sign_in(client: FlaskClient, email: str, address: str):
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"csrf_token": csrf_token(page), "email": email, "password": "wrong password!"},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture(
    params=[
        "memory",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379"),
        ),
    ]
)
def limited_client(request: pytest.FixtureRequest, database_url: str) -> Iterator[FlaskClient]:
    settings: dict[str, str] = {}
    if request.param == "redis":
        settings["RATELIMIT_STORAGE_URI"] = REDIS_URL
        settings["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    with rolled_back_app(database_url, settings) as app:
        yield app.test_client()


def test_ten_wrong_passwords_for_one_account_from_anywhere_then_a_pause(limited_client) -> None:
    for attempt in range(10):
        response = post_sign_in(limited_client, "sam.rivers@example.com", f"203.0.113.{attempt}")
        assert response.status_code == 400
    blocked = post_sign_in(limited_client, "sam.rivers@example.com", "203.0.113.99")
    assert blocked.status_code == 429
    assert "wait 15 minutes" in text_of(blocked)
    assert int(blocked.headers["Retry-After"]) <= 15 * 60
    # Another account, from the same address, is not held up.
    assert (
        post_sign_in(limited_client, "alex.morgan@example.com", "203.0.113.99").status_code == 400
    )


def test_one_address_guessing_many_accounts_is_stopped(limited_client) -> None:
    statuses = [
        post_sign_in(limited_client, f"guess{n}@example.com", "198.51.100.7").status_code
        for n in range(31)
    ]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429


def test_a_locked_out_owner_can_still_ask_for_a_password_reset(limited_client) -> None:
    for attempt in range(11):
        post_sign_in(limited_client, "sam.rivers@example.com", f"203.0.113.{attempt}")
    page = limited_client.get("/reset-password")
    response = limited_client.post(
        "/reset-password", data={"csrf_token": csrf_token(page), "email": "sam.rivers@example.com"}
    )
    assert response.status_code == 302
