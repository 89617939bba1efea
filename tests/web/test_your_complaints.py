"""Following a complaint from the family's side: only its complainant sees it (signed in, or
through the emailed link in the browser that opened it), never an internal note or an
officer's name; replies and evidence until it is closed, a reply restarting a paused clock."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.models import Account, Complaint, ComplaintEvent, ComplaintMessage
from portal.services.notifications import compose
from portal.vocabulary import ComplaintStatus
from tests.conftest import sign_in
from tests.factories import DPO, link_in, outbox
from tests.pages import csrf_token, errors_of, text_of
from tests.unit.test_uploads import png
from tests.web.test_complaints import (
    Made,
    about,
    answer_all_as_family,
    answer_all_without_account,
    attachment_count,
    send,
    upload,
)


def test_an_unknown_link_is_404_and_not_indexed(client: FlaskClient) -> None:
    response = client.get("/complaints/follow/not-a-real-token")
    assert response.status_code == 404
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert client.get("/complaints/yours/CMP-NOTHING").status_code == 404


def test_a_link_opens_nothing_in_a_browser_that_did_not_follow_it(
    app: Flask, client: FlaskClient, db
) -> None:
    made = Made(db)
    answer_all_without_account(client)
    send(client)
    reference = made.only().reference
    stranger = app.test_client()
    assert stranger.get(f"/complaints/yours/{reference}").status_code == 404
    assert (
        client.get(f"/complaints/yours/{reference}").status_code == 404
    )  # sending is not following


def test_someone_elses_complaint_is_404(app: Flask, client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    reference = made.only().reference
    assert client.get(f"/your-complaints/{reference}").status_code == 200
    for email in ("alex.morgan@example.com", "lee.rivers@example.com"):
        other = app.test_client()
        sign_in(other, email)
        assert other.get(f"/your-complaints/{reference}").status_code == 404
        assert reference not in text_of(other.get("/your-complaints"))
    assert client.get("/your-complaints/CMP-NOTHING").status_code == 404
    assert app.test_client().get(f"/your-complaints/{reference}").status_code in {302, 404}


SECRET_NOTE = "INTERNAL: the school says the father phoned them"


def note_and_ask(db, complaint: Complaint) -> None:
    """What an officer's work leaves on a complaint: an internal note, a visible request for
    more, and a message."""
    now = dt.datetime.now(dt.UTC)
    for action, note, visible in [
        ("note", SECRET_NOTE, False),
        ("waiting", "Please send us the letter you mention.", True),
    ]:
        complaint.events.append(
            ComplaintEvent(
                at=now,
                actor_account_id=DPO,
                action=action,
                note=note,
                visible_to_complainant=visible,
            )
        )
    complaint.messages.append(
        ComplaintMessage(
            at=now, from_complainant=False, author_account_id=DPO, text="Thank you for writing."
        )
    )
    complaint.status = ComplaintStatus.WAITING
    db.commit()


def test_internal_notes_never_reach_the_complainant(app: Flask, client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    stranger = app.test_client()
    answer_all_without_account(stranger)
    send(stranger)
    officer = db.get(Account, DPO)
    for complaint in made():
        note_and_ask(db, complaint)
    (robins,) = [c for c in made() if c.complainant_account_id is None]
    (sams,) = [c for c in made() if c.complainant_account_id is not None]
    pages = [client.get(f"/your-complaints/{sams.reference}")]
    pages.append(stranger.get(link_in(outbox(db, "robin@example.com")[0]), follow_redirects=True))
    assert robins.reference in text_of(pages[1])
    for page in map(text_of, pages):
        assert "Please send us the letter you mention." in page and "Thank you for writing." in page
        assert "From the Data Protection Officer's team" in page
        assert "INTERNAL" not in page and "phoned" not in page
        assert officer.display_name not in page and officer.email not in page
    with app.app_context():
        emails = [compose(n) for n in outbox(db, "robin@example.com") + about(db, sams)]
    assert emails and all("INTERNAL" not in e.subject + e.body for e in emails)
    assert all(SECRET_NOTE not in str(n.personalisation) for n in outbox(db, "robin@example.com"))


def test_a_reply_restarts_a_paused_clock_and_moves_the_date_on(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    complaint = made.only()
    complaint.status = ComplaintStatus.WAITING
    complaint.paused_on = london_today() - dt.timedelta(days=10)
    db.commit()
    path = f"/your-complaints/{complaint.reference}"
    page = client.get(path)
    assert "Waiting for your reply" in text_of(page)
    response = client.post(
        f"{path}/reply", data={"csrf_token": csrf_token(page), "text": "Here is the letter."}
    )
    assert response.headers["Location"] == f"{path}?sent=reply"
    complaint = made.only()
    assert complaint.status is ComplaintStatus.INVESTIGATING
    assert complaint.paused_days == 10 and complaint.paused_on is None
    assert complaint.response_due_on == statutory_due_date(complaint.received_on, paused_days=10)
    assert [(m.from_complainant, m.text) for m in complaint.messages] == [
        (True, "Here is the letter.")
    ]
    assert about(db, complaint, action="complaint.replied")
    # The same message again (a second click) is kept once.
    client.post(
        f"{path}/reply", data={"csrf_token": csrf_token(page), "text": "Here is the letter."}
    )
    assert len(made.only().messages) == 1


def test_an_empty_reply_is_asked_for_again(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    path = f"/your-complaints/{made.only().reference}"
    page = client.get(path)
    response = client.post(f"{path}/reply", data={"csrf_token": csrf_token(page), "text": " "})
    assert response.status_code == 400
    assert errors_of(response) == ["Enter your message"]
    assert made.only().messages == []


def test_evidence_added_later_is_checked_first(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    path = f"/your-complaints/{made.only().reference}"
    files_before = attachment_count(db)
    refused = upload(client, f"{path}/evidence", [(b"MZ\x90\x00", "run.exe")])
    assert refused.status_code == 400
    assert errors_of(refused) == ["run.exe: The selected file must be a PDF, JPG or PNG"]
    assert attachment_count(db) == files_before
    nothing = upload(client, f"{path}/evidence", [])
    assert errors_of(nothing) == ["Select a file to add"]
    added = upload(client, f"{path}/evidence", [(png(), "photo.png")])
    assert added.headers["Location"] == f"{path}?sent=evidence"
    assert [a.original_name for a in made.only().attachments] == ["photo.png"]
    assert about(db, made.only(), action="complaint.evidence_added")
    upload(client, f"{path}/evidence", [(png(), "photo.png")])  # a second click
    assert len(made.only().attachments) == 1


def test_a_closed_complaint_takes_no_reply_and_points_to_a_new_one(client: FlaskClient, db) -> None:
    made = Made(db)
    sign_in(client, "sam.rivers@example.com")
    answer_all_as_family(client)
    send(client)
    complaint = made.only()
    complaint.status = ComplaintStatus.CLOSED
    complaint.outcome_text = "We have asked the school to delete the report.\n\nWe are sorry."
    complaint.resolved_at = complaint.closed_at = dt.datetime.now(dt.UTC)
    db.commit()
    path = f"/your-complaints/{complaint.reference}"
    page = client.get(path)
    shown = text_of(page)
    assert "We have asked the school to delete the report." in shown and "We are sorry." in shown
    assert "make a new complaint" in shown and "Information Commissioner's Office" in shown
    assert "Send message" not in shown
    client.post(f"{path}/reply", data={"csrf_token": csrf_token(page), "text": "One more thing"})
    assert made.only().messages == []


def test_the_history_shows_visible_rows_only_and_a_question_once() -> None:
    from portal.services.your_complaints import shown_events

    now = dt.datetime.now(dt.UTC)
    question = "Which school was it?"
    complaint = Complaint(
        events=[
            ComplaintEvent(at=now, action="note", note=SECRET_NOTE, visible_to_complainant=False),
            ComplaintEvent(at=now, action="waiting", note=question, visible_to_complainant=True),
            ComplaintEvent(
                at=now, action="reopened", note="New facts", visible_to_complainant=True
            ),
        ],
        messages=[ComplaintMessage(at=now, from_complainant=False, text=question)],
    )
    shown = [(event.action, event.note) for event in shown_events(complaint)]
    assert shown == [("waiting", None), ("reopened", "New facts")]
