"""Nothing leaks (issue 8): every restricted, withheld, staff-only and secret field holds a
unique marker (tests/leaks.py); then, for every persona in the demo data, every GET route in
the URL map is visited with every identifier that exists, every download read (CSV, JSON, the
PDF and JSON in a copy's ZIP), every email in the outbox rendered and every log line kept,
and no marker may reach anyone it is restricted from. A new route is covered without anyone
adding it to a list.

Staff: the DPO officer sees family records (their role needs them); the administrator sees
none. Nobody sees a secret (password and code hashes, two-step keys). No log line holds a
marker at all. A URL naming something the persona may not see answers 404, exactly as one
naming nothing, and nothing ever answers 403.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from portal.demo.synthetic import demo_id
from portal.models import (
    Account,
    CopyItemTreatment,
    CopyRequest,
    CorrectionEvent,
    CorrectionRequest,
    Notification,
    NotificationChannel,
    SharingEvent,
    SupplementaryStatement,
)
from portal.models.columns import utc_now
from portal.references import new_reference
from portal.services.copy_builds import build_copies
from portal.services.notifications import compose, compose_text_message
from portal.vocabulary import CopyReason, CopyStatus, CopyTreatment, CorrectionStatus, label
from tests.conftest import person_id, sign_in
from tests.crawler import crawl, every_log_line, found_in, text_of_html
from tests.databases import rolled_back_app
from tests.leaks import Marker, Persona, persona_for, secret_markers, seed_markers
from tests.web.test_complaints import ROBIN, answer_all_without_account, send
from tests.web.test_corrections import ask

PERSONAS = [
    "sam.rivers@example.com",
    "alex.morgan@example.com",
    "jamie.rivers@example.com",
    "ellie.rivers@example.com",
    "lee.rivers@example.com",
    "anonymous",
    "dpo.officer@example.com",
    "portal.admin@example.com",
]
# Set-up: records the demo lacks, so that each kind of marker has somewhere to be.

# Each persona's own copy, and the parent's copy of the 9-year-old's data.
COPIES = [
    ("sam.rivers@example.com", "sam"),
    ("sam.rivers@example.com", "ellie"),
    ("alex.morgan@example.com", "alex"),
    ("jamie.rivers@example.com", "jamie"),
    ("lee.rivers@example.com", "lee"),
]


def account_of(db: Session, email: str) -> Account:
    found = db.scalar(select(Account).where(Account.email == email))
    assert found is not None
    return found


def refused_correction_with_statement(db: Session) -> None:
    """Sam asked to correct Ellie's GP practice (restricted from Lee); refused, with Sam's
    supplementary statement beside it and an internal note."""
    sam, officer = (
        account_of(db, "sam.rivers@example.com"),
        account_of(db, "dpo.officer@example.com"),
    )
    today = dt.date.today()
    request = CorrectionRequest(
        reference=new_reference("COR"),
        submission_key=secrets.token_hex(16),
        item_id=demo_id("item:ellie-gp"),
        person_id=person_id("ellie"),
        requested_by_account_id=sam.id,
        received_on=today,
        what_is_wrong="-",
        should_say="-",
        why="-",
        status=CorrectionStatus.REFUSED,
        due_on=today + dt.timedelta(days=30),
        decided_by_account_id=officer.id,
        decided_at=utc_now(),
    )
    db.add(request)
    db.flush()
    db.add(
        CorrectionEvent(request_id=request.id, action="note", note="-", actor_account_id=officer.id)
    )
    db.add(
        SupplementaryStatement(
            item_id=request.item_id, request_id=request.id, account_id=sam.id, text="-"
        )
    )


def exemption_on_jamies_copy(db: Session) -> None:
    """An officer leaves Jamie's health note out of Jamie's demo copy request."""
    request = db.scalar(select(CopyRequest).where(CopyRequest.reference == "SAR-DEMQ2222"))
    assert request is not None
    db.add(
        CopyItemTreatment(
            copy_request_id=request.id,
            item_id=demo_id("item:jamie-health"),
            treatment=CopyTreatment.LEAVE_OUT,
            reason=CopyReason.HEALTH,
            note="-",
            decided_by_id=account_of(db, "dpo.officer@example.com").id,
        )
    )


def released_copies(app: Flask, db: Session) -> None:
    """Built by the job and released, so that every download is crawled too."""
    from tests.web.test_copy_assembly import ask as ask_for_copy

    with app.app_context():
        requests = [ask_for_copy(db, e, subject, str(n)) for n, (e, subject) in enumerate(COPIES)]
        now = utc_now()
        build_copies(db, app.config, Path(app.config["COPIES_DIR"]), now)
        for request in requests:
            db.refresh(request)
            request.status = CopyStatus.RELEASED
            request.released_at = now
            request.download_until = now + dt.timedelta(days=30)
        db.commit()


def complaint_without_an_account(app: Flask, db: Session) -> str:
    """Robin, who has no account, complains; the emailed link is how they follow it."""
    visitor = app.test_client()
    answer_all_without_account(visitor)
    assert send(visitor)[0].status_code == 302
    email = db.scalar(select(Notification).where(Notification.to_address == ROBIN["email"]))
    assert email is not None
    return email.personalisation["link"].removeprefix(app.config["PUBLIC_URL"])


def prepare(app: Flask, db: Session) -> tuple[list[Marker], str]:
    """The demo, with a correction request (Sam about Ellie's school, which is restricted from
    Lee), a refused one with a statement, an exemption, a complaint from someone without an
    account, markers everywhere, and released copies built from the marked record. Gives the
    markers and the link the complainant without an account follows."""
    parent = app.test_client()
    sign_in(parent, "sam.rivers@example.com")
    ask(parent, demo_id("item:ellie-school"))
    link = complaint_without_an_account(app, db)
    refused_correction_with_statement(db)
    exemption_on_jamies_copy(db)
    markers = seed_markers(db)
    db.commit()
    released_copies(app, db)
    return markers, link


# The crawl.


def signed_in_persona(client: FlaskClient, db: Session, who: str, link: str) -> Persona:
    """Signs the persona in; the one without an account opens the link to their complaint."""
    if who == "anonymous":
        assert client.get(link).status_code == 302
        return persona_for(db, None, ROBIN["email"])
    sign_in(client, who)
    return persona_for(db, account_of(db, who))


def hidden_sharing_purposes(db: Session, persona: Persona, markers: list[Marker]) -> list[str]:
    """DESIGN.md: a sharing event that carried an item the persona may not see is not shown to
    them: its purpose must not appear unless a visible event has the same one."""
    readable_items = {m.text for m in markers if m.may_read(persona)}
    shown, hidden = set(), set()
    for event in db.scalars(select(SharingEvent)):
        visible = all(item.value in readable_items for item in event.items)
        (shown if visible else hidden).add(str(label(event.purpose)))
    return sorted(hidden - shown) if persona.role is not None else []


@dataclass
class Prepared:
    app: Flask
    connection: Connection
    markers: list[Marker]
    set_up_log: list[str]
    # The emailed link with which the persona without an account follows their complaint.
    follow_link: str


@pytest.fixture(scope="module")
def prepared(database_url: str) -> Iterator[Prepared]:
    """Marking and building the copies once for every persona: each test then runs in a
    savepoint of its own, rolled back after it."""
    # Logging at DEBUG from before the engine exists, as a verbose production log would be.
    with every_log_line() as lines, rolled_back_app(database_url, {}) as app:
        db = app.extensions["database"].sessions()
        markers, link = prepare(app, db)
        db.close()
        yield Prepared(app, app.extensions["database"].sessions.kw["bind"], markers, lines, link)


@pytest.fixture
def crawled(prepared: Prepared) -> Iterator[Prepared]:
    savepoint = prepared.connection.begin_nested()
    try:
        yield prepared
    finally:
        savepoint.rollback()


@pytest.mark.parametrize("who", PERSONAS)
def test_no_page_file_or_log_shows_anyone_what_they_must_not_see(
    crawled: Prepared, who: str
) -> None:
    app = crawled.app
    db = app.extensions["database"].sessions()
    # A plain client: the crawl checks for leaks, tests/pages.py's checks run everywhere else.
    client = FlaskClient(app, app.response_class, use_cookies=True)
    with every_log_line() as log_lines:
        persona = signed_in_persona(client, db, who, crawled.follow_link)
        pages, problems, read = crawl(app, client, db)
    seeded = {m.text: m for m in crawled.markers}
    secrets_ = secret_markers(db)
    with app.test_request_context():
        hidden_purposes = hidden_sharing_purposes(db, persona, crawled.markers)
    db.close()
    leaks, seen = [], set()
    for url, body in pages:
        for marker in found_in(body, seeded, secrets_):
            seen.add(marker.text)
            if not marker.may_read(persona):
                leaks.append((url, marker.what))
        if hidden_purposes and body.lstrip().startswith("<!"):
            leaks += [(url, p) for p in hidden_purposes if p in text_of_html(body)]
    logged = [
        (line[:200], marker.what)
        for line in crawled.set_up_log + log_lines
        for marker in found_in(line, seeded, secrets_)
    ]
    assert problems == []
    assert leaks == []
    assert logged == []
    # The crawl did read what the persona may see: the markers are where the pages look.
    may_read = {m.text for m in crawled.markers if m.may_read(persona)}
    assert bool(seen & may_read) == bool(may_read)
    if persona.is_officer:
        kinds = {m.what for m in crawled.markers if m.text in seen}
        assert {"exemption note", "statement text"} <= kinds, kinds
    # Each persona who may ask for a copy downloaded theirs, and it was searched too.
    assert ("application/zip" in read) == (
        any(asker == who for asker, _ in COPIES) or persona.is_officer
    )


def test_no_email_tells_its_recipient_what_they_must_not_see(crawled: Prepared) -> None:
    """Every message in the outbox, written as delivery would send it, to whoever it goes to."""
    app, leaks, kinds = crawled.app, [], set()
    db = app.extensions["database"].sessions()
    seeded, secrets_ = {m.text: m for m in crawled.markers}, secret_markers(db)
    with app.app_context(), every_log_line() as log_lines:
        for notification in db.scalars(select(Notification)):
            account = db.scalar(select(Account).where(Account.email == notification.to_address))
            reader = persona_for(db, account, notification.to_address)
            if notification.channel is NotificationChannel.SMS:
                text = compose_text_message(notification).body
            else:
                email = compose(notification)
                text = f"{email.subject}\n{email.body}"
            kinds.add(notification.kind.value)
            leaks += [
                (notification.kind.value, reader.key, marker.what)
                for marker in found_in(text, seeded, secrets_)
                if not marker.may_read(reader)
            ]
    db.close()
    assert {"guardian_request", "copy_received", "complaint_acknowledged"} <= kinds
    assert leaks == []
    assert [line for line in log_lines if found_in(line, seeded, secrets_)] == []
