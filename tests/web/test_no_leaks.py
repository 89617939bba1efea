"""No page leaks what a family member must not see: every GET route in the URL map, with
every identifier that exists, for every family persona. A new route is covered without anyone
adding it to a list (issue 8 widens this to exports, emails and logs)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from portal.demo.synthetic import demo_id
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
from portal.models.columns import utc_now
from portal.services.copy_builds import build_copies
from portal.vocabulary import CopyStatus
from tests.conftest import sign_in
from tests.pages import text_of
from tests.web.test_corrections import ask

WITHHELD = ["MARAC"]
# What reveals the family's new address, restricted from Lee.
NEW_ADDRESS = [
    "14 Alder Close",
    "SY99 1AA",
    "Alder Vale",
    "Riverside Medical Practice",
    # the purpose of the police share that carried the address
    "To keep a child safe",
]
ELLIE = ["Asthma; inhaler kept at school", "Child in need plan"]
JAMIE = ["Youth caution", "Referred to BeeU"]
ALEX = ["No bank account", "Physiotherapy"]


def text_in_zip(response) -> str:
    """A copy of someone's data: the PDF's text and the JSON, as a reader would see them."""
    found = []
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        for name in archive.namelist():
            if name.endswith(".pdf"):
                reader = PdfReader(io.BytesIO(archive.read(name)))
                found += [" ".join(page.extract_text().split()) for page in reader.pages]
            else:
                found.append(archive.read(name).decode())
    return "\n".join(found)


# Every kind of response a family member can read: pages, and downloads such as the CSV and
# the copy of their data.
READABLE = {
    "text/html": text_of,
    "text/csv": lambda response: response.get_data(as_text=True),
    "application/json": lambda response: response.get_data(as_text=True),
    "application/zip": text_in_zip,
}

FORBIDDEN = {
    "sam.rivers@example.com": WITHHELD + JAMIE + ALEX,
    "alex.morgan@example.com": WITHHELD + ELLIE + JAMIE,
    "jamie.rivers@example.com": WITHHELD + ELLIE + ALEX,
    "ellie.rivers@example.com": WITHHELD + ELLIE + JAMIE + ALEX,
    "lee.rivers@example.com": WITHHELD + NEW_ADDRESS + JAMIE + ALEX,
}


def identifiers(db) -> dict[str, list[str]]:
    return {
        "person_id": [str(i) for i in db.scalars(select(Person.id))] + [str(uuid.uuid4())],
        "item_id": [str(i) for i in db.scalars(select(DataItem.id))],
        "request_id": [str(i) for i in db.scalars(select(GuardianRequest.id))],
        "reference": list(db.scalars(select(CorrectionRequest.reference)))
        + list(db.scalars(select(Complaint.reference)))
        + list(db.scalars(select(CopyRequest.reference)))
        + ["COR-NOTHING", "CMP-NOTHING", "SAR-NOTHING"],
        "token": ["not-a-real-token"],
        "language": ["cy", "en"],
        "field": ["name", "date_of_birth"],
        "code": list(db.scalars(select(Partner.code))),
        "attachment_id": [str(i) for i in db.scalars(select(Attachment.id))],
    }


def urls(app: Flask, known: dict[str, list[str]]) -> list[str]:
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or "sign_in" in rule.endpoint:
            continue
        names = sorted(rule.arguments)
        for values in itertools.product(*(known[name] for name in names)):
            found.append(rule.build(dict(zip(names, values, strict=True)), append_unknown=False)[1])
    return found


@pytest.mark.parametrize("email", FORBIDDEN)
def test_no_page_shows_a_family_member_what_they_must_not_see(
    app: Flask, client: FlaskClient, db, email: str
) -> None:
    # A correction request about an item that reveals the new address, made by the parent.
    parent = app.test_client()
    sign_in(parent, "sam.rivers@example.com")
    school = db.get(DataItem, demo_id("item:ellie-school"))
    ask(parent, school.id)

    released_copies(app, db)

    sign_in(client, email)
    leaks, read = [], set()
    for url in urls(app, identifiers(db)):
        response = client.get(url)
        if response.status_code == 200 and response.mimetype in READABLE:
            page = READABLE[response.mimetype](response)
            read.add(response.mimetype)
            leaks += [(url, marker) for marker in FORBIDDEN[email] if marker in page]
        response.close()
    assert leaks == []
    # Each persona who may ask for a copy downloaded theirs, and it was searched too.
    assert ("application/zip" in read) == any(asker == email for asker, _ in COPIES)


# Each persona's own copy, and the parent's copy of the 9-year-old's data.
COPIES = [
    ("sam.rivers@example.com", "sam"),
    ("sam.rivers@example.com", "ellie"),
    ("alex.morgan@example.com", "alex"),
    ("jamie.rivers@example.com", "jamie"),
    ("lee.rivers@example.com", "lee"),
]


def released_copies(app: Flask, db) -> None:
    """Built by the job and released, so that every download is crawled too."""
    from tests.web.test_copy_assembly import ask

    with app.app_context():
        requests = [ask(db, email, subject, str(n)) for n, (email, subject) in enumerate(COPIES)]
        now = utc_now()
        build_copies(db, app.config, Path(app.config["COPIES_DIR"]), now)
        for request in requests:
            db.refresh(request)
            request.status = CopyStatus.RELEASED
            request.released_at = now
            request.download_until = now + dt.timedelta(days=30)
        db.commit()
