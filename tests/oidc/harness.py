"""Running tests/oidc/provider.mjs, and a browser's trip through it, for sign-in tests.

The portal is the Flask test client (its cookies hold Authlib's state); the browser's side at
the provider is a requests.Session that fills in the provider's login form.
"""

from __future__ import annotations

import selectors
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.databases import rolled_back_app  # noqa: F401  (re-exported for the OIDC tests)
from tests.mail import free_port

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
READY_WITHIN = 20  # seconds
TIMEOUT = 10  # seconds, for each request to the provider


def skip_without_node() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: sign-in tests run npm oidc-provider")
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("node_modules/oidc-provider is missing: run `npm ci` (make test does)")


@contextmanager
def running_provider(arguments: list[str], log: Path) -> Iterator[str]:
    """Starts provider.mjs on a free port with `arguments` (besides --port and --issuer);
    yields its issuer URL, and stops it afterwards. Its stderr goes to `log`."""
    skip_without_node()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = ["node", str(PROVIDER_SCRIPT), "--port", str(port), "--issuer", url, *arguments]
    with (
        log.open("w") as log_file,
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log_file, text=True
        ) as process,
    ):
        try:
            _wait_until_ready(process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_ready(process: subprocess.Popen[str], log: Path) -> None:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while selector.select(timeout=READY_WITHIN):
            line = process.stdout.readline()
            if "ready" in line:
                return
            if not line:
                break
    pytest.fail(f"oidc-provider did not start:\n{log.read_text()}")


def log_in_at_provider(
    authorization_url: str, login: str, callback: str, *, cancel: bool = False
) -> tuple[str, str]:
    """Fills in the provider's login form as `login`; returns the login page's HTML and the
    callback URL the provider sends the browser back to."""
    with requests.Session() as browser:
        page = browser.get(authorization_url, timeout=TIMEOUT)
        assert page.status_code == 200, page.text
        form = BeautifulSoup(page.text, "html.parser").find("form")
        assert form is not None
        data = {"login": login, "action": "cancel" if cancel else "sign-in"}
        answer = browser.post(
            urljoin(page.url, str(form["action"])), data=data, allow_redirects=False, timeout=10
        )
        return page.text, _follow_to(browser, answer, callback)


def _follow_to(browser: requests.Session, response: requests.Response, callback: str) -> str:
    for _ in range(10):
        assert response.is_redirect, response.text
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(callback):
            return location
        response = browser.get(location, allow_redirects=False, timeout=TIMEOUT)
    raise AssertionError("the provider never sent the browser back to the portal")


def come_back(client: FlaskClient, location: str) -> TestResponse:
    """Hands the provider's redirect to the portal, as the browser would."""
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def with_query(location: str, **changes: str) -> str:
    parts = urlsplit(location)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return parts._replace(query=urlencode({**query, **changes})).geturl()


def query_of(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)
