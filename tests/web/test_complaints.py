"""Complaints to the Data Protection Officer from the family's side: made signed in or not, a
question a page with "check your answers", sent once (DPA 2018 s164A). Following them and
replying: tests/web/test_your_complaints.py."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.models import (
    Attachment,
    AuditEvent,
    Complaint,
    Notification,
    NotificationKind,
)
from portal.tokens import hash_token
from portal.vocabulary import ComplaintStatus
from tests.conftest import person_id, sign_in
from tests.factories import link_in, outbox
from tests.pages import csrf_token, errors_of, text_of
from tests.unit.test_uploads import PDF_BYTES, png

WHAT = "You sent Ellie's school report to the wrong school.\n\nIt happened twice in May."
WANT = "Ask the other school to delete it, and tell me how it happened."
ROBIN = {
    "name": "Robin Example",
    "email": "robin@example.com",
    "phone": "07700 900123",
    "address": "1 High Street\nShrewsbury",
}


def answer(client: FlaskClient, path: str, **data: str) -> TestResponse:
    token = csrf_token(client.get("/complaints/new"))
    return client.post(path, data={"csrf_token": token, **data})


def upload(client: FlaskClient, path: str, files: list[tuple[bytes, str]]) -> TestResponse:
    """Posts files as a browser does; encoded in memory (the test client would spool a large
    body to a temporary file it never closes)."""
    fields: dict[str, object] = {"csrf_token": csrf_token(client.get("/complaints/new"))}
    boundary, body = encode_multipart(
        {
            **fields,
            "evidence": [
                FileStorage(io.BytesIO(content), filename=name) for content, name in files
            ],
        }
    )
    response = client.post(
        path, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    response.close()
    return response


def submission_key(page: TestResponse) -> str:
    html = page.get_data(as_text=True)
    return html.split('name="submission_key" type="hidden" value="')[1].split('"')[0]


def send(client: FlaskClient) -> tuple[TestResponse, dict[str, str]]:
    page = client.get("/complaints/new/check")
    assert page.status_code == 200, page.headers.get("Location")
    data = {"csrf_token": csrf_token(page), "submission_key": submission_key(page)}
    return client.post("/complaints/new/check", data=data), data


def answer_all_as_family(client: FlaskClient, about: str = "ellie") -> None:
    answer(client, "/complaints/new", category="unexpected_sharing")
    answer(client, "/complaints/new/person", about=str(person_id(about)) if about else "none")
    answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    answer(client, "/complaints/new/what-you-want", desired_outcome=WANT)
    answer(client, "/complaints/new/evidence")


def answer_all_without_account(client: FlaskClient, **details: str) -> None:
    answer(client, "/complaints/new", category="wrong_data")
    answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    answer(client, "/complaints/new/what-you-want", desired_outcome=WANT)
    answer(client, "/complaints/new/evidence")
    answer(client, "/complaints/new/your-details", **{**ROBIN, **details})


class Made:
    """The complaints made during a test (the demo data has complaints of its own)."""

    def __init__(self, db) -> None:
        self.db = db
        self.before = set(db.scalars(select(Complaint.id)))

    def __call__(self) -> list[Complaint]:
        self.db.expire_all()
        return [c for c in self.db.scalars(select(Complaint)) if c.id not in self.before]

    def only(self) -> Complaint:
        (complaint,) = self()
        return complaint


def about(db, complaint: Complaint, kind: str = "", action: str = "") -> list:
    """The complaint's emails to Sam (of `kind`), or audit events (of `action`)."""
    if action:
        events = db.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [e for e in events if e.detail.get("reference") == complaint.reference]
    emails = outbox(db, "sam.rivers@example.com")
    return [n for n in emails if n.personalisation.get("reference") == complaint.reference]


def attachment_count(db) -> int:
    return len(db.scalars(select(Attachment.id)).all())


def test_the_complaints_page_is_linked_from_the_start_page_the_footer_and_your_data(
    client: FlaskClient,
) -> None:
    start = client.get("/").get_data(as_text=True)
    assert 'href="/complaints"' in start
    page = text_of(client.get("/complaints"))
    assert "within 30 days" in page and "Information Commissioner's Office" in page
    sign_in(client, "sam.rivers@example.com")
    your_data = client.get("/your-data").get_data(as_text=True)
    assert 'href="/complaints"' in your_data and 'href="/your-complaints"' in your_data


def test_a_parent_complains_about_their_child_and_follows_it(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    step = answer(client, "/complaints/new", category="unexpected_sharing")
    assert step.headers["Location"] == "/complaints/new/person"
    choices = text_of(client.get("/complaints/new/person"))
    assert "You: Sam Rivers" in choices and "Ellie Rivers" in choices
    assert "Jamie" not in choices and "Not about one person" in choices
    step = answer(client, "/complaints/new/person", about=str(person_id("ellie")))
    assert step.headers["Location"] == "/complaints/new/what-happened"
    step = answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    assert step.headers["Location"] == "/complaints/new/what-you-want"
    step = answer(client, "/complaints/new/what-you-want", desired_outcome=WANT)
    assert step.headers["Location"] == "/complaints/new/evidence"
    step = answer(client, "/complaints/new/evidence")
    assert step.headers["Location"] == "/complaints/new/check"
    check = text_of(client.get("/complaints/new/check"))
    for shown in ("Information was shared in a way I did not expect", "Ellie Rivers", WANT):
        assert shown in check
    assert "It happened twice in May." in check
    assert made() == []  # nothing is saved before it is sent

    response, _ = send(client)
    assert response.headers["Location"] == "/complaints/sent"
    complaint = made.only()
    sent = text_of(client.get("/complaints/sent"))
    assert "Complaint sent" in sent and complaint.reference in sent
    assert complaint.about_person_id == person_id("ellie")
    assert complaint.complainant.email == "sam.rivers@example.com"
    assert complaint.status is ComplaintStatus.ACKNOWLEDGED
    assert complaint.response_due_on == statutory_due_date(london_today())
    assert complaint.what_happened == WHAT and complaint.desired_outcome == WANT

    listed = text_of(client.get("/your-complaints"))
    assert complaint.reference in listed and "Acknowledged" in listed
    page = text_of(client.get(f"/your-complaints/{complaint.reference}"))
    assert "Acknowledged" in page and "Ellie Rivers" in page and WANT in page
    assert "Information Commissioner's Office" in page


def test_a_signed_in_complainant_is_emailed_the_acknowledgement(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    complaint = made.only()
    (email,) = about(db, complaint)
    assert email.kind is NotificationKind.COMPLAINT_ACKNOWLEDGED
    assert link_in(email) == f"/your-complaints/{complaint.reference}"
    assert "Acknowledged" in text_of(client.get(link_in(email)))


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/complaints/new", {}, "Select what your complaint is about"),
        ("/complaints/new", {"category": "made_up"}, "Select what your complaint is about"),
        ("/complaints/new/person", {}, "Select who your complaint is about"),
        ("/complaints/new/what-happened", {"what_happened": "  "}, "Enter what happened"),
        (
            "/complaints/new/what-happened",
            {"what_happened": "x" * 2001},
            "What happened must be 2,000 characters or fewer",
        ),
        ("/complaints/new/what-you-want", {}, "Enter what you would like us to do"),
    ],
)
def test_each_question_says_what_is_missing_and_keeps_the_other_answers(
    client: FlaskClient, db, path: str, data: dict[str, str], message: str
) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    response = answer(client, path, **data)
    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert text_of(response).startswith("Error:") or "Error:" in response.get_data(as_text=True)
    check = text_of(client.get("/complaints/new/check"))
    assert WANT in check and "Ellie Rivers" in check
    assert made() == []


def test_pages_are_answered_in_order(client: FlaskClient) -> None:
    assert client.get("/complaints/new/what-you-want").headers["Location"] == "/complaints/new"
    assert client.get("/complaints/new/check").headers["Location"] == "/complaints/new"
    answer(client, "/complaints/new", category="security")
    assert client.get("/complaints/new/evidence").headers["Location"] == (
        "/complaints/new/what-happened"
    )
    # Someone without an account is not asked whom it is about.
    assert client.get("/complaints/new/person").status_code == 404


def test_an_answer_changed_from_the_check_page_returns_to_it(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    check = client.get("/complaints/new/check").get_data(as_text=True)
    assert 'href="/complaints/new/what-happened"' in check
    page = client.get("/complaints/new/what-happened")
    assert "It happened twice in May." in page.get_data(as_text=True)
    assert 'href="/complaints/new/check"' in page.get_data(as_text=True)  # the back link
    changed = answer(client, "/complaints/new/what-happened", what_happened="It was in June.")
    assert changed.headers["Location"] == "/complaints/new/check"
    changed = answer(client, "/complaints/new/person", about="none")
    assert changed.headers["Location"] == "/complaints/new/check"
    check = text_of(client.get("/complaints/new/check"))
    assert "It was in June." in check and "Not about one person" in check
    send(client)
    complaint = made.only()
    assert complaint.what_happened == "It was in June." and complaint.about_person_id is None


def test_a_second_click_or_a_resent_form_makes_one_complaint(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    first, data = send(client)
    complaint = made.only()
    emails = len(db.scalars(select(Notification.id)).all())
    again = client.post("/complaints/new/check", data=data)
    assert first.headers["Location"] == again.headers["Location"] == "/complaints/sent"
    assert made.only().submission_key == data["submission_key"]
    assert len(db.scalars(select(Notification.id)).all()) == emails  # no second email
    assert complaint.reference in text_of(client.get("/complaints/sent"))


def test_a_parent_cannot_name_a_young_person_who_has_not_shared(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer(client, "/complaints/new", category="wrong_data")
    forged = answer(client, "/complaints/new/person", about=str(person_id("jamie")))
    assert forged.status_code == 400
    assert errors_of(forged) == ["Select who your complaint is about"]
    assert "Jamie" not in text_of(forged)
    assert client.get("/complaints/new/what-happened").headers["Location"] == (
        "/complaints/new/person"
    )
    assert made() == []


def test_a_person_hidden_since_they_were_chosen_is_asked_about_again(
    client: FlaskClient, db
) -> None:
    made = Made(db)
    from portal.models import Person

    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client, about="ellie")
    # Ellie's date of birth is corrected: she is 15 and has not shared her record.
    ellie = db.get(Person, person_id("ellie"))
    ellie.date_of_birth = london_today().replace(year=london_today().year - 15) - dt.timedelta(1)
    db.commit()
    page = client.get("/complaints/new/check")
    data = {"csrf_token": csrf_token(page), "submission_key": submission_key(page)}
    response = client.post("/complaints/new/check", data=data)
    assert response.headers["Location"] == "/complaints/new/person"
    assert made() == []


def test_someone_without_an_account_complains_and_follows_the_emailed_link(
    client: FlaskClient, db
) -> None:
    made = Made(db)
    answer_all_without_account(client)
    check = text_of(client.get("/complaints/new/check"))
    assert "Robin Example" in check and "07700 900123" in check and "Shrewsbury" in check
    response, _ = send(client)
    complaint = made.only()
    assert complaint.complainant_account_id is None
    assert (complaint.complainant_name, complaint.complainant_email) == (
        "Robin Example",
        "robin@example.com",
    )
    assert complaint.complainant_phone == "07700 900123"
    sent = text_of(client.get(response.headers["Location"]))
    assert complaint.reference in sent and "emailed you a link" in sent

    (email,) = outbox(db, "robin@example.com")
    link = link_in(email)
    assert link.startswith("/complaints/follow/")
    reader = client.application.test_client()  # the email opened in another browser
    opened = reader.get(link)
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/complaints/yours/{complaint.reference}"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in opened.headers["X-Robots-Tag"]
    page = reader.get(opened.headers["Location"])
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert page.headers["Referrer-Policy"] == "same-origin"
    shown = text_of(page)
    assert complaint.reference in shown and WANT in shown and "Acknowledged" in shown

    token = csrf_token(page)
    reply = reader.post(
        f"/complaints/yours/{complaint.reference}/reply",
        data={"csrf_token": token, "text": "I have found the letter they sent."},
    )
    assert reply.status_code == 302
    shown = text_of(reader.get(reply.headers["Location"]))
    assert "Your message has been sent" in shown and "I have found the letter they sent." in shown
    assert "From you" in shown


def test_details_are_checked_for_someone_without_an_account(client: FlaskClient) -> None:
    answer(client, "/complaints/new", category="wrong_data")
    answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    answer(client, "/complaints/new/what-you-want", desired_outcome=WANT)
    answer(client, "/complaints/new/evidence")
    response = answer(
        client,
        "/complaints/new/your-details",
        name="",
        email="robin-at-example.com",
        phone="07700 900ABC",
        address="",
    )
    assert errors_of(response) == [
        "Enter your full name",
        "Enter an email address in the correct format, like name@example.com",
        "Enter a phone number, like 07700 900 982 or +44 7700 900 982",
    ]
    response = answer(client, "/complaints/new/your-details", name="Robin", email="", phone="")
    assert errors_of(response) == ["Enter your email address"]
    assert 'value="Robin"' in response.get_data(as_text=True)
    fine = answer(client, "/complaints/new/your-details", name="Robin", email="r@example.com")
    assert fine.headers["Location"] == "/complaints/new/check"


def test_evidence_goes_with_the_complaint_and_only_its_complainant_downloads_it(
    app: Flask, client: FlaskClient, db
) -> None:
    made = Made(db)
    drafts = Path(app.config["ATTACHMENTS_DIR"]) / "complaint-drafts"
    drafts_before = set(drafts.iterdir()) if drafts.exists() else set()
    sign_in(client, "sam.rivers@example.com")
    answer(client, "/complaints/new", category="security")
    answer(client, "/complaints/new/person", about="none")
    answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    answer(client, "/complaints/new/what-you-want", desired_outcome=WANT)
    step = upload(
        client,
        "/complaints/new/evidence",
        [(png(), "screenshot.png"), (PDF_BYTES, "letter.pdf")],
    )
    assert step.headers["Location"] == "/complaints/new/check"
    check = text_of(client.get("/complaints/new/check"))
    assert "screenshot.png" in check and "letter.pdf" in check
    send(client)
    complaint = made.only()
    assert sorted(a.original_name for a in complaint.attachments) == [
        "letter.pdf",
        "screenshot.png",
    ]
    pdf = next(a for a in complaint.attachments if a.original_name == "letter.pdf")
    path = f"/your-complaints/{complaint.reference}/files/{pdf.id}"
    download = client.get(path)
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data == PDF_BYTES
    download.close()
    assert set(drafts.iterdir()) <= drafts_before  # the draft and its files are gone
    other = app.test_client()
    sign_in(other, "alex.morgan@example.com")
    assert other.get(path).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script>", "letter.pdf", "must be a PDF, JPG or PNG"),
        (b"", "empty.png", "is empty"),
    ],
)
def test_a_refused_file_saves_nothing_and_keeps_the_answers(
    client: FlaskClient, db, content: bytes, name: str, message: str
) -> None:
    made = Made(db)
    files_before = attachment_count(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    response = upload(
        client, "/complaints/new/evidence", [(PDF_BYTES, "good.pdf"), (content, name)]
    )
    assert response.status_code == 400
    (error,) = errors_of(response)
    assert error.startswith(f"{name}: ") and message in error
    check = text_of(client.get("/complaints/new/check"))
    assert "good.pdf" not in check and WANT in check
    send(client)
    assert made.only().attachments == []
    assert attachment_count(db) == files_before


def test_no_more_than_five_files(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    response = upload(
        client, "/complaints/new/evidence", [(PDF_BYTES, f"{n}.pdf") for n in range(6)]
    )
    assert errors_of(response) == ["You can send up to 5 files"]


def test_a_file_can_be_taken_off_before_sending(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    upload(client, "/complaints/new/evidence", [(PDF_BYTES, "letter.pdf"), (png(), "photo.png")])
    page = client.get("/complaints/new/evidence")
    html = page.get_data(as_text=True)
    key = html.split('name="file" value="')[1].split('"')[0]
    removed = client.post(
        "/complaints/new/evidence/remove", data={"csrf_token": csrf_token(page), "file": key}
    )
    assert removed.headers["Location"] == "/complaints/new/evidence"
    assert len(text_of(client.get("/complaints/new/check")).split(".pdf")) == 1  # no letter
    send(client)
    assert [a.original_name for a in made.only().attachments] == ["photo.png"]


def test_a_child_waiting_for_a_guardian_complains_about_no_one_in_particular(
    client: FlaskClient, db
) -> None:
    made = Made(db)
    sign_in(client, "ellie.rivers@example.com")
    step = answer(client, "/complaints/new", category="other")
    assert step.headers["Location"] == "/complaints/new/what-happened"
    assert client.get("/complaints/new/person").status_code == 404
    answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    answer(client, "/complaints/new/what-you-want", desired_outcome=WANT)
    answer(client, "/complaints/new/evidence")
    send(client)
    complaint = made.only()
    assert complaint.about_person_id is None and complaint.complainant.person_id == person_id(
        "ellie"
    )


def test_answers_are_not_kept_once_sent_and_sending_again_says_so(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    assert client.get("/complaints/new/check").headers["Location"] == "/complaints/new"
    page = client.get("/complaints/new")
    assert "Information was shared" in text_of(page)  # the question, nothing chosen
    assert "checked" not in page.get_data(as_text=True)


def test_answers_left_for_two_hours_are_forgotten(app: Flask, client: FlaskClient) -> None:
    answer(client, "/complaints/new", category="other")
    answer(client, "/complaints/new/what-happened", what_happened=WHAT)
    with client.session_transaction() as session:
        key = session["complaint_draft"]
    drafts = Path(app.config["ATTACHMENTS_DIR"]) / "complaint-drafts"
    answers = drafts / hash_token(key) / "answers.json"
    saved = json.loads(answers.read_text(encoding="utf-8"))
    saved["saved_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat()
    answers.write_text(json.dumps(saved), encoding="utf-8")
    gone = client.get("/complaints/new/what-you-want")
    assert gone.headers["Location"] == "/complaints/new?expired=1"
    assert "Please start again" in text_of(client.get(gone.headers["Location"]))


def test_the_public_forms_are_rate_limited_by_address(client: FlaskClient) -> None:
    token = csrf_token(client.get("/complaints/new"))
    for path in ("/complaints/new", "/complaints/new/what-happened"):
        codes = [
            client.post(path, data={"csrf_token": token, "category": "other"}).status_code
            for _ in range(31)
        ]
        assert 429 not in codes[:30] and codes[30] == 429
