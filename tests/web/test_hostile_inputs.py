"""Hostile answers in every form get a clear 400, never a 500, and write nothing.

The forms are found as a user finds them: every GET route in the URL map is visited as a
family member, an officer and an administrator, and every POST form on those pages with a
text box is kept. Each hostile value then goes into each text box in turn, with the other
boxes holding the answers the page offered or a plain one. A new form is covered without
anyone adding it here."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.db import Base
from portal.models import AuditEvent
from tests.conftest import sign_in
from tests.crawler import every_url, known_identifiers
from tests.databases import rolled_back_app
from tests.web.test_corrections import ELLIE_LANGUAGE

# Pages of one route differ by state (a complaint held or not): a few of each are enough.
PAGES_PER_ROUTE = 2
TRIES_PER_ROUTE = 25  # most identifiers are other people's: 404, quickly, but not free
SAM = "sam.rivers@example.com"
PERSONAS = ["sam.rivers@example.com", "dpo.officer@example.com", "portal.admin@example.com"]
TEXT_TYPES = {"text", "email", "tel", "search", "password", None}
# Plain answers for boxes whose rendered value is empty: each valid for its kind of field.
PLAIN = {
    "email": "someone@example.com",
    "phone": "07700 900982",
    "postcode": "SY99 1AA",
    "code": "new-partner-code",
}
READING = ["record.viewed", "complaint.viewed"]
HOSTILE = {
    "NUL byte": "Rivers\x00Street",
    "right-to-left override": "Rivers\u202eteertS",
    "lone surrogate": "Rivers\ud800Street",
    "far over the length": "x" * 60_000,
}
DATES = {
    "31 April": ("31", "4", "2024"),
    "29 February in a non-leap year": ("29", "2", "2023"),
    "Arabic-Indic date": ("١", "٢", "٢٠٢٤"),
}
NUMERIC_BOXES = ("phone", "day", "month", "year")
FOREIGN_DIGITS = {
    "Arabic-Indic digits": "٠٧٧٠٠ ٩٠٠٩٨٢",
    "full-width digits": "０７７００ ９００９８２",
}


@dataclass
class FoundForm:
    page: str
    action: str
    answers: list[tuple[str, str]] = field(default_factory=list)
    boxes: list[tuple[str, str]] = field(default_factory=list)  # (name, id) of text boxes
    kept: set[str] = field(default_factory=set)  # boxes shown again after a refusal


def box_name(form: FoundForm, box_id: str) -> str:
    return next(name for name, found_id in form.boxes if found_id == box_id)


def plain_answer(name: str, value: str) -> str:
    if value:
        return value
    return next((answer for key, answer in PLAIN.items() if key in name), "A plain answer")


def found_form(page: str, form: Tag) -> FoundForm:
    found = FoundForm(page, str(form["action"]))
    chosen: set[str] = set()
    for control in form.find_all(["input", "textarea", "select"]):
        name, kind = control.get("name"), control.get("type")
        if not name or kind in {"submit", "file", "button"}:
            continue
        if kind in {"radio", "checkbox"}:
            if name not in chosen:
                chosen.add(name)
                found.answers.append((name, str(control.get("value", "y"))))
            continue
        if control.name == "select":
            options = [o.get("value", "") for o in control.find_all("option") if o.get("value")]
            found.answers.append((name, options[0] if options else ""))
            continue
        value = str(control.get_text() if control.name == "textarea" else control.get("value", ""))
        if control.name == "textarea" or (kind in TEXT_TYPES and name != "csrf_token"):
            value = plain_answer(name, value)
            found.boxes.append((name, str(control.get("id", name))))
            if kind != "password":
                found.kept.add(name)
        found.answers.append((name, value))
    return found


def forms_on_every_page(app: Flask, client: FlaskClient, db: Session) -> dict[str, FoundForm]:
    """The first form with a text box for each POST endpoint, from any page this user sees."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, FoundForm] = {}
    pages_per_route: Counter[str] = Counter()
    tried: Counter[str] = Counter()
    for url in every_url(app, known_identifiers(db, uuid.uuid4())):
        route = adapter.match(url.split("?")[0])[0]
        tried[route] += 1
        if pages_per_route[route] >= PAGES_PER_ROUTE or tried[route] > TRIES_PER_ROUTE:
            continue
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages_per_route[route] += 1
            page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
            for form in page.find_all("form", method="post"):
                endpoint = adapter.match(form["action"].split("?")[0], method="POST")[0]
                candidate = found_form(url, form)
                if candidate.boxes and endpoint not in found:
                    found[endpoint] = candidate
        response.close()
    return found


def encoded(answers: list[tuple[str, str]]) -> bytes:
    """The form as a browser would send it; a lone surrogate as the bytes %ED%A0%80."""
    return "&".join(
        f"{quote(name)}={quote(value, errors='surrogatepass')}" for name, value in answers
    ).encode()


def row_counts(db: Session) -> dict[str, int]:
    """Rows in every table; audit events other than an officer's reading of a record (the
    re-shown page is a view of personal data, and audited as one)."""
    tables = [t for t in Base.metadata.sorted_tables if t.name != "audit_events"]
    changes = select(func.count()).where(AuditEvent.action.not_in(READING))
    counts = db.execute(
        select(
            *(select(func.count()).select_from(t).scalar_subquery() for t in tables),
            changes.scalar_subquery(),
        )
    ).one()
    db.commit()  # nothing was written: a rollback would also undo the requests' writes
    return dict(zip([*(t.name for t in tables), "audit_events"], counts, strict=True))


def attempts(form: FoundForm) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(box id, what was wrong, the answers sent) for each hostile value in each box."""
    tried = []
    for name, box_id in form.boxes:
        values = dict(HOSTILE)
        if any(part in name for part in NUMERIC_BOXES):
            values |= FOREIGN_DIGITS
        for label, value in values.items():
            sent = [(n, value if n == name else v) for n, v in form.answers]
            tried.append((box_id, label, sent))
        repeated = [*form.answers, (name, "a second answer")]
        tried.append((box_id, "repeated field", repeated))
    for name, box_id in form.boxes:
        if box_id.endswith("-day"):
            tried += [(box_id, label, with_date(form, name, date)) for label, date in DATES.items()]
    return tried


def with_date(form: FoundForm, name: str, date: tuple[str, str, str]) -> list[tuple[str, str]]:
    """The answers with a date field's day, month and year boxes holding `date`."""
    others = [(n, v) for n, v in form.answers if n != name]
    return others + [(name, part) for part in date]


def problems_with(response, box_id: str, others: list[str], label: str) -> list[str]:
    if response.status_code != 400:
        return [f"answered {response.status_code}"]
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.find(class_="govuk-error-summary")
    links = [a.get("href", "") for a in summary.find_all("a")] if summary else []
    named = any(box_id.startswith(href.lstrip("#")) for href in links if href.strip("#"))
    wrong = [] if named else ["not named"]
    date_part = box_id.endswith(("-day", "-month", "-year"))
    too_long = label == "far over the length" and not date_part
    if too_long and "characters or fewer" not in summary.get_text():
        wrong.append("no length in the message")
    shown = {str(box.get("value", "")) for box in page.find_all("input")}
    shown |= {box.get_text().strip() for box in page.find_all("textarea")}
    return wrong + [f"lost {value!r}" for value in others if value not in shown]


@pytest.fixture
def unlimited_app(database_url: str) -> Iterator[Flask]:
    """Hundreds of refused answers in a minute: the rate limits would answer 429 first."""
    with rolled_back_app(database_url, {"RATELIMIT_ENABLED": False}) as test_app:
        yield test_app


@pytest.mark.parametrize("email", PERSONAS)
def test_hostile_answers_get_a_400_that_names_the_problem_and_save_nothing(
    unlimited_app: Flask, email: str
) -> None:
    app, client = unlimited_app, unlimited_app.test_client()
    db = app.extensions["database"].sessions()
    sign_in(client, email)
    found = forms_on_every_page(app, client, db)
    assert found, "no forms found"
    failures = []
    for endpoint, form in sorted(found.items()):
        before = row_counts(db)
        for box_id, label, sent in attempts(form):
            response = client.post(
                form.action,
                data=encoded(sent),
                content_type="application/x-www-form-urlencoded",
            )
            kept = [v for n, v in form.answers if n in form.kept and n != box_name(form, box_id)]
            problems = problems_with(response, box_id, kept, label)
            failures += [f"{endpoint} {box_id} {label}: {problem}" for problem in problems]
        if (after := row_counts(db)) != before:
            failures.append(f"{endpoint} wrote {dict(set(after.items()) - set(before.items()))}")
    assert failures == [], "\n".join(failures)


ANY_TEXT = st.text(
    st.one_of(st.characters(codec=None), st.sampled_from("\x00\ud800\u202e\u2066٣３=")),
    max_size=300,
)
# A form anyone may fill in, one a family member fills in, and one an administrator does.
REPRESENTATIVE = [
    (None, "/sign-in", ("email", "password")),
    (SAM, f"/your-data/items/{ELLIE_LANGUAGE}/correction", ("what_is_wrong", "should_say", "why")),
    ("portal.admin@example.com", "/staff/partners/new", ("code", "name", "description")),
]


@pytest.mark.parametrize(("email", "path", "names"), REPRESENTATIVE)
def test_arbitrary_text_in_representative_forms_never_gets_a_500(
    unlimited_app: Flask, email: str | None, path: str, names: tuple[str, ...]
) -> None:
    client = unlimited_app.test_client()
    if email:
        sign_in(client, email)
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    form = found_form(path, page.find("form", action=path))

    # The client is shared between examples: an answer that happens to be valid is saved
    # (rolled back after the test), which changes nothing that the next example relies on.
    @settings(max_examples=15)
    @given(st.lists(ANY_TEXT, min_size=len(names), max_size=len(names)))
    def post(values: list[str]) -> None:
        typed = dict(zip(names, values, strict=True))
        sent = [(name, typed.get(name, value)) for name, value in form.answers]
        response = client.post(
            path, data=encoded(sent), content_type="application/x-www-form-urlencoded"
        )
        response.close()
        assert response.status_code < 500

    post()
