"""A test client that checks every page it fetches, as GOV.UK Notify's does."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def check_page(response: TestResponse) -> BeautifulSoup:
    """Every HTML page: parses, has a title and a language, unique ids, forms with a method."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title and page.title.string and page.title.string.strip(), "page has no <title>"
    assert page.html and page.html.get("lang") in {"en", "cy"}, "page has no lang"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [key for key, count in ids.items() if count > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.find_all("form"):
        assert form.get("method") in {"get", "post"}, f"form without a method: {form}"
        assert form.get("action"), f"form without an action: {form}"
        if form["method"] == "post":
            assert form.find("input", attrs={"name": "csrf_token"}), "POST form without CSRF token"
    return page


class CheckingClient(FlaskClient):
    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        # A compressed page is the same page, checked when it is fetched uncompressed.
        if response.mimetype == "text/html" and "Content-Encoding" not in response.headers:
            check_page(response)
        return response


def text_of(response: TestResponse) -> str:
    """The visible text of a page, whitespace collapsed."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return " ".join(page.get_text(" ").split())


def csrf_token(response: TestResponse) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    field = page.find("input", attrs={"name": "csrf_token"})
    assert field is not None, "no CSRF token on the page"
    return str(field["value"])


def errors_of(response: TestResponse) -> list[str]:
    """The messages in the page's error summary, which links each to its field."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.find(class_="govuk-error-summary")
    if summary is None:
        return []
    return [" ".join(link.get_text(" ").split()) for link in summary.find_all("a")]
