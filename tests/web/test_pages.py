"""Pages anyone may read, the language switch, security headers and health check."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.pages import text_of

PUBLIC_PAGES = {
    "/": "See and correct the data we hold about your family",
    "/privacy-notice": "Privacy notice",
    "/cookies": "Cookies",
    "/accessibility": "Accessibility statement for the Family Data Portal",
    "/sign-in": "Sign in",
}


@pytest.mark.parametrize(("path", "heading"), PUBLIC_PAGES.items())
def test_public_pages(client: FlaskClient, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert heading in text_of(response)


def test_privacy_notice_names_every_lawful_basis_and_the_ico(client: FlaskClient) -> None:
    page = text_of(client.get("/privacy-notice"))
    for words in (
        "Article 6(1)(e)",
        "Digital Economy Act 2017",
        "Children Acts 1989 and 2004",
        "court orders",
        "research and statistics",
        "Information Commissioner's Office",
    ):
        assert words in page


def test_cookies_page_lists_the_session_cookie_by_its_real_name(client: FlaskClient) -> None:
    assert client.application.config["SESSION_COOKIE_NAME"] in text_of(client.get("/cookies"))


def test_healthz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_switching_to_welsh_and_back(client: FlaskClient) -> None:
    response = client.get("/language/cy?next=/privacy-notice")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy-notice"
    welsh = client.get("/privacy-notice")
    assert 'lang="cy"' in welsh.get_data(as_text=True)
    assert "Hysbysiad preifatrwydd" in text_of(welsh)
    client.get("/language/en?next=/privacy-notice")
    assert "Privacy notice" in text_of(client.get("/privacy-notice"))


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_language_switch_is_not_an_open_redirect(client: FlaskClient, target: str) -> None:
    response = client.get("/language/cy", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_404(client: FlaskClient) -> None:
    assert client.get("/language/fr").status_code == 404


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_one_inline_script_carries_the_csp_nonce(client: FlaskClient) -> None:
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_assets_are_served_and_cacheable(client: FlaskClient) -> None:
    for path in (
        "/assets/portal.min.css",
        "/assets/govuk/govuk-frontend.min.js",
        "/assets/portal.js",
    ):
        response = client.get(path)
        response.close()
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"


def test_missing_page_is_a_gov_uk_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
