"""A live portal on 127.0.0.1 and Debian's chromium driven by Playwright.

The live server has its own migrated database with the demo data, so browser
journeys never share a transaction with the request tests.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from portal import create_app
from portal.config import for_tests
from tests.databases import empty_database, migrate_and_load_demo, run_database_kind

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Chromium otherwise tries to resolve Google's update hosts on this closed network.
QUIET_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with empty_database(run_database_kind(), tmp_path_factory.mktemp("live")) as url:
        migrate_and_load_demo(url)
        app = create_app(for_tests(url))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join()
        app.extensions["database"].engine.dispose()


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
def page_without_javascript(browser: Browser, live_server: str) -> Iterator[Page]:
    yield from _first_party_page(browser, live_server, javascript=False)
