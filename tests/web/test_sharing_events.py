"""DPO officers record a sharing by hand from a person's record: every answer judged by the
sharing-events service, every problem shown at once, nothing saved unless all are right."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.demo.synthetic import demo_id
from portal.models import AuditEvent, DataItem, Partner, SharingEvent
from tests.conftest import person_id, sign_in
from tests.factories import DPO
from tests.pages import csrf_token, errors_of, text_of

OFFICER = "dpo.officer@example.com"
SAM = person_id("sam")
FORM = f"/staff/people/{SAM}/sharing-events/new"


def item_id(key: str) -> str:
    return str(demo_id(f"item:{key}"))


def answers(**changed: object) -> dict[str, object]:
    """A complete, valid set of answers about Sam, with `changed` on top."""
    shared = london_today() - dt.timedelta(days=3)
    return {
        "partner_code": "housing-providers",
        "shared_on": [str(shared.day), str(shared.month), str(shared.year)],
        "purpose": "housing_support",
        "lawful_basis": "public_task",
        "item_ids": [item_id("sam-phone"), item_id("sam-arrears")],
        **changed,
    }


def post(client: FlaskClient, person: uuid.UUID = SAM, **changed: object):
    path = f"/staff/people/{person}/sharing-events/new"
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, data={"csrf_token": csrf_token(page), **answers(**changed)})


def events(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(SharingEvent)) or 0


@pytest.fixture
def officer(client: FlaskClient) -> FlaskClient:
    sign_in(client, OFFICER)
    return client


def test_the_record_links_to_the_form_which_offers_current_partners_and_items(
    officer: FlaskClient, db: Session
) -> None:
    retired = db.scalar(select(Partner).where(Partner.code == "ofsted"))
    retired.retired_on = london_today()
    db.commit()
    record = officer.get(f"/staff/people/{SAM}")
    assert FORM in record.get_data(as_text=True)
    viewed = views_of_sams_record(db)
    page = officer.get(FORM)
    words = text_of(page)
    assert "Record a sharing with a partner" in words
    assert "Housing providers" in words and "Ofsted" not in words
    assert "Rent arrears: £640 rent arrears; repayment plan agreed" in words
    assert "Source: Housing providers and Housing Options." in words
    assert "Asthma" not in words  # Ellie's, not Sam's
    assert views_of_sams_record(db) == viewed + 1, "the form shows the record: it is audited"


def views_of_sams_record(db: Session) -> int:
    db.expire_all()
    found = select(func.count()).where(
        AuditEvent.action == "record.viewed", AuditEvent.subject_person_id == SAM
    )
    return db.scalar(found) or 0


def test_officer_records_a_sharing_and_sees_it_on_the_record(
    officer: FlaskClient, db: Session
) -> None:
    before = events(db)
    response = post(officer)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/people/{SAM}?outcome=sharing-recorded"

    assert events(db) == before + 1
    event = db.scalar(
        select(SharingEvent).where(SharingEvent.shared_on == london_today() - dt.timedelta(days=3))
    )
    assert event.person_id == SAM and event.partner.code == "housing-providers"
    assert event.purpose == "housing_support" and event.lawful_basis == "public_task"
    assert {str(item.id) for item in event.items} == {item_id("sam-phone"), item_id("sam-arrears")}
    audit = db.scalar(select(AuditEvent).where(AuditEvent.action == "sharing.recorded"))
    assert audit.actor_account_id == DPO and audit.subject_person_id == SAM
    assert audit.session_ref is not None
    assert audit.detail["sharing_event_id"] == str(event.id)
    assert "imported_from" not in audit.detail

    page = text_of(officer.get(response.headers["Location"]))
    assert "The sharing has been recorded." in page
    assert "Shared with partners" in page and "To help with housing" in page


def test_missing_answers_are_all_shown_and_the_others_kept(
    officer: FlaskClient, db: Session
) -> None:
    before = events(db)
    response = post(officer, partner_code="", item_ids=[], lawful_basis="")
    assert response.status_code == 400
    assert errors_of(response) == [
        "Select who it was shared with",
        "Select the lawful basis for sharing",
        "Select the information that was shared",
    ]
    assert text_of(response).startswith("Error:")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("input", attrs={"name": "purpose", "value": "housing_support"}).has_attr(
        "checked"
    )
    assert page.find("input", id="shared_on-year")["value"] == str(
        (london_today() - dt.timedelta(days=3)).year
    )
    assert events(db) == before


def test_an_item_of_another_person_is_refused(officer: FlaskClient, db: Session) -> None:
    before = events(db)
    forged = item_id("ellie-health")
    response = post(officer, item_ids=[item_id("sam-phone"), forged])
    assert errors_of(response) == [f"Item {forged} is about another person"]
    assert events(db) == before
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "sharing.recorded")) is None


@pytest.mark.parametrize(
    ("changed", "error"),
    [
        (
            {"shared_on": ["1", "1", str(london_today().year + 1)]},
            "The date it was shared must be today or in the past",
        ),
        (
            {"shared_on": ["31", "2", "2026"]},
            "The date it was shared must be a real date, like 27 3 2026",
        ),
        ({"shared_on": ["", "", ""]}, "Enter the date it was shared"),
        ({"partner_code": "no-such-partner"}, "There is no partner with the code no-such-partner"),
        (
            {"purpose": "curiosity"},
            "curiosity is not one of: coordinate_support, keep_child_safe, "
            "education_support, health_support, housing_support, court_proceedings, "
            "programme_evaluation",
        ),
        ({"item_ids": ["not-an-id"]}, "not-an-id is not an ID"),
        ({"item_ids": [str(uuid.uuid4())]}, "There is no item with the ID"),
    ],
)
def test_wrong_answers_are_refused_and_nothing_is_saved(
    officer: FlaskClient, db: Session, changed: dict[str, object], error: str
) -> None:
    before = events(db)
    response = post(officer, **changed)
    assert response.status_code == 400
    assert len(errors_of(response)) == 1 and errors_of(response)[0].startswith(error)
    assert events(db) == before


def test_a_retired_partner_and_a_replaced_item_are_refused(
    officer: FlaskClient, db: Session
) -> None:
    partner = db.scalar(select(Partner).where(Partner.code == "housing-providers"))
    partner.retired_on = london_today()
    phone = db.get(DataItem, uuid.UUID(item_id("sam-phone")))
    phone.replaced_at = dt.datetime.now(dt.UTC)
    db.commit()
    before = events(db)
    response = post(officer)
    assert errors_of(response) == [
        "housing-providers is retired: it cannot receive new sharing",
        f"Item {item_id('sam-phone')} has been replaced by a newer version",
    ]
    assert events(db) == before


def test_a_sharing_of_a_restricted_item_is_recorded_but_never_shown_to_whom_it_is_restricted_from(
    officer: FlaskClient, db: Session
) -> None:
    """Ellie's address is restricted from Lee: the event is kept, and Sam sees it; Lee never."""
    ellie = person_id("ellie")
    response = post(
        officer,
        person=ellie,
        partner_code="shropshire-fire-and-rescue",
        purpose="keep_child_safe",
        lawful_basis="safeguarding",
        item_ids=[item_id("ellie-address")],
    )
    assert response.status_code == 302
    assert "Shropshire Fire and Rescue Service" in text_of(officer.get(f"/staff/people/{ellie}"))

    parent = officer.application.test_client()
    sign_in(parent, "sam.rivers@example.com")
    assert "Shropshire Fire and Rescue Service" in text_of(parent.get("/who-we-shared-with"))
    former = officer.application.test_client()
    sign_in(former, "lee.rivers@example.com")
    assert "Shropshire Fire and Rescue Service" not in text_of(former.get("/who-we-shared-with"))


@pytest.mark.parametrize(
    "email", ["sam.rivers@example.com", "lee.rivers@example.com", "portal.admin@example.com"]
)
def test_family_members_and_administrators_find_nothing_there(
    client: FlaskClient, db: Session, email: str
) -> None:
    sign_in(client, email)
    assert client.get(FORM).status_code == 404
    token = csrf_token(client.get("/"))  # the header's sign-out form has one
    before = events(db)
    assert client.post(FORM, data={"csrf_token": token, **answers()}).status_code == 404
    assert events(db) == before


def test_signed_out_visitors_and_unknown_people_are_not_found(
    client: FlaskClient, officer: FlaskClient
) -> None:
    visitor = client.application.test_client()
    assert visitor.get(FORM).status_code == 404
    assert officer.get(f"/staff/people/{uuid.uuid4()}/sharing-events/new").status_code == 404
