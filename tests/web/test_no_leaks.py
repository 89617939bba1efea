"""No page leaks what a family member must not see: every GET route in the URL map, with
every identifier that exists, for every family persona. A new route is covered without anyone
adding it to a list (issue 8 widens this to exports, emails and logs)."""

from __future__ import annotations

import itertools
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import (
    Attachment,
    Complaint,
    CorrectionRequest,
    DataItem,
    GuardianRequest,
    Partner,
    Person,
)
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

# Every kind of response a family member can read: pages, and downloads such as the CSV.
READABLE = {
    "text/html": text_of,
    "text/csv": lambda response: response.get_data(as_text=True),
    "application/json": lambda response: response.get_data(as_text=True),
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
        + ["COR-NOTHING", "CMP-NOTHING"],
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
    school = db.scalar(select(DataItem).where(DataItem.value == "Alder Vale Primary School"))
    ask(parent, school.id)

    sign_in(client, email)
    leaks = []
    for url in urls(app, identifiers(db)):
        response = client.get(url)
        if response.status_code == 200 and response.mimetype in READABLE:
            page = READABLE[response.mimetype](response)
            leaks += [(url, marker) for marker in FORBIDDEN[email] if marker in page]
        response.close()
    assert leaks == []
