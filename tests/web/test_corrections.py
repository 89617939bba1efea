"""Families ask for a correction of what they can see, and follow it (UK GDPR Articles 16, 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.demo.synthetic import demo_id
from portal.models import CorrectionRequest
from tests.conftest import person_id, sign_in
from tests.pages import csrf_token, text_of

ELLIE_LANGUAGE = demo_id("item:ellie-language")
ANSWERS = {
    "what_is_wrong": "Ellie speaks Polish at home too",
    "should_say": "English and Polish",
    "why": "We speak Polish at home",
}


def ask(client: FlaskClient, item_id, **overrides: str):
    path = f"/your-data/items/{item_id}/correction"
    page = client.get(path)
    assert page.status_code == 200
    key = (
        page.get_data(as_text=True)
        .split('name="submission_key" type="hidden" value="')[1]
        .split('"')[0]
    )
    data = {"csrf_token": csrf_token(page), "submission_key": key, **ANSWERS, **overrides}
    return client.post(path, data=data), data


def test_a_parent_asks_to_correct_a_childs_language(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    record = text_of(client.get(f"/your-data/{person_id('ellie')}"))
    assert "Ask us to correct this (Main language)" in record
    response, _ = ask(client, ELLIE_LANGUAGE)
    request = db.scalar(select(CorrectionRequest))
    assert response.headers["Location"] == f"/your-requests/{request.reference}?sent=1"
    assert request.due_on == statutory_due_date(london_today())
    confirmation = text_of(client.get(response.headers["Location"]))
    assert "Request sent" in confirmation and request.reference in confirmation
    record = text_of(client.get(f"/your-data/{person_id('ellie')}"))
    assert f"You have asked us to check this ({request.reference})" in record
    assert "Ask us to correct this (Main language)" not in record
    assert request.reference in text_of(client.get("/your-requests"))


def test_a_second_click_or_resent_form_makes_no_second_request(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    _, data = ask(client, ELLIE_LANGUAGE)
    again = client.post(f"/your-data/items/{ELLIE_LANGUAGE}/correction", data=data)
    assert again.status_code == 302
    assert len(db.scalars(select(CorrectionRequest)).all()) == 1


@pytest.mark.parametrize(
    ("email", "item"),
    [
        ("sam.rivers@example.com", "jamie-school"),  # a 15-year-old who has not shared
        ("sam.rivers@example.com", "sam-police"),  # withheld
        ("lee.rivers@example.com", "ellie-address"),  # restricted from him
        ("alex.morgan@example.com", "ellie-language"),  # no parental responsibility
    ],
)
def test_an_item_the_user_cannot_see_is_404(client: FlaskClient, email: str, item: str) -> None:
    sign_in(client, email)
    assert client.get(f"/your-data/items/{demo_id('item:' + item)}/correction").status_code == 404


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("what_is_wrong", "Enter what is wrong"),
        ("should_say", "Enter what it should say"),
        ("why", "Enter how you know"),
    ],
)
def test_missing_answers_get_a_message_and_keep_the_others(
    client: FlaskClient, db, field: str, message: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response, _ = ask(client, ELLIE_LANGUAGE, **{field: ""})
    page = text_of(response)
    assert message in page
    for other, value in ANSWERS.items():
        if other != field:
            assert value in page
    assert db.scalar(select(CorrectionRequest)) is None


def test_text_far_over_the_limit_is_refused(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    response, _ = ask(client, ELLIE_LANGUAGE, why="x" * 2001)
    assert "How you know must be 2,000 characters or fewer" in text_of(response)
    assert db.scalar(select(CorrectionRequest)) is None


def test_someone_elses_request_is_404(app, client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    response, _ = ask(client, ELLIE_LANGUAGE)
    path = response.headers["Location"].split("?")[0]
    other = app.test_client()
    sign_in(other, "lee.rivers@example.com")
    assert other.get(path).status_code == 404
    assert client.get("/your-requests/COR-NOTHING").status_code == 404


def test_a_statement_can_only_follow_a_refusal(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    response, _ = ask(client, ELLIE_LANGUAGE)
    path = response.headers["Location"].split("?")[0]
    page = client.get(path)
    assert "If you disagree" not in text_of(page)
    client.post(path, data={"csrf_token": csrf_token(page), "text": "It is wrong"})
    from portal.models import SupplementaryStatement

    assert db.scalar(select(SupplementaryStatement)) is None
    request = db.scalar(select(CorrectionRequest))
    request.status = "refused"
    request.decision_text = "The school confirmed it"
    request.decided_at = dt.datetime.now(dt.UTC)
    db.commit()
    page = client.get(path)
    assert "If you disagree" in text_of(page)
    client.post(
        path, data={"csrf_token": csrf_token(page), "text": "Ellie speaks Polish with her gran"}
    )
    record = text_of(client.get(f"/your-data/{person_id('ellie')}"))
    assert "Statement from the family: Ellie speaks Polish with her gran" in record
    assert "Disputed" in record


def test_the_family_is_emailed_when_a_request_is_decided(app, client: FlaskClient, db) -> None:
    from portal.models import Account
    from portal.services import correction_decisions
    from portal.services.notifications import compose

    sign_in(client, "sam.rivers@example.com")
    ask(client, ELLIE_LANGUAGE)
    request = db.scalar(select(CorrectionRequest))
    officer = db.scalar(select(Account).where(Account.email == "dpo.officer@example.com"))
    now = dt.datetime.now(dt.UTC)
    correction_decisions.claim(db, officer, request, now)
    correction_decisions.extend(db, officer, request, 1, "We are asking the school", now, None)
    correction_decisions.accept(
        db, officer, request, "Her record now says English and Polish", now, None
    )
    from tests.factories import outbox

    sent = [n for n in outbox(db, "sam.rivers@example.com") if n.kind.startswith("correction_")]
    assert [n.kind for n in sent] == ["correction_extended", "correction_decided"]
    with app.app_context():
        email = compose(sent[1])
    assert request.reference in email.subject
    assert f"http://localhost/your-requests/{request.reference}" in email.body
    assert "English and Polish" not in email.body  # the decision waits behind sign-in
