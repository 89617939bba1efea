"""Server-side sessions: revocable at once, idle and absolute timeouts, cookie flags."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AuthSession
from tests.conftest import sign_in
from tests.databases import rolled_back_app, use_test_settings
from tests.pages import csrf_token

COOKIE = "session"


def live_session(db) -> AuthSession:
    return db.scalars(select(AuthSession).where(AuthSession.ended_at.is_(None))).one()


def test_a_copied_cookie_stops_working_after_sign_out(app: Flask, client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    assert thief.get("/your-data").status_code == 200
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/your-data"))})
    assert thief.get("/your-data").status_code == 302


def test_the_cookie_holds_no_account_id_only_a_random_token(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    stored = live_session(db)
    assert stored.token_hash not in client.get_cookie(COOKIE).value
    assert str(stored.account_id) not in client.get_cookie(COOKIE).value


def test_thirty_minutes_idle_signs_out(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    stored = live_session(db)
    stored.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30, seconds=1)
    db.commit()
    assert client.get("/your-data").status_code == 302
    db.refresh(stored)
    assert stored.ended_because == "idle"


def test_activity_keeps_the_session_alive(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    stored = live_session(db)
    stored.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29)
    db.commit()
    assert client.get("/your-data").status_code == 200
    db.refresh(stored)
    assert dt.datetime.now(dt.UTC) - stored.last_seen_at < dt.timedelta(minutes=1)


def test_twelve_hours_after_sign_in_the_session_ends_whatever_the_activity(
    client: FlaskClient, db
) -> None:
    sign_in(client, "sam.rivers@example.com")
    stored = live_session(db)
    stored.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    assert client.get("/your-data").status_code == 302
    db.refresh(stored)
    assert stored.ended_because == "expired"


def test_signing_in_again_replaces_the_cookie_session(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    first = client.get_cookie(COOKIE).value
    sign_in(client, "sam.rivers@example.com")
    assert client.get_cookie(COOKIE).value != first


def test_stay_signed_in_restarts_the_idle_clock(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    stored = live_session(db)
    stored.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29)
    db.commit()
    page = client.get("/your-data")
    assert 'id="session-timeout"' in page.get_data(as_text=True)
    response = client.post(
        "/session/extend",
        data={"csrf_token": csrf_token(page)},
        headers={"Accept": "application/json"},
    )
    assert 1790 <= response.json["seconds_left"] <= 1800
    without_javascript = client.post(
        "/session/extend", data={"csrf_token": csrf_token(page), "next": "/your-data"}
    )
    assert without_javascript.headers["Location"] == "/your-data"


def test_the_warning_knows_how_long_is_left(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    stored = live_session(db)
    # Within the minute in which activity is not re-recorded, the clock keeps running.
    stored.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=40)
    db.commit()
    html = client.get("/your-data").get_data(as_text=True)
    seconds = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert 1755 <= seconds <= 1760


def test_production_cookie_is_host_prefixed_secure_httponly_lax(
    database_url: str, monkeypatch
) -> None:
    from portal.config import from_environment

    monkeypatch.setenv("SECRET_KEY", "production-like-test-key")
    use_test_settings(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    # Rolled back afterwards: signing in writes an audit event under this production-like
    # audit key, which would break the chain that test_audit_chain.py verifies.
    with rolled_back_app(database_url, from_environment()) as app:
        client = app.test_client()
        page = client.get("/sign-in", base_url="https://localhost")
        response = client.post(
            "/sign-in",
            base_url="https://localhost",
            data={
                "csrf_token": csrf_token(page),
                "email": "sam.rivers@example.com",
                "password": "lantern-orchard-parent",
            },
            headers={"Referer": "https://localhost/sign-in"},
        )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
