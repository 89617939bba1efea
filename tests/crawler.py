"""The leak crawler's machinery (tests/web/test_no_leaks.py): every GET route in the URL map
with every identifier that exists, what each response lets a reader see, the same URL naming
nothing, and every log line."""

from __future__ import annotations

import io
import itertools
import logging
import re
import secrets
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from portal.models import (
    Attachment,
    Complaint,
    CopyRequest,
    CorrectionRequest,
    DataItem,
    GuardianRequest,
    Partner,
    Person,
)
from tests.leaks import Marker

# Arguments that name a record; the others (language, field) name no one.
# (A partner's code is not one: the partner register is public.)
IDENTIFIERS = {"person_id", "item_id", "request_id", "attachment_id", "reference", "token"}
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def text_in_zip(body: bytes) -> str:
    """A copy of someone's data: the PDF's text and the JSON, as a reader would see them."""
    found = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.endswith(".pdf"):
                reader = PdfReader(io.BytesIO(archive.read(name)))
                found += [" ".join(page.extract_text().split()) for page in reader.pages]
            else:
                found.append(archive.read(name).decode())
    return "\n".join(found)


def readable(response) -> str:
    """Everything a reader could get from a response: an HTML page's source (attributes too),
    a CSV or JSON file, the PDF and JSON in a ZIP."""
    body = response.get_data()
    if response.mimetype == "application/zip":
        return text_in_zip(body)
    return body.decode("utf-8", errors="replace")


def known_identifiers(db: Session, nothing: uuid.UUID) -> dict[str, list[str]]:
    """Every identifier that exists, and one that names nothing."""
    references = [
        *db.scalars(select(CorrectionRequest.reference)),
        *db.scalars(select(Complaint.reference)),
        *db.scalars(select(CopyRequest.reference)),
    ]
    return {
        "person_id": [str(i) for i in db.scalars(select(Person.id))] + [str(nothing)],
        "item_id": [str(i) for i in db.scalars(select(DataItem.id))] + [str(nothing)],
        "request_id": [str(i) for i in db.scalars(select(GuardianRequest.id))] + [str(nothing)],
        "reference": references,
        "token": ["not-a-real-token"],
        "language": ["cy", "en"],
        "field": ["name", "date_of_birth"],
        "code": list(db.scalars(select(Partner.code))),
        "attachment_id": [str(i) for i in db.scalars(select(Attachment.id))] + [str(nothing)],
    }


def crawled_rules(app: Flask) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.methods
        and "GET" in rule.methods
        and rule.endpoint != "static"
        # Signing in is the set-up, not a page to crawl (it would sign the persona out).
        and "sign_in" not in rule.endpoint
    ]


def urls(rule: Rule, known: dict[str, list[str]]) -> Iterator[tuple[str, dict[str, str]]]:
    names = sorted(rule.arguments)
    for values in itertools.product(*(known[name] for name in names)):
        arguments = dict(zip(names, values, strict=True))
        yield rule.build(arguments, append_unknown=False)[1], arguments


def every_url(app: Flask, known: dict[str, list[str]]) -> Iterator[str]:
    """Every crawled route with every combination of the `known` identifiers."""
    for rule in crawled_rules(app):
        for url, _ in urls(rule, known):
            yield url


class Twins:
    """For a URL with identifiers, the same URL naming nothing: the answer a real but
    forbidden identifier must give too."""

    def __init__(self, nothing: uuid.UUID) -> None:
        self.nothing = str(nothing)
        self.suffix = "".join(secrets.choice(_ALPHABET) for _ in range(8))

    def of(self, rule: Rule, arguments: dict[str, str]) -> str | None:
        if not IDENTIFIERS & arguments.keys():
            return None
        twin = {name: self.replace(name, value) for name, value in arguments.items()}
        return rule.build(twin, append_unknown=False)[1]

    def replace(self, name: str, value: str) -> str:
        if name == "reference":
            return f"{value.partition('-')[0]}-{self.suffix}"
        if name == "token":
            return "no-such-token"
        return self.nothing if name in IDENTIFIERS else value


@contextmanager
def every_log_line() -> Iterator[list[str]]:
    """Every record of every logger, from DEBUG up, formatted as a log file would hold it."""
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    root = logging.getLogger()
    handler, level = Keep(logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


MARKER = re.compile(r"LEAK-[0-9a-f]{32}")


def found_in(text: str, markers: dict[str, Marker], secrets_: list[Marker]) -> list[Marker]:
    """The markers in `text`: one pass for the seeded ones, a search for each secret."""
    seeded = [markers[m] for m in set(MARKER.findall(text)) if m in markers]
    return seeded + [m for m in secrets_ if m.text in text]


def crawl(app: Flask, client: FlaskClient, db: Session) -> tuple[list, list, set[str]]:
    """Every GET route with every identifier: the pages read, problems with status codes,
    and the kinds of file read."""
    nothing = uuid.uuid4()
    twins, answers, read = Twins(nothing), {}, set()
    pages, problems = [], []
    known = known_identifiers(db, nothing)
    for rule in crawled_rules(app):
        for url, arguments in urls(rule, known):
            response = client.get(url)
            status = response.status_code
            if status == 403:
                problems.append((url, "403 confirms it exists"))
            if status == 200:
                pages.append((url, readable(response)))
                read.add(response.mimetype)
            twin = twins.of(rule, arguments)
            if twin is not None and status != 200:
                if twin not in answers:
                    answered = client.get(twin)
                    answers[twin] = (answered.status_code, main_text(answered))
                    answered.close()
                mine = (status, main_text(response) if status == 404 else "")
                theirs = answers[twin] if status == 404 else (answers[twin][0], "")
                if mine != theirs:
                    problems.append((url, f"{status} where nothing answers {answers[twin][0]}"))
            response.close()
    return pages, problems, read


TAG = re.compile(r"<[^>]*>")


def text_of_html(body: str) -> str:
    """The words of a page (cheaper than parsing it: the crawl reads hundreds)."""
    return " ".join(TAG.sub(" ", body).split())


def main_text(response) -> str:
    """What a page says in its main part: a 404 for a forbidden record and one for nothing must
    say the same (the header's links differ only by the URL they return to)."""
    body = response.get_data(as_text=True)
    return text_of_html(body.partition("<main")[2].partition("</main>")[0])
