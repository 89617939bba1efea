"""Responses go out compressed when the browser can read it: pages per response, static files
from the copies made at build time, with the headers caches need; and never compressed for
clients that do not ask, or for pages another site asked for (BREACH)."""

from __future__ import annotations

import gzip

import brotli
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.config import STATIC
from tests.conftest import sign_in

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
YEAR = 365 * 24 * 60 * 60


def fetch(client: FlaskClient, url: str, headers: dict[str, str]) -> TestResponse:
    """The response, read whole and closed (static files are sent from open files)."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def decoded(response: TestResponse) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    return {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding](body)


def varies_on(response: TestResponse) -> set[str]:
    return {name.strip().lower() for name in response.headers.get("Vary", "").split(",")}


def stylesheet_url(client: FlaskClient) -> str:
    page = BeautifulSoup(client.get("/sign-in").get_data(as_text=True), "html.parser")
    href = page.select_one("link[rel=stylesheet]")
    assert href is not None
    return str(href["href"])


@pytest.mark.parametrize("accepted, sent", [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_a_signed_in_page_is_compressed_when_the_browser_accepts_it(
    client: FlaskClient, accepted: str, sent: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = client.get("/your-data", headers={"Accept-Encoding": accepted, **SAME_ORIGIN})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == sent
    assert {"accept-encoding", "sec-fetch-site"} <= varies_on(response)
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    page = decoded(response).decode()
    assert "Ellie" in page and page.rstrip().endswith("</html>")
    assert len(response.get_data()) < len(page) / 3
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(SAME_ORIGIN, id="no Accept-Encoding"),
        pytest.param({"Accept-Encoding": "identity", **SAME_ORIGIN}, id="identity only"),
        pytest.param({"Accept-Encoding": "gzip, br", "Sec-Fetch-Site": "cross-site"}, id="BREACH"),
        pytest.param({"Accept-Encoding": "gzip, br"}, id="browser without Sec-Fetch-Site"),
    ],
)
def test_a_page_is_sent_uncompressed_unless_asked_for_by_the_portal_itself(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = client.get("/sign-in", headers=headers)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert {"accept-encoding", "sec-fetch-site"} <= varies_on(response)
    assert response.get_data(as_text=True).lstrip().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("accepted, sent", [("gzip, deflate, br", "br"), ("gzip", "gzip")])
def test_static_files_are_sent_precompressed_and_cached_for_a_year(
    client: FlaskClient, accepted: str, sent: str
) -> None:
    url = stylesheet_url(client)
    assert url.startswith("/assets/") and url.count("/") == 3, "the URL carries a version"
    response = fetch(client, url, {"Accept-Encoding": accepted})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == sent
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Cache-Control"] == f"max-age={10 * YEAR}, public, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers
    assert decoded(response) == (STATIC / "portal.min.css").read_bytes()
    assert len(response.get_data()) < 20_000


def test_static_files_are_sent_as_they_are_to_clients_that_do_not_accept_compression(
    client: FlaskClient,
) -> None:
    response = fetch(client, stylesheet_url(client), {})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "portal.min.css").read_bytes()


def test_static_files_without_the_version_are_served_but_cached_briefly(
    client: FlaskClient,
) -> None:
    response = fetch(client, "/assets/govuk/govuk-frontend.min.js", {"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "max-age=60, public"
    assert decoded(response) == (STATIC / "govuk" / "govuk-frontend.min.js").read_bytes()
