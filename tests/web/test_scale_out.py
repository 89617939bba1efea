"""Scaling out (docs/deploy.md): two gunicorn instances on different ports, sharing one
PostgreSQL database and one Redis, behave as one portal. A family member signed in on one is
signed in on the other, signing out on either ends the session on both, and a rate limit
counts attempts made through both."""

from __future__ import annotations

import re
import subprocess  # nosec B404: starts gunicorn, with fixed arguments
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis
import requests

from portal.config import TEST_KEYS
from portal.web.limits import PER_ACCOUNT
from tests.conftest import PASSWORDS
from tests.databases import POSTGRES_URL, empty_database, migrate_and_load_demo
from tests.mail import free_port

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="scaling out shares PostgreSQL")

CONF = Path(__file__).resolve().parents[2] / "portal" / "gunicorn_conf.py"
# A Redis database of this test's own, emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/13"
SAM = "sam.rivers@example.com"


@pytest.fixture(scope="module")
def portals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The base URLs of two gunicorn instances of the portal, started as production is."""
    folder = tmp_path_factory.mktemp("scale-out")
    shared = redis.Redis.from_url(REDIS_URL)
    shared.flushdb()
    with empty_database("postgresql", folder) as url, ExitStack() as stack:
        migrate_and_load_demo(url)
        settings = production_settings(url, folder)
        yield tuple(stack.enter_context(gunicorn(settings, folder)) for _ in range(2))  # type: ignore[misc]
    shared.flushdb()
    shared.close()


def production_settings(url: str, folder: Path) -> dict[str, str]:
    """The same settings for both instances, as a deployment's environment gives them."""
    return {
        **TEST_KEYS,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "scale-out-test-key",
        "AUDIT_HMAC_KEY": "scale-out-audit-key-0123456789abcdef",
        "TRUSTED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "ATTACHMENTS_DIR": str(folder / "files"),
        "COPIES_DIR": str(folder / "copies"),
    }


@contextmanager
def gunicorn(settings: dict[str, str], folder: Path) -> Iterator[str]:
    port = free_port()
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", str(CONF)]
    command += ["--workers", "1", "--bind", f"127.0.0.1:{port}", "portal:create_app()"]
    with (folder / f"gunicorn-{port}.log").open("w") as log:
        server = subprocess.Popen(  # nosec B603
            command, env=settings | {"PATH": "/usr/bin:/bin"}, stdout=log, stderr=log
        )
        try:
            yield answering(f"http://127.0.0.1:{port}", server)
        finally:
            server.terminate()
            server.wait(timeout=30)


def answering(base: str, server: subprocess.Popen[bytes]) -> str:
    for _ in range(600):
        assert server.poll() is None, "gunicorn stopped (see its log)"
        try:
            requests.get(f"{base}/healthz", timeout=5).raise_for_status()
            return base
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not answer")


def post_form(
    browser: requests.Session, url: str, fields: dict[str, str], page: str | None = None
) -> requests.Response:
    """Posts `fields` to `url` with the CSRF token of the form on `page` (by default, `url`)."""
    shown = browser.get(page or url, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token, f"no form at {page or url}"
    return browser.post(
        url, data={"csrf_token": token.group(1), **fields}, allow_redirects=False, timeout=30
    )


def test_signed_in_on_one_instance_is_signed_in_on_the_other(portals: tuple[str, str]) -> None:
    first, second = portals
    browser = requests.Session()
    answer = post_form(browser, f"{first}/sign-in", {"email": SAM, "password": PASSWORDS[SAM]})
    assert answer.status_code == 302
    page = browser.get(f"{second}/your-data", allow_redirects=False, timeout=30)
    assert page.status_code == 200
    assert "Sam Rivers" in page.text
    signed_out = post_form(browser, f"{second}/sign-out", {}, page=f"{second}/your-data")
    assert signed_out.status_code == 302
    after = browser.get(f"{first}/your-data", allow_redirects=False, timeout=30)
    assert after.status_code == 302
    assert "/sign-in" in after.headers["Location"]


def test_a_rate_limit_counts_attempts_on_both_instances(portals: tuple[str, str]) -> None:
    """Alternating between the instances, each sees only half the wrong passwords; the limit
    on one account still stops the attempt after the limit, on either instance."""
    allowed = int(PER_ACCOUNT.split()[0])
    account = {"email": "alex.morgan@example.com", "password": "not-alex-s-password"}
    browser = requests.Session()
    answers = [
        post_form(browser, f"{portals[attempt % 2]}/sign-in", account).status_code
        for attempt in range(allowed)
    ]
    assert 429 not in answers
    assert post_form(browser, f"{portals[0]}/sign-in", account).status_code == 429
    assert post_form(browser, f"{portals[1]}/sign-in", account).status_code == 429
