"""What each main page costs a family on a slow phone: with an empty browser cache, everything
the page fetches (HTML, CSS, JS, images and any fonts, as sent, headers included) stays under
100 KB, and all of it comes from the portal itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Page, Request
from playwright.sync_api import StorageState as Cookies

from tests.browser.conftest import Live
from tests.browser.helpers import sign_in
from tests.conftest import person_id

BUDGET = 100 * 1000
FAMILY_PAGES = (
    "/your-data",
    f"/your-data/{person_id('ellie')}",
    "/who-we-shared-with",
    "/your-complaints/CMP-DEMQ2222",
)
DPO_PAGES = ("/staff/complaints", "/staff/copy-requests")


@dataclass
class Transfer:
    """The requests of one page load and the bytes each put on the wire."""

    origin: str
    sizes: dict[str, int] = field(default_factory=dict)

    def add(self, request: Request) -> None:
        sizes = request.sizes()
        self.sizes[request.url] = sum(sizes.values())

    def third_party(self) -> list[str]:
        return [url for url in self.sizes if not url.startswith(f"{self.origin}/")]

    def total(self) -> int:
        return sum(self.sizes.values())


@contextmanager
def cold_context(browser: Browser, live: Live, cookies: Cookies | None) -> Iterator[Page]:
    """A new browser context, so nothing is cached, that may carry a signed-in session."""
    context: BrowserContext = browser.new_context(base_url=live.url, storage_state=cookies)
    try:
        yield context.new_page()
    finally:
        context.close()


def weigh(browser: Browser, live: Live, path: str, cookies: Cookies | None = None) -> Transfer:
    """Loads `path` with a cold cache and returns what it transferred."""
    transfer = Transfer(live.url)
    with cold_context(browser, live, cookies) as page:
        page.on("requestfinished", transfer.add)
        response = page.goto(path, wait_until="networkidle")
        assert response is not None and response.ok, path
    return transfer


def signed_in(page: Page, email: str) -> Cookies:
    sign_in(page, email)
    return page.context.storage_state()


def assert_light(weights: dict[str, Transfer]) -> None:
    report = "\n".join(
        f"{path}: {weight.total()} bytes in {len(weight.sizes)} requests"
        for path, weight in weights.items()
    )
    assert all(weight.total() < BUDGET for weight in weights.values()), report
    assert all(weight.third_party() == [] for weight in weights.values()), report
    # Each page fetched its stylesheet and scripts too: the figures are not just the HTML.
    assert all(len(weight.sizes) >= 4 for weight in weights.values()), report


def test_sign_in_and_family_pages_are_light_and_first_party(
    browser: Browser, page: Page, live: Live
) -> None:
    weights = {"/sign-in": weigh(browser, live, "/sign-in")}
    cookies = signed_in(page, "sam.rivers@example.com")
    weights |= {path: weigh(browser, live, path, cookies) for path in FAMILY_PAGES}
    assert_light(weights)


def test_dpo_queues_are_light_and_first_party(browser: Browser, page: Page, live: Live) -> None:
    cookies = signed_in(page, "dpo.officer@example.com")
    assert_light({path: weigh(browser, live, path, cookies) for path in DPO_PAGES})
