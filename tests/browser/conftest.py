"""A live portal on 127.0.0.1, a real SMTP server it sends to, and Debian's chromium driven by
Playwright.

The live server has its own migrated database with the demo data, so browser
journeys never share a transaction with the request tests. Journeys that change
things make their own people rather than changing the demo household.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal import create_app
from portal.config import for_tests
from portal.models import Account, Notification, NotificationStatus
from portal.services.delivery import send_due, senders_from_config
from portal.web.limits import limiter
from tests.databases import empty_database, migrate_and_load_demo, run_database_kind
from tests.mail import Mailbox, free_port, smtp_server

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Chromium otherwise tries to resolve Google's update hosts on this closed network.
QUIET_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class Live:
    app: Flask
    url: str
    mailbox: Mailbox

    def session(self) -> Session:
        """A session on the live server's database, for arranging and checking."""
        return self.app.extensions["database"].sessions()

    def deliver_email(self) -> None:
        """What `flask send-notifications` does, run now against the live outbox; and a wait
        for the messages the server's own jobs are sending (inline, after each response)."""
        with self.app.app_context(), self.session() as db:
            send_due(db, senders_from_config(self.app.config), dt.datetime.now(dt.UTC))
            deadline = time.monotonic() + 10
            while _in_flight(db) and time.monotonic() < deadline:
                time.sleep(0.05)

    def link_in_last_email_to(self, address: str) -> str:
        self.deliver_email()
        body = self.mailbox.last_to(address).get_content()
        return next(line.strip() for line in body.splitlines() if line.strip().startswith(self.url))


def _in_flight(db: Session) -> int:
    """Messages a sender holds now: claimed, not yet sent or failed."""
    db.rollback()  # a fresh snapshot
    now = dt.datetime.now(dt.UTC)
    return (
        db.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.status == NotificationStatus.PENDING, Notification.leased_until > now
            )
        )
        or 0
    )


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    mailbox = Mailbox()
    smtp_port = free_port()
    with (
        empty_database(run_database_kind(), tmp_path_factory.mktemp("live")) as url,
        smtp_server(smtp_port, mailbox),
    ):
        migrate_and_load_demo(url)
        app = create_app(for_tests(url))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base_url = f"http://127.0.0.1:{server.server_port}"
        app.config.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_port, SMTP_STARTTLS=False, PUBLIC_URL=base_url
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield Live(app, base_url, mailbox)
        server.shutdown()
        server.server_close()
        thread.join()
        app.extensions["database"].engine.dispose()


@pytest.fixture(scope="session")
def live_server(live: Live) -> str:
    return live.url


@pytest.fixture(autouse=True)
def fresh_rate_limits(live: Live) -> None:
    """The live server lasts the whole session, and staff sign in more than ten times in 15
    minutes across the tests: each test starts with the limits no user would have reached."""
    with live.app.app_context():
        limiter.reset()


@pytest.fixture(autouse=True)
def fresh_security_codes(live: Live) -> None:
    """Each two-step code works once. Without this, a staff sign-in in one test waits up to
    30 seconds for the next code because an earlier test used the current one; a sign-in
    twice within one test still waits, as a real person would."""
    with live.session() as db:
        db.execute(update(Account).values(totp_last_step=None))
        db.commit()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[QUIET_NETWORK])
        yield browser
        browser.close()


def _first_party_page(browser: Browser, live_server: str, javascript: bool) -> Iterator[Page]:
    """A page in a fresh context; afterwards, every request it made went to the portal itself."""
    context = browser.new_context(base_url=live_server, java_script_enabled=javascript)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    yield context.new_page()
    context.close()
    third_party = [url for url in requested if not url.startswith(f"{live_server}/")]
    assert requested and third_party == []


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    yield from _first_party_page(browser, live_server, javascript=True)


@pytest.fixture
def second_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """Another person's browser, at the same time."""
    yield from _first_party_page(browser, live_server, javascript=True)


@pytest.fixture
def page_without_javascript(browser: Browser, live_server: str) -> Iterator[Page]:
    yield from _first_party_page(browser, live_server, javascript=False)
