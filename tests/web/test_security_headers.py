"""Security headers and cookies on every response of every GET route in the URL map, anonymous
and signed in, with the production settings; debug off, trusted hosts, a request size limit, and
gunicorn sending no banner. A new route is covered without anyone adding it to a list."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess  # nosec B404: starts gunicorn, with fixed arguments
import sys
import time
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal import create_app
from portal.config import for_tests, from_environment
from portal.gunicorn_conf import SERVER_NAME
from tests.conftest import PASSWORDS
from tests.crawler import every_url, known_identifiers
from tests.databases import rolled_back_app, use_test_settings
from tests.pages import csrf_token

HOST = "portal.example.gov.uk"
HTTPS = f"https://{HOST}"
YEAR = 365 * 24 * 60 * 60
CONF = Path(__file__).resolve().parents[2] / "portal" / "gunicorn_conf.py"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, database_url: str) -> dict[str, object]:
    """The settings a production portal reads from its environment (secure cookies are the
    default), on the test database and its folders."""
    monkeypatch.setenv("SECRET_KEY", "production-like-test-key")
    use_test_settings(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRUSTED_HOSTS", HOST)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    folders = {key: for_tests(database_url)[key] for key in ("ATTACHMENTS_DIR", "COPIES_DIR")}
    return {**from_environment(), **folders}


@pytest.fixture
def production_app(production: dict[str, object], database_url: str) -> Iterator[Flask]:
    with rolled_back_app(database_url, production) as app:
        yield app


def walk(app: Flask, client: FlaskClient, db) -> Iterator[tuple[str, TestResponse]]:
    """Every GET route once, over HTTPS, each identifier filled with one that exists."""
    known = {name: values[:1] for name, values in known_identifiers(db, uuid.uuid4()).items()}
    for url in every_url(app, known):
        response = client.get(url, base_url=HTTPS)
        response.close()
        yield url, response


def problems(url: str, response: TestResponse, secure: bool = True) -> list[str]:
    """What is wrong with one response's headers and cookies."""
    headers = response.headers
    found = csp_problems(headers.get("Content-Security-Policy", ""))
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    found += [name for name, value in expected.items() if headers.get(name) != value]
    if headers.get("Referrer-Policy") not in {"same-origin", "no-referrer"}:
        found.append("Referrer-Policy")
    if not url.startswith("/assets/") and headers.get("Cache-Control") != "no-store":
        found.append("Cache-Control")
    hsts = headers.get("Strict-Transport-Security", "")
    if secure and not (hsts.startswith("max-age=") and int(hsts[8:].split(";")[0]) >= YEAR):
        found.append("Strict-Transport-Security")
    found += [name for name in ("Server", "X-Powered-By") if name in headers]
    for cookie in headers.getlist("Set-Cookie"):
        found += cookie_problems(cookie) if secure else []
    return [f"{url}: {problem}" for problem in found]


def csp_problems(policy: str) -> list[str]:
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    found = [f"CSP {word}" for word in ("'unsafe-inline'", "'unsafe-eval'") if word in policy]
    required = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    found += [f"CSP {name}" for name, value in required.items() if directives.get(name) != value]
    return found


def cookie_problems(header: str) -> list[str]:
    """A cookie the browser binds to this host alone, over HTTPS, out of scripts' reach."""
    cookie = SimpleCookie()
    cookie.load(header)
    found = []
    for name, morsel in cookie.items():
        if not name.startswith("__Host-"):
            found.append(f"cookie {name} not __Host- prefixed")
        checks = {
            "Secure": morsel["secure"],
            "HttpOnly": morsel["httponly"],
            "SameSite=Lax": morsel["samesite"] == "Lax",
            "Path=/": morsel["path"] == "/",
            "no Domain": not morsel["domain"],
        }
        found += [f"cookie {name} without {flag}" for flag, ok in checks.items() if not ok]
    return found


def sign_in_over_https(client: FlaskClient, email: str) -> TestResponse:
    page = client.get("/sign-in", base_url=HTTPS)
    return client.post(
        "/sign-in",
        base_url=HTTPS,
        data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORDS[email]},
        headers={"Referer": f"{HTTPS}/sign-in"},
    )


def test_every_route_sends_the_security_headers_and_only_host_bound_cookies(
    production_app: Flask, db
) -> None:
    anonymous = production_app.test_client()
    found = [
        problem for url, r in walk(production_app, anonymous, db) for problem in problems(url, r)
    ]

    family = production_app.test_client()
    signed_in = sign_in_over_https(family, "sam.rivers@example.com")
    assert signed_in.status_code == 302
    found += problems("/sign-in", signed_in)
    pages = 0
    for url, response in walk(production_app, family, db):
        pages += response.status_code == 200
        found += problems(url, response)
    assert found == []
    assert pages > 25 and family.get_cookie("__Host-session", domain=HOST) is not None


def test_plain_http_sends_no_hsts(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert problems("/", client.get("/"), secure=False) == []


def test_a_production_portal_is_never_in_debug_mode(production: dict[str, object]) -> None:
    assert os.environ["FLASK_DEBUG"] == "1"
    app = create_app(production)
    assert app.debug is False
    app.extensions["database"].engine.dispose()


def test_a_foreign_host_is_refused(production_app: Flask) -> None:
    client = production_app.test_client()
    assert client.get("/", base_url=HTTPS).status_code == 200
    assert client.get("/", base_url="https://evil.example").status_code == 400


def test_a_request_over_the_size_limit_is_refused(production_app: Flask) -> None:
    limit = production_app.config["MAX_CONTENT_LENGTH"]
    assert 10 * 1024 * 1024 < limit <= 20 * 1024 * 1024
    response = production_app.test_client().post(
        "/sign-in", base_url=HTTPS, data={"email": "x" * (limit + 1)}
    )
    assert response.status_code == 413


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_gunicorn_with_the_portals_settings_sends_no_banner(
    production: dict[str, object], tmp_path: Path
) -> None:
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "-c", str(CONF), "--workers", "1"]
    command += ["--bind", f"127.0.0.1:{port}", "portal:create_app()"]
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=log)  # nosec B603
    try:
        headers = dict(first_answer(port, server))
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    assert headers["Server"] == SERVER_NAME
    assert not [value for value in headers.values() if "gunicorn" in value.lower()]
    assert headers["X-Content-Type-Options"] == "nosniff"


def first_answer(port: int, server: subprocess.Popen[bytes]) -> list[tuple[str, str]]:
    """The headers of / once gunicorn answers (a few seconds to start on a busy machine)."""
    for _ in range(300):
        assert server.poll() is None, "gunicorn stopped"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", "/", headers={"Host": HOST})
            response = connection.getresponse()
            assert response.status == 200
            return response.getheaders()
        except ConnectionRefusedError:
            time.sleep(0.1)
        finally:
            connection.close()
    raise AssertionError("gunicorn did not answer")
