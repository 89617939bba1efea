"""Fixtures: one migrated database with the demo data per run, rolled back after each test.

The run's database is SQLite, or PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy.orm import Session

from portal.demo.household import DEMO_ACCOUNTS
from portal.demo.synthetic import demo_id
from portal.totp import code_for, step_at
from tests.databases import (
    empty_database,
    migrate_and_load_demo,
    rolled_back_app,
    run_database_kind,
)
from tests.pages import csrf_token

# Property tests: the same examples on every run and in CI (derandomize), few enough that the
# whole property suite stays within a minute per database, no deadline on a shared machine.
settings.register_profile("portal", derandomize=True, max_examples=40, deadline=None, database=None)
settings.load_profile("portal")

PASSWORDS = {account.email: account.password for account in DEMO_ACCOUNTS}
TOTP_SECRETS = {account.email: account.totp_secret for account in DEMO_ACCOUNTS}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with empty_database(run_database_kind(), tmp_path_factory.mktemp("db")) as url:
        migrate_and_load_demo(url)
        yield url


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """An app whose every session runs inside one transaction, rolled back after the test."""
    with rolled_back_app(database_url, {}) as test_app:
        yield test_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session inside the test's transaction. No app context is held open, so each
    request still gets its own `g`, as in production."""
    session = app.extensions["database"].sessions()
    yield session
    session.close()


def person_id(name: str) -> uuid.UUID:
    """The demo household's people: sam, alex, jamie, ellie, lee."""
    return demo_id(f"person:{name}")


def sign_in(client: FlaskClient, email: str, password: str | None = None) -> None:
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token(page),
            "email": email,
            "password": password or PASSWORDS[email],
        },
    )
    assert response.status_code == 302, f"sign-in failed for {email}"
    if response.headers["Location"] == "/sign-in/security-code":
        enter_security_code(client, TOTP_SECRETS[email])


def enter_security_code(client: FlaskClient, secret: str | None) -> None:
    """Staff demo accounts use two-step sign-in: the code their authenticator would show.
    Each code works once: if this step's was used, the next step's (the portal allows one
    step of clock drift), and only if that was used too, the code after the next step."""
    assert secret is not None
    for offset in (0, 1, 1):
        page = client.get("/sign-in/security-code")
        code = code_for(secret, step_at(dt.datetime.now(dt.UTC)) + offset)
        response = client.post(
            "/sign-in/security-code", data={"csrf_token": csrf_token(page), "code": code}
        )
        if response.status_code == 302:
            return
        if offset:
            time.sleep(31 - dt.datetime.now(dt.UTC).second % 30)
    raise AssertionError("security code refused")
