"""Families ask for a copy of their data (UK GDPR Article 15), follow it, answer our question
and download the copy after signing in again; a young person of 13 or more asks for their own,
and nobody else's request or copy is there to find."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.i18n import long_date
from portal.models import Account, AuditEvent, CopyRequest
from portal.services import copy_handling
from portal.services.copy_assembly import assemble, council_for
from portal.services.copy_builds import build_copies
from portal.services.notifications import compose
from portal.vocabulary import CopyDelivery, CopyRefusal, CopyStatus, Role
from tests.conftest import PASSWORDS, person_id, sign_in
from tests.factories import DPO, copy_request, outbox
from tests.pages import csrf_token, errors_of, text_of

SAM = "sam.rivers@example.com"
NEW = "/copy-of-your-data/new"
CHECK = "/copy-of-your-data/new/check"
EVERYTHING_FOR_ELLIE = {"person": "ellie", "scope": "everything", "delivery": "download"}


def answers(**fields: object) -> dict[str, object]:
    """The form's answers: people by their demo name, dates as (day, month, year)."""
    data = {**EVERYTHING_FOR_ELLIE, **fields}
    if data.get("person"):
        data["person"] = str(person_id(str(data["person"])))
    # Lists, not tuples: the test client takes a tuple for a file.
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in data.items()
        if value is not None
    }


def fill_in(client: FlaskClient, **fields: object) -> TestResponse:
    page = client.get(NEW)
    assert page.status_code == 200
    return client.post(NEW, data={"csrf_token": csrf_token(page), **answers(**fields)})


def send(client: FlaskClient) -> TestResponse:
    page = client.get(CHECK)
    assert page.status_code == 200, page.headers.get("Location")
    key = hidden_value(page, "submission_key")
    return client.post(CHECK, data={"csrf_token": csrf_token(page), "submission_key": key})


def ask(client: FlaskClient, **fields: object) -> str:
    """Asks through the pages; the new request's path."""
    assert fill_in(client, **fields).headers["Location"] == CHECK
    sent = send(client)
    assert sent.status_code == 302
    location = sent.headers["Location"]
    assert location.endswith("?sent=1")
    return location.removesuffix("?sent=1")


def hidden_value(page: TestResponse, name: str) -> str:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    field = soup.find("input", attrs={"name": name})
    assert field is not None
    return str(field["value"])


def checked(page: TestResponse) -> dict[str, list[str]]:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    found: dict[str, list[str]] = {}
    for box in soup.find_all("input", checked=True):
        found.setdefault(str(box["name"]), []).append(str(box["value"]))
    return found


def typed_dates(page: TestResponse, name: str) -> list[str]:
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    return [str(box.get("value", "")) for box in soup.find_all("input", attrs={"name": name})]


def requests_made(db: Session) -> list[CopyRequest]:
    db.expire_all()
    # Made by the test, not the demo data's own requests.
    return list(
        db.scalars(select(CopyRequest).where(CopyRequest.submission_key.not_like("demo-%")))
    )


def account_of(db: Session, email: str) -> Account:
    found = db.scalar(select(Account).where(Account.email == email))
    assert found is not None
    return found


def officer(db: Session) -> Account:
    found = db.get(Account, DPO)
    assert found is not None
    return found


def second_officer(db: Session) -> Account:
    staff = Account(
        email="second.officer@example.com", role=Role.DPO_OFFICER, display_name="Second Officer"
    )
    db.add(staff)
    db.commit()
    return staff


def audited(db: Session, action: str) -> int:
    return len(db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def only_request(db: Session) -> CopyRequest:
    made = requests_made(db)
    assert len(made) == 1
    return made[0]


@pytest.fixture
def copies(app: Flask) -> Iterator[Path]:
    folder = Path(app.config["COPIES_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    yield folder
    for made in set(folder.iterdir()) - before:
        made.unlink(missing_ok=True)


def released_with_a_file(
    db: Session, copies: Path, *, until: dt.datetime | None = None
) -> CopyRequest:
    """Sam's request for Ellie's copy, released for download with a small ZIP."""
    request = copy_request(
        db, requester=account_of(db, SAM), subject=_ellie(db), status=CopyStatus.RELEASED
    )
    key = f"{uuid.uuid4().hex}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("copy.json", f'{{"reference": "{request.reference}"}}')
    (copies / key).write_bytes(buffer.getvalue())
    now = dt.datetime.now(dt.UTC)
    request.copy_storage_key = key
    request.released_at = now
    request.closed_at = now
    request.download_until = until or now + dt.timedelta(days=30)
    db.commit()
    return request


def _ellie(db: Session):
    from portal.models import Person

    ellie = db.get(Person, person_id("ellie"))
    assert ellie is not None
    return ellie


def stale(client: FlaskClient) -> None:
    with client.session_transaction() as cookie_session:
        cookie_session["authenticated_at"] = 0


def confirm_password(client: FlaskClient, next_path: str) -> TestResponse:
    page = client.get(f"/confirm-password?next={next_path}")
    return client.post(
        f"/confirm-password?next={next_path}",
        data={"csrf_token": csrf_token(page), "password": PASSWORDS[SAM]},
    )


def test_the_start_page_says_what_you_get_and_how_long_it_takes(client: FlaskClient) -> None:
    sign_in(client, SAM)
    assert "Ask for a copy of your data" in text_of(client.get("/your-data"))
    page = text_of(client.get("/copy-of-your-data"))
    assert "within one month" in page and "It is free" in page
    assert "up to two more months" in page
    assert "the time stops until you answer" in page
    assert "Start now" in page and "You have not asked for a copy of your data" in page


def test_a_parent_asks_for_the_nine_year_olds_copy_and_gets_a_reference_and_due_date(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    sign_in(client, SAM)
    check = fill_in(client, person="ellie", scope="everything", delivery="download")
    assert check.headers["Location"] == CHECK
    assert requests_made(db) == []  # nothing is kept until it is sent
    summary = text_of(client.get(CHECK))
    assert "Ellie Rivers" in summary and "Everything we hold" in summary
    path = ask_again_from_check(client)
    request = only_request(db)
    assert path == f"/copy-of-your-data/{request.reference}"
    assert request.subject_person_id == person_id("ellie") and request.everything
    assert request.delivery is CopyDelivery.DOWNLOAD
    assert request.due_on == statutory_due_date(london_today())
    confirmation = client.get(f"{path}?sent=1")
    with app.test_request_context():
        due = long_date(request.due_on)
    assert "Request sent" in text_of(confirmation) and request.reference in text_of(confirmation)
    assert f"We will send your copy by {due}" in text_of(confirmation)
    listed = text_of(client.get("/copy-of-your-data"))
    assert request.reference in listed and "Ellie Rivers" in listed and "Being prepared" in listed
    assert audited(db, "copy.requested") == 1


def ask_again_from_check(client: FlaskClient) -> str:
    sent = send(client)
    assert sent.headers["Location"].endswith("?sent=1")
    return sent.headers["Location"].removesuffix("?sent=1")


def test_asking_for_a_fifteen_year_old_is_refused_with_the_way_to_the_dpo_team(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    sign_in(client, SAM)
    page = client.get(NEW)
    assert "Jamie Rivers" in text_of(page)  # offered, so that choosing gets an answer
    refused = fill_in(client, person="jamie", delivery="post")
    assert refused.status_code == 400
    message = errors_of(refused)
    assert message == [
        "Jamie Rivers is 13 or over, so they must ask for a copy of their own data. If you need "
        f"to ask for them, email the Data Protection Officer's team at {app.config['DPO_EMAIL']}"
    ]
    assert text_of(refused).startswith("Error:")
    assert checked(refused) == {
        "person": [str(person_id("jamie"))],
        "scope": ["everything"],
        "delivery": ["post"],
    }
    assert client.get(CHECK).headers["Location"] == NEW
    assert requests_made(db) == []


def test_a_fifteen_year_old_asks_for_their_own_copy(client: FlaskClient, db: Session) -> None:
    sign_in(client, "jamie.rivers@example.com")
    page = client.get(NEW)
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    offered = [box["value"] for box in soup.find_all("input", attrs={"name": "person"})]
    assert offered == [str(person_id("jamie"))] and "Yourself" in text_of(page)
    ask(client, person="jamie", scope="everything", delivery="post")
    request = only_request(db)
    assert request.subject_person_id == person_id("jamie")
    assert request.delivery is CopyDelivery.POST
    shown = text_of(client.get(f"/copy-of-your-data/{request.reference}"))
    assert "Yours: Jamie Rivers" in shown and "Send it by post" in shown


def test_someone_elses_request_and_an_unknown_reference_are_both_404(
    app: Flask, client: FlaskClient, db: Session, copies: Path
) -> None:
    request = released_with_a_file(db, copies)
    sign_in(client, SAM)
    mine = f"/copy-of-your-data/{request.reference}"
    assert client.get(mine).status_code == 200
    other = app.test_client()
    sign_in(other, "lee.rivers@example.com")  # also holds parental responsibility for Ellie
    for reference in (request.reference, "SAR-NOTHING"):
        assert other.get(f"/copy-of-your-data/{reference}").status_code == 404
        response = other.get(f"/copy-of-your-data/{reference}/download")
        assert response.status_code == 404
        page = other.get("/copy-of-your-data")
        answered = other.post(
            f"/copy-of-your-data/{reference}/answer",
            data={"csrf_token": csrf_token(page), "answer": "Mine"},
        )
        assert answered.status_code == 404
    assert request.reference not in text_of(other.get("/copy-of-your-data"))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"person": None}, "person", "Select whose data you want a copy of"),
        ({"person": ""}, "person", "Select whose data you want a copy of"),
        (
            {"scope": "particular", "categories": None},
            "categories",
            "Select at least one kind of information",
        ),
        (
            {"date_from": ("2", "3", "2025"), "date_to": ("1", "3", "2025")},
            "date_to",
            "The end date must be the same as or after the start date",
        ),
        (
            {"date_from": ("31", "2", "2025")},
            "date_from",
            "The start date must be a real date, like 1 4 2024",
        ),
        (
            {"date_to": ("1", "1", "2999")},
            "date_to",
            "The end date must be today or in the past",
        ),
        (
            {"date_to": ("١", "1", "2025")},
            "date_to",
            "The end date must be a real date, like 31 3 2025",
        ),
        ({"delivery": "pigeon"}, "delivery", "Select how you want to get your copy"),
        (
            {"scope": None},
            "scope",
            "Select whether you want everything or only some kinds of information",
        ),
    ],
)
def test_form_problems_keep_the_other_answers_and_save_nothing(
    client: FlaskClient, db: Session, fields: dict[str, object], field: str, message: str
) -> None:
    sign_in(client, SAM)
    base = {
        "scope": "particular",
        "categories": ["health", "education"],
        "date_from": ("1", "4", "2024"),
        "delivery": "post",
    }
    response = fill_in(client, **{**base, **fields})
    assert response.status_code == 400
    assert errors_of(response) == [message]
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find(id=field) is not None  # the summary's link goes somewhere
    kept = checked(response)
    if field != "delivery":
        assert kept["delivery"] == ["post"]
    if field not in {"scope", "categories"}:
        assert kept["categories"] == ["health", "education"]
    if field != "date_from" and "date_from" not in fields:
        assert typed_dates(response, "date_from") == ["1", "4", "2024"]
    assert client.get(CHECK).headers["Location"] == NEW
    assert requests_made(db) == []


def test_particular_kinds_and_dates_are_asked_for_and_shown(
    client: FlaskClient, db: Session
) -> None:
    sign_in(client, SAM)
    fill_in(
        client,
        person="sam",
        scope="particular",
        categories=["education", "health"],
        date_from=("1", "4", "2024"),
        date_to=("31", "3", "2025"),
        delivery="download",
    )
    summary = text_of(client.get(CHECK))
    assert "Yours: Sam Rivers" in summary
    assert "Health" in summary and "Education and early years" in summary
    assert "From 1 April 2024 to 31 March 2025" in summary
    change = client.get(NEW)  # "Change" keeps the answers
    assert checked(change)["categories"] == ["health", "education"]
    assert typed_dates(change, "date_to") == ["31", "03", "2025"]
    path = ask_again_from_check(client)
    request = only_request(db)
    assert not request.everything and request.categories == ["health", "education"]
    assert (request.date_from, request.date_to) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    page = text_of(client.get(path))
    assert "Education and early years" in page and "From 1 April 2024 to 31 March 2025" in page


def test_choosing_everything_ignores_kinds_ticked_before(client: FlaskClient, db: Session) -> None:
    sign_in(client, SAM)
    ask(client, scope="everything", categories=["health"])
    request = only_request(db)
    assert request.everything and request.categories == []


def test_sending_the_same_form_again_makes_one_request(client: FlaskClient, db: Session) -> None:
    sign_in(client, SAM)
    fill_in(client)
    page = client.get(CHECK)
    data = {"csrf_token": csrf_token(page), "submission_key": hidden_value(page, "submission_key")}
    first = client.post(CHECK, data=data)
    second = client.post(CHECK, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(requests_made(db)) == 1
    assert len([n for n in outbox(db, SAM) if n.kind == "copy_received"]) == 1
    fresh = client.get(NEW)  # a new request starts empty, with a new key
    assert checked(fresh) == {}


def test_answering_our_question_restarts_the_clock(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    sign_in(client, SAM)
    path = ask(client)
    request = only_request(db)
    now = dt.datetime.now(dt.UTC)
    assert copy_handling.claim(db, officer(db), request, now, None) is copy_handling.Result.DONE
    question = "Do you want the school reports too?"
    result = copy_handling.ask_question(db, officer(db), request, question, now, None)
    assert result is copy_handling.Result.DONE
    request.paused_on = london_today() - dt.timedelta(days=10)  # asked ten days ago
    db.commit()
    page = client.get(path)
    assert question in text_of(page) and "Waiting for your answer" in text_of(page)
    empty = client.post(f"{path}/answer", data={"csrf_token": csrf_token(page), "answer": " "})
    assert errors_of(empty) == ["Enter your answer"]
    too_long = client.post(
        f"{path}/answer", data={"csrf_token": csrf_token(page), "answer": "x" * 2001}
    )
    assert errors_of(too_long) == ["Your answer must be 2,000 characters or fewer"]
    answered = client.post(
        f"{path}/answer", data={"csrf_token": csrf_token(page), "answer": "Yes please"}
    )
    assert answered.headers["Location"] == f"{path}?answered=1"
    db.refresh(request)
    assert request.status is CopyStatus.RECEIVED and request.paused_on is None
    assert request.paused_days == 10
    assert request.due_on == statutory_due_date(request.received_on, paused_days=10)
    shown = text_of(client.get(answered.headers["Location"]))
    assert "Your answer has been sent" in shown
    assert "We asked you a question" in shown and "You answered our question" in shown
    assert "Yes please" in shown
    again = client.post(f"{path}/answer", data={"csrf_token": csrf_token(page), "answer": "More"})
    assert again.headers["Location"] == path  # no question is open: nothing recorded
    assert audited(db, "copy.answered") == 1
    assert [n.kind for n in outbox(db, SAM) if n.kind.startswith("copy_")] == [
        "copy_received",
        "copy_question",
    ]


def test_a_released_copy_downloads_only_after_a_fresh_sign_in_and_is_recorded(
    client: FlaskClient, db: Session, copies: Path
) -> None:
    request = released_with_a_file(db, copies)
    sign_in(client, SAM)
    stale(client)
    path = f"/copy-of-your-data/{request.reference}"
    page = text_of(client.get(path))
    assert "Your copy is ready" in page and "The link works until" in page
    asked = client.get(f"{path}/download")
    # Confirming leads back to the request's page (a download would leave the form on screen).
    assert asked.headers["Location"] == f"/confirm-password?next={path}"
    assert audited(db, "copy.downloaded") == 0
    assert confirm_password(client, path).headers["Location"] == path
    head = client.head(f"{path}/download")
    head.close()
    assert head.status_code == 200
    assert audited(db, "copy.downloaded") == 0  # a HEAD request fetched nothing
    download = client.get(f"{path}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Cache-Control"] == "no-store"
    assert (
        f"attachment; filename=copy-of-your-data-{request.reference}.zip"
        == download.headers["Content-Disposition"]
    )
    assert zipfile.ZipFile(io.BytesIO(download.get_data())).namelist() == ["copy.json"]
    download.close()
    assert audited(db, "copy.downloaded") == 1
    db.refresh(request)
    assert [e.action for e in request.events if e.visible_to_requester] == ["downloaded"]
    assert "You downloaded your copy" in text_of(client.get(path))


def test_an_expired_or_missing_copy_is_404_like_an_unknown_one(
    client: FlaskClient, db: Session, copies: Path
) -> None:
    expired = released_with_a_file(db, copies, until=dt.datetime.now(dt.UTC) - dt.timedelta(1))
    missing = released_with_a_file(db, copies)
    assert missing.copy_storage_key is not None
    (copies / missing.copy_storage_key).unlink()
    sign_in(client, SAM)
    for request in (expired, missing):
        path = f"/copy-of-your-data/{request.reference}"
        assert client.get(f"{path}/download").status_code == 404
        page = text_of(client.get(path))
        assert "can no longer be downloaded" in page and "Download your copy" not in page
    assert audited(db, "copy.downloaded") == 0


def test_a_copy_built_and_released_by_officers_downloads(
    app: Flask, client: FlaskClient, db: Session, copies: Path
) -> None:
    sign_in(client, "alex.morgan@example.com")
    path = ask(client, person="alex", delivery="download")
    request = only_request(db)
    now = dt.datetime.now(dt.UTC)
    with app.app_context():  # the PDF is rendered from a template
        build_copies(db, app.config, copies, now)
    db.refresh(request)
    assert request.copy_storage_key is not None
    staff = officer(db)
    copy_handling.claim(db, staff, request, now, None)
    with app.app_context():
        assembly = assemble(db, request, council_for(app.config, "en"), london_today())
    assert assembly is not None
    assert copy_handling.release(db, staff, request, assembly, now, None).name == "DONE"
    if request.status is CopyStatus.AWAITING_APPROVAL:  # it leaves something out
        approved = copy_handling.approve(db, second_officer(db), request, assembly, now, None)
        assert approved is copy_handling.Result.DONE
    assert request.status is CopyStatus.RELEASED
    download = client.get(f"{path}/download")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.get_data())).namelist()
    download.close()
    assert any(name.endswith(".pdf") for name in names)
    assert any(name.endswith(".json") for name in names)
    ready = [n for n in outbox(db, "alex.morgan@example.com") if n.kind == "copy_ready"]
    with app.app_context():
        email = compose(ready[0])
    assert request.reference in email.subject
    assert f"http://localhost{path}" in email.body


def test_a_postal_copy_says_when_it_was_posted(client: FlaskClient, db: Session) -> None:
    request = copy_request(
        db,
        requester=account_of(db, SAM),
        status=CopyStatus.RELEASED,
        delivery=CopyDelivery.POST,
    )
    request.released_at = dt.datetime(2026, 1, 12, 10, tzinfo=dt.UTC)
    db.commit()
    sign_in(client, SAM)
    page = text_of(client.get(f"/copy-of-your-data/{request.reference}"))
    assert "We posted it on 12 January 2026" in page
    assert client.get(f"/copy-of-your-data/{request.reference}/download").status_code == 404


def test_a_refusal_gives_the_reason_and_how_to_complain(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    sign_in(client, SAM)
    path = ask(client)
    request = only_request(db)
    now = dt.datetime.now(dt.UTC)
    staff = officer(db)
    copy_handling.claim(db, staff, request, now, None)
    note = "You asked for the same copy last week and we sent it"
    result = copy_handling.refuse(
        db, staff, request, CopyRefusal.MANIFESTLY_EXCESSIVE, note, now, None
    )
    assert result is copy_handling.Result.DONE
    page = text_of(client.get(path))
    assert "Refused" in page and "The request is manifestly excessive" in page and note in page
    assert "ico.org.uk/make-a-complaint" in page and "0303 123 1113" in page
    assert "court" in page
    refused = [n for n in outbox(db, SAM) if n.kind == "copy_refused"]
    with app.app_context():
        email = compose(refused[0])
    assert request.reference in email.subject and note not in email.body
    assert f"http://localhost{path}" in email.body


def test_emails_are_written_in_the_requesters_language(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    sam = account_of(db, SAM)
    sam.language = "cy"
    db.commit()
    sign_in(client, SAM)
    path = ask(client)
    request = only_request(db)
    received = [n for n in outbox(db, SAM) if n.kind == "copy_received"]
    assert [n.language for n in received] == ["cy"]
    assert received[0].personalisation["due"] == request.due_on.isoformat()
    with app.app_context():
        email = compose(received[0])
    assert request.reference in email.subject
    assert f"http://localhost{path}" in email.body
    assert "Ellie" not in email.body  # who it is about waits behind sign-in


def test_a_request_no_longer_allowed_when_sent_is_refused_on_the_form(
    client: FlaskClient, db: Session
) -> None:
    """Checked again when sent: here the draft names Jamie, as if Ellie had turned 13
    between the answers and the click."""
    sign_in(client, SAM)
    fill_in(client, person="ellie", delivery="post")
    with client.session_transaction() as cookie_session:
        draft = dict(cookie_session["copy_request_draft"], person=str(person_id("jamie")))
        cookie_session["copy_request_draft"] = draft
    sent = send(client)
    assert sent.status_code == 400
    assert errors_of(sent)[0].startswith("Jamie Rivers is 13 or over")
    assert checked(sent)["delivery"] == ["post"]
    assert requests_made(db) == []


def test_nothing_typed_breaks_the_pages(client: FlaskClient, db: Session) -> None:
    sign_in(client, SAM)
    for fields in (
        {"person": "not-a-person", "categories": ["x" * 500], "scope": "particular"},
        {"person": str(uuid.uuid4()), "date_from": ["0", "0", "0000"]},
        {"date_from": ["1", "1", "99999"], "date_to": ["x", "\x00", "2024"]},
    ):
        assert fill_in(client, **fields).status_code == 400
    path = ask(client)
    request = only_request(db)
    staff = officer(db)
    now = dt.datetime.now(dt.UTC)
    copy_handling.claim(db, staff, request, now, None)
    copy_handling.ask_question(db, staff, request, "Which years?", now, None)
    page = client.get(path)
    refused = client.post(
        f"{path}/answer", data={"csrf_token": csrf_token(page), "answer": "2024\x00 and 2025"}
    )
    assert refused.status_code == 400
    assert errors_of(refused) == ["Remove the hidden control characters from your answer"]
    answered = client.post(
        f"{path}/answer", data={"csrf_token": csrf_token(page), "answer": "2024 and 2025"}
    )
    assert answered.status_code == 302
    db.refresh(request)
    assert [e.note for e in request.events if e.action == "answer"] == ["2024 and 2025"]
