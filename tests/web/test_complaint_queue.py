"""The DPO complaints queue: logging a complaint that came by post, email or phone; the queue's
filters and keyset pages; claiming and reassigning safely under concurrency; every status
change; internal notes that never reach the complainant; the outcome letter and the ICO."""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.ages import london_today
from portal.models import (
    Account,
    AuditEvent,
    Complaint,
    ComplaintEvent,
    Notification,
    NotificationKind,
)
from portal.services import complaint_handling, complaint_queue, complaints
from portal.services.complaint_letters import outcome_letter
from portal.services.complaint_queue import QueueFilter
from portal.services.complaints import Complainant, Raised
from portal.services.keyset import Cursor
from portal.services.notifications import compose
from portal.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
    ComplaintStatus,
)
from tests.conftest import person_id, sign_in
from tests.databases import keyed_engine
from tests.factories import DPO, another_officer, logged_complaint, outbox
from tests.pages import csrf_token, errors_of, text_of
from tests.races import all_at_once, race_database, race_session
from tests.web.test_query_counts import counted

SAM = "sam.rivers@example.com"
OFFICER = "dpo.officer@example.com"
ADMIN = "portal.admin@example.com"
QUEUE = "/staff/complaints"
ICO = "ico.org.uk or on 0303 123 1113"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, "PNG")
    return out.getvalue()


def stored(db: Session, reference: str) -> Complaint:
    db.expire_all()
    found = complaint_queue.by_reference(db, reference)
    assert found is not None
    return found


def act(staff: FlaskClient, reference: str, action: str, **fields: str):
    """Posts one of the complaint page's forms, with the page's CSRF token."""
    page = staff.get(f"{QUEUE}/{reference}")
    assert page.status_code == 200
    return staff.post(
        f"{QUEUE}/{reference}/{action}", data={"csrf_token": csrf_token(page), **fields}
    )


def outcome_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"].split("outcome=")[1]


def officer(db: Session) -> Account:
    found = db.get(Account, DPO)
    assert found is not None
    return found


LETTER = {
    "channel": "post",
    "complainant_name": "Morgan Postal",
    "complainant_address": "2 Letter Lane\nShrewsbury\nSY99 2BB",
    "language": "en",
    "category": ComplaintCategory.UNEXPECTED_SHARING.value,
    "what_happened": "My daughter's school was told about our housing",
    "desired_outcome": "Tell me why and stop doing it",
}


def log_form(staff: FlaskClient, about: uuid.UUID | None = None, **answers):
    """Fills in the log form (with a scanned letter unless `scans` is given); the response."""
    path = f"{QUEUE}/new" + (f"?about={about}" if about else "")
    page = staff.get(path)
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    received = answers.pop("received_on", london_today() - dt.timedelta(days=3))
    fields = {
        "csrf_token": csrf_token(page),
        "submission_key": soup.find("input", attrs={"name": "submission_key"})["value"],
        "about": soup.find("input", attrs={"name": "about"}).get("value", ""),
        "received_on": received.strftime("%d %m %Y").split() if received else ["", "", ""],
        "scans": FileStorage(io.BytesIO(png()), filename="scanned letter.png"),
        **LETTER,
        **answers,
    }
    boundary, body = encode_multipart(fields)
    response = staff.post(
        f"{QUEUE}/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    response.close()
    return response


def logged_reference(response) -> str:
    assert response.status_code == 302, text_of(response)[:800]
    return response.headers["Location"].split(f"{QUEUE}/")[1].split("?")[0]


def count(db: Session, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


# Logging a complaint that came by post, email or phone


def test_officer_logs_a_postal_complaint_about_a_person_with_a_scan(
    app: Flask, client: FlaskClient, db
) -> None:
    sign_in(client, OFFICER)
    chooser = BeautifulSoup(
        client.get(f"{QUEUE}/new/person?q=Ellie").get_data(as_text=True), "html.parser"
    )
    chosen = chooser.find("a", string=lambda s: s and "Choose Ellie Rivers" in s)["href"]
    assert chosen == f"{QUEUE}/new?about={person_id('ellie')}"
    notifications = count(db, Notification)

    received = london_today() - dt.timedelta(days=3)
    response = log_form(client, about=person_id("ellie"), received_on=received)
    reference = logged_reference(response)
    assert response.headers["Location"].endswith("outcome=logged")

    complaint = stored(db, reference)
    assert complaint.channel is ComplaintChannel.POST
    assert complaint.status is ComplaintStatus.NEW  # staff acknowledge logged complaints
    assert complaint.received_on == received
    assert complaint.acknowledgement_due_on == received + dt.timedelta(days=30)
    assert complaint.logged_by_account_id == DPO
    assert complaint.about_person_id == person_id("ellie")
    assert complaint.complainant_address == LETTER["complainant_address"]
    assert [a.original_name for a in complaint.attachments] == ["scanned letter.png"]
    assert count(db, Notification) == notifications  # nothing to email, nothing sent

    page = text_of(client.get(f"{QUEUE}/{reference}"))
    assert "You have logged the complaint" not in page  # the banner only follows the log
    assert "Morgan Postal" in page and "Ellie Rivers" in page and "scanned letter.png" in page
    link = f"{QUEUE}/{reference}/attachments/{complaint.attachments[0].id}"
    download = client.get(link)
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"] == "image/png"
    download.close()
    views = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "record.viewed",
            AuditEvent.subject_person_id == person_id("ellie"),
        )
    ).all()
    assert {event.detail["reason"] for event in views} == {"complaint"}
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.received"))


def test_a_complaint_about_nobody_in_particular_is_audited_as_the_complaint(
    client: FlaskClient, db
) -> None:
    sign_in(client, OFFICER)
    reference = logged_reference(log_form(client, scans=[]))
    assert stored(db, reference).about_person_id is None
    client.get(f"{QUEUE}/{reference}")
    viewed = db.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.viewed")).all()
    assert [event.detail["reference"] for event in viewed] == [reference]


def test_mistakes_are_shown_keeping_the_answers_and_nothing_is_saved(
    client: FlaskClient, db
) -> None:
    sign_in(client, OFFICER)
    before = count(db, Complaint)

    bad_file = log_form(
        client, scans=FileStorage(io.BytesIO(b"<html>not a scan</html>"), filename="a.pdf")
    )
    assert bad_file.status_code == 400
    assert errors_of(bad_file) == ["The selected file must be a PDF, JPG or PNG"]
    page = BeautifulSoup(bad_file.get_data(as_text=True), "html.parser")
    assert page.title.string.startswith("Error:")
    assert page.find("input", attrs={"name": "complainant_name"})["value"] == "Morgan Postal"
    assert (
        page.find("textarea", attrs={"name": "what_happened"}).string.strip()
        == (LETTER["what_happened"])
    )

    empty = log_form(
        client,
        channel="",
        complainant_name="",
        complainant_address="",
        category="",
        what_happened="",
        desired_outcome="",
        received_on=None,
    )
    assert errors_of(empty) == [
        "Select how the complaint arrived",
        "Enter the date the complaint was received",
        "Enter the complainant's full name",
        "Enter an email address, phone number or postal address",
        "Select what the complaint is about",
        "Enter what happened",
        "Enter what they want the council to do",
    ]
    future = log_form(client, received_on=london_today() + dt.timedelta(days=1))
    assert errors_of(future) == ["Date received must be today or in the past"]
    emailed = log_form(client, channel="email", complainant_email="")
    assert errors_of(emailed) == ["Enter the email address the complaint came from"]
    phone = log_form(client, complainant_phone="07700 900ABC")
    assert errors_of(phone) == ["Enter a phone number, like 07700 900 982 or +44 7700 900 982"]
    assert count(db, Complaint) == before


def test_the_same_form_sent_twice_logs_one_complaint(client: FlaskClient, db) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"{QUEUE}/new")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    fields = {
        "csrf_token": csrf_token(page),
        "submission_key": soup.find("input", attrs={"name": "submission_key"})["value"],
        "received_on": london_today().strftime("%d %m %Y").split(),
        **LETTER,
    }
    first = client.post(f"{QUEUE}/new", data=fields)
    second = client.post(f"{QUEUE}/new", data=fields)
    assert logged_reference(first) == logged_reference(second)


# The dates: from the day it arrived, through the one deadline function


@pytest.mark.parametrize(
    ("received_on", "acknowledge_by", "outcome_by"),
    [
        # Christmas Eve: 30 days is a Saturday, and the statute's 30 days are not moved;
        # a month is Sunday 24 January, so the next working day.
        (dt.date(2026, 12, 24), dt.date(2027, 1, 23), dt.date(2027, 1, 25)),
        # No 30 February: the last day of the month, a Sunday, so Monday 1 March.
        (dt.date(2027, 1, 30), dt.date(2027, 3, 1), dt.date(2027, 3, 1)),
        # A month after 25 November is Christmas Day; Boxing Day is a Saturday, so its
        # substitute bank holiday is Monday 28 December: the outcome is due Tuesday 29th.
        (dt.date(2026, 11, 25), dt.date(2026, 12, 25), dt.date(2026, 12, 29)),
        # The end of a 31-day month: 31 March + 1 month is 30 April 2027, a Friday.
        (dt.date(2027, 3, 31), dt.date(2027, 4, 30), dt.date(2027, 4, 30)),
    ],
)
def test_due_dates_count_from_the_day_the_complaint_arrived(
    app: Flask, db, received_on: dt.date, acknowledge_by: dt.date, outcome_by: dt.date
) -> None:
    logged_at = dt.datetime.combine(received_on + dt.timedelta(days=40), dt.time(10), dt.UTC)
    with app.app_context():
        complaint = complaint_handling.log_complaint(
            db,
            officer(db),
            channel=ComplaintChannel.POST,
            received_on=received_on,
            complainant=Complainant(name="Dates Test", address="1 Road"),
            raised=Raised(
                category=ComplaintCategory.OTHER,
                what_happened="W",
                desired_outcome="D",
                submission_key=uuid.uuid4().hex,
            ),
            now=logged_at,
            public_url="http://localhost",
            response_months=1,
            attachments_dir=None,
        )
    assert complaint.received_on == received_on
    assert complaint.acknowledgement_due_on == acknowledge_by
    assert complaint.response_due_on == outcome_by


def test_a_complaint_cannot_be_logged_as_received_tomorrow_or_online(app: Flask, db) -> None:
    now = dt.datetime.now(dt.UTC)
    raised = Raised(ComplaintCategory.OTHER, "W", "D", uuid.uuid4().hex)
    for channel, received_on in (
        (ComplaintChannel.POST, london_today(now) + dt.timedelta(days=1)),
        (ComplaintChannel.PORTAL, london_today(now)),
    ):
        with pytest.raises(ValueError):
            complaint_handling.log_complaint(
                db,
                officer(db),
                channel=channel,
                received_on=received_on,
                complainant=Complainant(name="N", address="A"),
                raised=raised,
                now=now,
                public_url="",
                response_months=1,
                attachments_dir=None,
            )


def test_days_spent_waiting_move_the_outcome_date_on(app: Flask, db) -> None:
    me = officer(db)
    complaint = logged_complaint(
        db, received_on=dt.date(2027, 1, 4), status=ComplaintStatus.INVESTIGATING, assigned_to=me
    )
    asked = dt.datetime(2027, 1, 11, 9, tzinfo=dt.UTC)
    with app.app_context():
        told = complaint_handling.wait_for_complainant(
            db, me, complaint, "Which letter do you mean?", asked, "http://localhost", None
        )
    assert told is complaint_handling.Told.POST  # a letter-writer without an email
    assert complaint.paused_on == dt.date(2027, 1, 11)
    answered = asked + dt.timedelta(days=9)
    assert complaint_handling.resume(db, me, complaint, answered, 1, None)
    db.refresh(complaint)
    # 4 February + 9 days = Saturday 13 February, so Monday 15 February.
    assert complaint.paused_days == 9 and complaint.paused_on is None
    assert complaint.response_due_on == dt.date(2027, 2, 15)
    assert complaint.status is ComplaintStatus.INVESTIGATING


# The queue


def rows_of(response) -> list[str]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [row.find("a").get_text() for row in page.select("tbody tr")]


def test_queue_is_sorted_by_the_next_due_date_with_overdue_and_due_soon_marked(
    client: FlaskClient, db
) -> None:
    mine = another_officer(db, "Sorting Officer")
    today = london_today()
    # New: due to be acknowledged 30 days after arrival; others: the outcome a month after.
    overdue = logged_complaint(db, received_on=today - dt.timedelta(days=31), assigned_to=mine)
    acknowledged = logged_complaint(
        db,
        received_on=today - dt.timedelta(days=20),
        status=ComplaintStatus.ACKNOWLEDGED,
        assigned_to=mine,
    )
    soon = logged_complaint(db, received_on=today - dt.timedelta(days=29), assigned_to=mine)
    later = logged_complaint(db, received_on=today, assigned_to=mine)
    answered = logged_complaint(
        db,
        received_on=today - dt.timedelta(days=60),
        status=ComplaintStatus.RESOLVED,
        assigned_to=mine,
    )
    sign_in(client, OFFICER)
    response = client.get(f"{QUEUE}?officer={mine.id}")
    expected = sorted(
        [overdue, acknowledged, soon, later], key=lambda c: (complaint_queue.next_due_on(c), c.id)
    )
    assert rows_of(response) == [c.reference for c in expected]
    rows = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("tbody tr")
    tags = {row.find("a").get_text(): row.get_text(" ") for row in rows}
    assert "Overdue" in tags[overdue.reference] and "Acknowledge by" in tags[overdue.reference]
    assert "Due soon" in tags[soon.reference]
    assert "Outcome by" in tags[acknowledged.reference]
    assert "Overdue" not in tags[later.reference] and "Due soon" not in tags[later.reference]
    assert answered.reference not in rows_of(response)  # open ones by default
    resolved = rows_of(client.get(f"{QUEUE}?officer={mine.id}&status=resolved"))
    assert resolved == [answered.reference]
    assert len(rows_of(client.get(f"{QUEUE}?officer={mine.id}&status=all"))) == 5


def test_queue_filters_by_status_category_officer_channel_and_overdue(
    client: FlaskClient, db
) -> None:
    today = london_today()
    me, other = officer(db), another_officer(db)
    mine = logged_complaint(db, category=ComplaintCategory.SECURITY, assigned_to=me)
    theirs = logged_complaint(
        db,
        category=ComplaintCategory.SECURITY,
        assigned_to=other,
        channel=ComplaintChannel.EMAIL,
        email="e@example.com",
    )
    nobodys = logged_complaint(
        db,
        category=ComplaintCategory.SECURITY,
        received_on=today - dt.timedelta(days=40),
        channel=ComplaintChannel.PHONE,
    )
    waiting = logged_complaint(
        db, category=ComplaintCategory.SECURITY, status=ComplaintStatus.WAITING, assigned_to=me
    )
    closed = logged_complaint(
        db,
        category=ComplaintCategory.SECURITY,
        status=ComplaintStatus.CLOSED,
        received_on=today - dt.timedelta(days=90),
    )
    elsewhere = logged_complaint(db, category=ComplaintCategory.WRONG_DATA, assigned_to=me)
    sign_in(client, OFFICER)

    made = {c.reference for c in (mine, theirs, nobodys, waiting, closed, elsewhere)}

    def shown(query: str) -> set[str]:
        """Which of these complaints the page shows (the demo data has complaints too)."""
        return made & set(rows_of(client.get(f"{QUEUE}?category=security&{query}")))

    assert shown("") == {mine.reference, theirs.reference, nobodys.reference, waiting.reference}
    assert shown("officer=mine") == {mine.reference, waiting.reference}
    assert shown("officer=unassigned") == {nobodys.reference}
    assert shown(f"officer={other.id}") == {theirs.reference}
    assert shown("channel=email") == {theirs.reference}
    assert shown("channel=phone") == {nobodys.reference}
    assert shown("status=waiting_for_complainant") == {waiting.reference}
    assert shown("status=closed") == {closed.reference}
    assert shown("overdue=y") == {nobodys.reference}  # closed ones are never overdue
    assert shown("overdue=y&status=closed") == set()
    assert elsewhere.reference in rows_of(client.get(f"{QUEUE}?officer=mine"))
    wrong = client.get(f"{QUEUE}?status=nonsense")
    assert "Select a status from the list" in errors_of(wrong)
    unknown = client.get(f"{QUEUE}?officer={uuid.uuid4()}")
    assert errors_of(unknown) == ["Select an officer from the list"]


def test_keyset_pages_show_every_complaint_once_with_the_same_number_of_queries(
    app: Flask, client: FlaskClient, db
) -> None:
    holder = another_officer(db, "Paging Officer")
    today = london_today()
    statuses = [ComplaintStatus.NEW, ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.WAITING]

    def add(n: int) -> list[Complaint]:
        made = [
            logged_complaint(
                db,
                # Several on each day, so that pages break inside a run of equal dates.
                received_on=today - dt.timedelta(days=number % 9),
                status=statuses[number % 3],
                assigned_to=holder,
                commit=False,
            )
            for number in range(n)
        ]
        db.commit()
        return made

    made = add(5)
    sign_in(client, OFFICER)
    first = f"{QUEUE}?officer={holder.id}"
    with counted(app) as few:
        assert len(rows_of(client.get(first))) == 5
    made += add(55)
    with counted(app) as many:
        assert len(rows_of(client.get(first))) == complaint_queue.PAGE_SIZE
    assert len(many) == len(few), "\n".join(s[:100] for s in ["FEW", *few, "MANY", *many])

    expected = [
        c.reference for c in sorted(made, key=lambda c: (complaint_queue.next_due_on(c), c.id))
    ]
    pages, url = [], first
    while url:
        response = client.get(url)
        pages.append(rows_of(response))
        link = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("a", rel="next")
        url = link["href"] if link else None
    assert [len(page) for page in pages] == [25, 25, 10]
    assert [ref for page in pages for ref in page] == expected

    # And back again from the last page, by the previous links, to the first.
    back: list[list[str]] = []
    link = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("a", rel="prev")
    while link:
        response = client.get(link["href"])
        back.insert(0, rows_of(response))
        link = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("a", rel="prev")
    assert back == pages[:-1]


def test_the_service_pages_backwards_and_forwards_by_cursor(db) -> None:
    holder = another_officer(db, "Cursor Officer")
    made = [
        logged_complaint(
            db,
            received_on=london_today() - dt.timedelta(days=n % 4),
            assigned_to=holder,
            commit=False,
        )
        for n in range(7)
    ]
    db.commit()
    wanted = QueueFilter(officer_id=holder.id)
    today = london_today()
    first = complaint_queue.page(db, wanted, today, size=3)
    second = complaint_queue.page(db, wanted, today, after=first.next, size=3)
    third = complaint_queue.page(db, wanted, today, after=second.next, size=3)
    assert first.previous is None and third.next is None
    assert len({c.id for p in (first, second, third) for c in p.complaints}) == len(made)
    again = complaint_queue.page(db, wanted, today, before=third.previous, size=3)
    assert again.complaints == second.complaints
    start = complaint_queue.page(db, wanted, today, before=again.previous, size=3)
    assert start.complaints == first.complaints and start.previous is None
    assert Cursor.parse(str(first.next)) == first.next
    assert Cursor.parse("2026-01-01_not-hex") is None and Cursor.parse(None) is None


# Claiming and reassigning


def test_two_officers_claiming_at_once_one_wins_and_the_other_is_told(
    client: FlaskClient, db
) -> None:
    complaint = logged_complaint(db)
    now = dt.datetime.now(dt.UTC)
    first, second = another_officer(db, "Dana First"), another_officer(db, "Eli Second")
    results = [
        complaint_handling.claim(db, who, stored(db, complaint.reference), now, None)
        for who in (first, second)
    ]
    assert results == [True, False]
    assert stored(db, complaint.reference).assigned_account_id == first.id

    sign_in(client, OFFICER)
    lost = act(client, complaint.reference, "claim")
    assert outcome_of(lost) == "claim-lost"
    page = text_of(client.get(lost.headers["Location"]))
    assert "Another officer claimed this complaint first" in page
    assert "Dana First, Information Governance holds this complaint" in page
    refused = act(client, complaint.reference, "note", note_text="Trying anyway")
    assert outcome_of(refused) == "not-allowed"
    assert [e.action for e in stored(db, complaint.reference).events] == ["claimed"]


def test_any_officer_reassigns_saying_why_and_a_stale_page_changes_nothing(
    client: FlaskClient, db
) -> None:
    holder, successor = another_officer(db, "Away Officer"), another_officer(db, "Cover Officer")
    complaint = logged_complaint(db, assigned_to=holder)
    sign_in(client, OFFICER)
    moved = act(
        client,
        complaint.reference,
        "reassign",
        holder=str(holder.id),
        reassign_to=str(successor.id),
        reassign_reason="Away for three weeks",
    )
    assert outcome_of(moved) == "reassigned"
    assert stored(db, complaint.reference).assigned_account_id == successor.id
    event = stored(db, complaint.reference).events[-1]
    assert (event.action, event.actor_account_id, event.visible_to_complainant) == (
        "reassigned",
        DPO,
        False,
    )
    assert event.note == "Cover Officer: Away for three weeks"
    audit = db.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.reassigned"))
    assert audit.detail == {"reference": complaint.reference, "to": str(successor.id)}

    # The same form again: the page said the away officer held it, which is no longer true.
    stale = act(
        client,
        complaint.reference,
        "reassign",
        holder=str(holder.id),
        reassign_to=str(DPO),
        reassign_reason="Taking it over",
    )
    assert outcome_of(stale) == "reassign-lost"
    assert stored(db, complaint.reference).assigned_account_id == successor.id
    same = act(
        client,
        complaint.reference,
        "reassign",
        holder=str(successor.id),
        reassign_to=str(successor.id),
        reassign_reason="No change",
    )
    assert "Select an officer other than the one who holds it" in errors_of(same)
    assert "Enter why you are reassigning it" in errors_of(
        act(client, complaint.reference, "reassign", holder="", reassign_to=str(DPO))
    )


def test_an_officer_releases_a_complaint_for_anyone_to_claim(client: FlaskClient, db) -> None:
    complaint = logged_complaint(db, assigned_to=officer(db))
    sign_in(client, OFFICER)
    assert outcome_of(act(client, complaint.reference, "release")) == "released"
    assert stored(db, complaint.reference).assigned_account_id is None
    assert "Claim this complaint" in text_of(client.get(f"{QUEUE}/{complaint.reference}"))
    assert outcome_of(act(client, complaint.reference, "release")) == "not-allowed"


# Every status change, and what the complainant is told


def test_a_postal_complaint_goes_through_every_status_and_the_officer_posts_the_news(
    client: FlaskClient, db
) -> None:
    sign_in(client, OFFICER)
    reference = logged_reference(log_form(client))
    notifications = count(db, Notification)

    def status() -> ComplaintStatus:
        return stored(db, reference).status

    assert outcome_of(act(client, reference, "acknowledge")) == "not-allowed"  # not claimed
    assert outcome_of(act(client, reference, "claim")) == "claimed"
    assert outcome_of(act(client, reference, "resolve", outcome="upheld", explanation="x")) == (
        "not-allowed"
    )
    acknowledged = act(client, reference, "acknowledge")
    assert outcome_of(acknowledged) == "acknowledged-post"
    assert "Send it to them by post" in text_of(client.get(acknowledged.headers["Location"]))
    assert status() is ComplaintStatus.ACKNOWLEDGED
    assert stored(db, reference).acknowledged_at is not None
    assert outcome_of(act(client, reference, "investigate")) == "investigating"
    assert status() is ComplaintStatus.INVESTIGATING
    waiting = act(client, reference, "wait", question_text="Which school do you mean?")
    assert outcome_of(waiting) == "waiting-post"
    assert status() is ComplaintStatus.WAITING
    assert stored(db, reference).paused_on == london_today()
    assert outcome_of(act(client, reference, "resume")) == "resumed"
    assert status() is ComplaintStatus.INVESTIGATING
    assert outcome_of(act(client, reference, "message", message_text="We are checking")) == (
        "messaged-post"
    )
    resolved = act(
        client, reference, "resolve", outcome="partly_upheld", explanation="We told the school."
    )
    assert outcome_of(resolved) == "resolved-post"
    assert "Print the letter below" in text_of(client.get(resolved.headers["Location"]))
    complaint = stored(db, reference)
    assert complaint.status is ComplaintStatus.RESOLVED and complaint.resolved_at is not None
    assert complaint.outcome_text.startswith("Dear Morgan Postal,")
    assert "We told the school." in complaint.outcome_text
    assert outcome_of(act(client, reference, "close")) == "closed"
    assert status() is ComplaintStatus.CLOSED and stored(db, reference).closed_at is not None
    assert "Enter why you are reopening it" in errors_of(act(client, reference, "reopen"))
    assert outcome_of(act(client, reference, "reopen", reopen_reason="New evidence")) == (
        "reopened"
    )
    complaint = stored(db, reference)
    assert complaint.status is ComplaintStatus.INVESTIGATING and complaint.closed_at is None
    act(client, reference, "resolve", outcome="upheld", explanation="Upheld after all.")

    complaint = stored(db, reference)
    assert "Upheld after all." in complaint.outcome_text
    assert [(e.action, e.visible_to_complainant) for e in complaint.events] == [
        ("received", False),
        ("claimed", False),
        ("acknowledged", True),
        ("investigating", True),
        ("waiting", True),
        ("resumed", True),
        ("resolved", True),
        ("closed", True),
        ("reopened", True),
        ("earlier_outcome", False),  # the first letter, kept
        ("resolved", True),
    ]
    notes = {e.action: e.note for e in complaint.events}
    assert notes["waiting"] == "Which school do you mean?"
    assert notes["reopened"] == "New evidence"
    assert "We told the school." in notes["earlier_outcome"]
    assert [m.text for m in complaint.messages] == [
        "Which school do you mean?",
        "We are checking",
    ]
    assert count(db, Notification) == notifications  # no email address: nothing emailed
    actions = Counter(
        db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("complaint.%")))
    )
    for action in (
        "complaint.received",
        "complaint.claimed",
        "complaint.acknowledged",
        "complaint.investigating",
        "complaint.waiting",
        "complaint.resumed",
        "complaint.message_sent",
        "complaint.closed",
        "complaint.reopened",
        "complaint.viewed",
    ):
        assert actions[action] >= 1, action
    assert actions["complaint.resolved"] == 2


def test_an_emailed_complaint_is_acknowledged_with_a_link_and_told_of_news_not_its_content(
    app: Flask, client: FlaskClient, db
) -> None:
    sign_in(client, OFFICER)
    address = f"{uuid.uuid4().hex[:8]}@example.com"
    reference = logged_reference(
        log_form(client, channel="email", complainant_email=address, language="en")
    )
    act(client, reference, "claim")
    assert outcome_of(act(client, reference, "acknowledge")) == "acknowledged"
    complaint = stored(db, reference)
    assert complaint.access_token_hash is not None
    (acknowledgement,) = outbox(db, address)
    assert acknowledgement.kind is NotificationKind.COMPLAINT_ACKNOWLEDGED
    link = acknowledgement.personalisation["link"]
    assert "/complaints/follow/" in link
    assert complaints.by_access_token(db, link.rsplit("/", 1)[1]).reference == reference

    secret = "INTERNAL-NOTE-MARKER the caller sounded upset"
    assert outcome_of(act(client, reference, "note", note_text=secret)) == "noted"
    act(client, reference, "investigate")
    message = "MESSAGE-TEXT-MARKER please send the letter"
    assert outcome_of(act(client, reference, "message", message_text=message)) == "messaged"
    act(client, reference, "resolve", outcome="not_upheld", explanation="EXPLANATION-MARKER")

    emails = outbox(db, address)
    assert [e.kind for e in emails] == [
        NotificationKind.COMPLAINT_ACKNOWLEDGED,
        NotificationKind.COMPLAINT_MESSAGE,
        NotificationKind.COMPLAINT_OUTCOME,
    ]
    with app.app_context():
        bodies = [compose(email) for email in emails]
    for email in bodies:
        for marker in ("INTERNAL-NOTE-MARKER", "MESSAGE-TEXT-MARKER", "EXPLANATION-MARKER"):
            assert marker not in email.subject + email.body
    assert bodies[1].subject == f"You have a new message about your complaint {reference}"
    assert "use the link in our first email" in bodies[1].body
    assert bodies[2].subject == f"We have answered your complaint {reference}"
    assert ICO in bodies[2].body
    note = next(e for e in stored(db, reference).events if e.action == "note")
    assert note.visible_to_complainant is False and note.note == secret


def test_a_signed_in_complainant_is_emailed_a_link_to_their_complaint(
    app: Flask, client: FlaskClient, db
) -> None:
    sam = db.scalar(select(Account).where(Account.email == SAM))
    with app.app_context():
        received = complaints.raise_complaint(
            db,
            complainant=Complainant(account=sam),
            raised=Raised(
                ComplaintCategory.WRONG_DATA,
                "Wrong school",
                "Fix it",
                uuid.uuid4().hex,
                about=sam.person,
            ),
            channel=ComplaintChannel.PORTAL,
            now=dt.datetime.now(dt.UTC),
            public_url="http://localhost",
        )
    reference = received.complaint.reference
    sign_in(client, OFFICER)
    act(client, reference, "claim")
    act(client, reference, "note", note_text="INTERNAL-NOTE-MARKER")
    assert outcome_of(act(client, reference, "message", message_text="Hello")) == "messaged"
    message = outbox(db, SAM)[-1]
    assert message.kind is NotificationKind.COMPLAINT_MESSAGE
    assert message.personalisation["link"] == f"http://localhost/your-complaints/{reference}"
    with app.app_context():
        email = compose(message)
    assert "INTERNAL-NOTE-MARKER" not in email.body and "Hello" not in email.body
    assert f"http://localhost/your-complaints/{reference}" in email.body
    assert all("INTERNAL-NOTE-MARKER" not in str(n.personalisation) for n in outbox(db, SAM))


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("outcome", list(ComplaintOutcome))
def test_every_outcome_letter_ends_with_how_to_complain_to_the_ico(
    app: Flask, db, outcome: ComplaintOutcome, language: str
) -> None:
    complaint = logged_complaint(db, received_on=dt.date(2026, 11, 2))
    complaint.language = language
    explanation = "We found the school was told in error. ico.org.uk is not in this sentence."
    with app.app_context():
        letter = outcome_letter(complaint, outcome, explanation.replace("ico.org.uk ", ""))
    last = letter.strip().split("\n\n")[-1]
    assert "ico.org.uk" in last and "0303 123 1113" in last
    assert "Information Commissioner" in last or "Comisiynydd Gwybodaeth" in last
    assert letter.startswith(f"Dear {complaint.complainant_name},") or language == "cy"
    assert complaint.reference in letter and "We found the school was told in error." in letter


def test_an_outcome_letter_keeps_the_ico_even_if_a_translation_loses_it(
    app: Flask, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.services import complaint_letters

    original = complaint_letters.ico_paragraph
    translated = iter(["Cwyno i'r Comisiynydd.", original()])
    monkeypatch.setattr(complaint_letters, "ico_paragraph", lambda: next(translated))
    complaint = logged_complaint(db)
    with app.app_context():
        letter = outcome_letter(complaint, ComplaintOutcome.UPHELD, "Sorry.")
    assert letter.rstrip().endswith(ICO + ".")


# Who may see any of it


def test_staff_home_links_officers_to_the_queue(client: FlaskClient) -> None:
    sign_in(client, OFFICER)
    home = BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser")
    assert home.find("a", href=QUEUE).get_text() == "Complaints"


def test_an_unknown_reference_or_attachment_is_404(client: FlaskClient, db) -> None:
    complaint = logged_complaint(db)
    sign_in(client, OFFICER)
    page = client.get(QUEUE)
    assert client.get(f"{QUEUE}/CMP-NOTHING1").status_code == 404
    assert client.get(f"{QUEUE}/{complaint.reference}/attachments/{uuid.uuid4()}").status_code == (
        404
    )
    assert client.get(f"{QUEUE}/new?about={uuid.uuid4()}").status_code == 404
    data = {"csrf_token": csrf_token(page)}
    assert client.post(f"{QUEUE}/CMP-NOTHING1/claim", data=data).status_code == 404


ACTIONS = [
    "claim",
    "release",
    "reassign",
    "acknowledge",
    "investigate",
    "wait",
    "resume",
    "note",
    "message",
    "resolve",
    "close",
    "reopen",
]


@pytest.mark.parametrize(
    ("email", "token_page"), [(SAM, "/your-data"), (ADMIN, "/staff"), (None, "/sign-in")]
)
def test_families_administrators_and_strangers_get_404_on_every_staff_complaint_page(
    client: FlaskClient, db, email: str | None, token_page: str
) -> None:
    staff = client.application.test_client()
    sign_in(staff, OFFICER)
    reference = logged_reference(log_form(staff, about=person_id("ellie")))
    attachment = stored(db, reference).attachments[0]
    events = len(stored(db, reference).events)
    if email:
        sign_in(client, email)
    token = csrf_token(client.get(token_page))
    for path in (
        QUEUE,
        f"{QUEUE}/new",
        f"{QUEUE}/new/person?q=Rivers",
        f"{QUEUE}/{reference}",
        f"{QUEUE}/{reference}/attachments/{attachment.id}",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{QUEUE}/new", data={"csrf_token": token}).status_code == 404
    for action in ACTIONS:
        path = f"{QUEUE}/{reference}/{action}"
        response = client.post(path, data={"csrf_token": token, "note_text": "x"})
        assert response.status_code == 404, path
    complaint = stored(db, reference)
    assert complaint.assigned_account_id is None and len(complaint.events) == events


# Concurrent claims and reassignments need committed rows that other connections can see, so
# they run against a database of their own instead of the per-test rolled-back transaction.

COMPLAINTS = 20


@pytest.fixture(scope="module")
def race(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    def complaints(session: Session) -> list[str]:
        made = [logged_complaint(session, commit=False) for _ in range(COMPLAINTS)]
        session.flush()
        return [complaint.reference for complaint in made]

    with race_database(tmp_path_factory.mktemp("complaint-claims"), complaints) as race:
        yield race


def test_eight_officers_claiming_at_once_claim_each_complaint_once(
    race: tuple[str, list[str]],
) -> None:
    url, references = race
    engine = keyed_engine(url)
    wins: list[tuple[str, str]] = []

    def officer_claims(n: int, start: threading.Barrier) -> None:
        with race_session(engine) as session:
            me = session.scalar(select(Account).where(Account.email == f"officer{n}@example.com"))
            session.commit()
            start.wait(timeout=30)
            for reference in references:
                complaint = complaint_queue.by_reference(session, reference)
                if complaint_handling.claim(session, me, complaint, dt.datetime.now(dt.UTC), None):
                    wins.append((reference, me.email))

    assert all_at_once(officer_claims) == []
    assert sorted(reference for reference, _ in wins) == sorted(references)
    with race_session(engine) as session:
        claimed = session.scalars(
            select(Complaint).where(Complaint.reference.in_(references))
        ).all()
        owners = {a.id: a.email for a in session.scalars(select(Account))}
        assert {(c.reference, owners[c.assigned_account_id]) for c in claimed} == set(wins)
        events = Counter(
            session.scalars(
                select(ComplaintEvent.complaint_id).where(
                    ComplaintEvent.action == "claimed",
                    ComplaintEvent.complaint_id.in_([c.id for c in claimed]),
                )
            )
        )
        assert sorted(events.values()) == [1] * COMPLAINTS
    engine.dispose()


def test_eight_officers_reassigning_at_once_only_one_moves_it(
    race: tuple[str, list[str]],
) -> None:
    """Each saw the complaint held by its claimant and gives it to themselves."""
    url, references = race
    engine = keyed_engine(url)
    reference = references[0]
    with race_session(engine) as session:
        holder = complaint_queue.by_reference(session, reference).assigned_account_id
    moved: list[str] = []

    def officer_reassigns(n: int, start: threading.Barrier) -> None:
        with race_session(engine) as session:
            me = session.scalar(select(Account).where(Account.email == f"officer{n}@example.com"))
            complaint = complaint_queue.by_reference(session, reference)
            session.commit()
            start.wait(timeout=30)
            if me.id != holder and complaint_handling.reassign(
                session,
                me,
                complaint,
                expected=holder,
                to=me,
                reason="Covering",
                now=dt.datetime.now(dt.UTC),
                session_ref=None,
            ):
                moved.append(me.email)

    assert all_at_once(officer_reassigns) == []
    assert len(moved) == 1
    with race_session(engine) as session:
        complaint = complaint_queue.by_reference(session, reference)
        assert session.get(Account, complaint.assigned_account_id).email == moved[0]
        reassigned = [e for e in complaint.events if e.action == "reassigned"]
        assert len(reassigned) == 1
    engine.dispose()
