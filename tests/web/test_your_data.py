"""'Your data' for each persona of the demo household: who sees whose record, and what of it."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AuditEvent, Person
from tests.conftest import person_id, sign_in
from tests.pages import text_of

# Strings only found in items some viewers must never see.
WITHHELD = "MARAC"
NEW_ADDRESS = "14 Alder Close"
REVEALING = ["Alder Vale Primary School", "Riverside Medical Practice", "Alder Vale Academy"]


def test_your_data_needs_sign_in(client: FlaskClient) -> None:
    response = client.get("/your-data")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_parent_sees_themself_and_their_nine_year_old_only(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get("/your-data"))
    assert "You: Sam Rivers" in page
    assert "Ellie Rivers" in page
    for hidden in ("Jamie", "Alex", "Lee"):
        assert hidden not in page


def test_parent_sees_their_own_items_with_source_and_date(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get(f"/your-data/{person_id('sam')}"))
    assert "Data about you" in page
    assert "Universal Credit, no work-related requirements" in page
    assert "Source: Department for Work and Pensions" in page
    assert NEW_ADDRESS in page
    assert "Restricted" in page  # the health note under an Article 18 restriction


def test_identifiers_are_shown_spaced_as_on_cards(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get(f"/your-data/{person_id('sam')}"))
    assert re.search(r"National Insurance number MW \d\d \d\d \d\d [A-D] ", page)
    assert re.search(r"NHS number 999 \d{3} \d{4} ", page)


def test_withheld_item_leaves_no_trace(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    overview = text_of(client.get("/your-data"))
    record = text_of(client.get(f"/your-data/{person_id('sam')}"))
    assert WITHHELD not in record
    assert "Police and youth justice" not in overview
    assert "Police and youth justice" not in record
    assert "Police incident" not in record


def test_parent_sees_nine_year_olds_record(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get(f"/your-data/{person_id('ellie')}"))
    assert "Data about Ellie Rivers" in page
    for shown in REVEALING[:2]:
        assert shown in page


@pytest.mark.parametrize("other", ["jamie", "alex", "lee"])
def test_parent_gets_404_for_records_they_may_not_see(client: FlaskClient, other: str) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert client.get(f"/your-data/{person_id(other)}").status_code == 404


def test_another_households_person_by_url_is_404_like_nothing(client: FlaskClient, db) -> None:
    stranger = Person(
        given_name="Other",
        family_name="Household",
        date_of_birth=dt.date(1990, 1, 1),
        recorded_on=dt.date(2025, 1, 1),
    )
    db.add(stranger)
    db.commit()
    sign_in(client, "sam.rivers@example.com")
    someone_else = client.get(f"/your-data/{stranger.id}")
    nobody = client.get(f"/your-data/{uuid.uuid4()}")
    assert someone_else.status_code == nobody.status_code == 404
    assert text_of(someone_else) == text_of(nobody)
    assert client.get("/your-data/not-a-uuid").status_code == 404


def test_fifteen_year_old_sees_only_their_own_record(client: FlaskClient) -> None:
    sign_in(client, "jamie.rivers@example.com")
    overview = text_of(client.get("/your-data"))
    assert "You: Jamie Rivers" in overview
    assert "Sam" not in overview and "Ellie" not in overview
    record = text_of(client.get(f"/your-data/{person_id('jamie')}"))
    assert "Youth caution" in record
    assert client.get(f"/your-data/{person_id('sam')}").status_code == 404


def test_second_adult_sees_only_their_own_record(client: FlaskClient) -> None:
    sign_in(client, "alex.morgan@example.com")
    overview = text_of(client.get("/your-data"))
    assert "You: Alex Morgan" in overview
    assert "Ellie" not in overview
    for other in ("sam", "ellie", "jamie"):
        assert client.get(f"/your-data/{person_id(other)}").status_code == 404


def test_nine_year_old_waiting_for_a_guardian_sees_nothing(client: FlaskClient) -> None:
    sign_in(client, "ellie.rivers@example.com")
    page = text_of(client.get("/your-data"))
    assert "Waiting for a parent or carer to agree" in page
    assert "Ellie Rivers" not in page
    assert client.get(f"/your-data/{person_id('ellie')}").status_code == 404


def test_former_member_sees_the_child_but_nothing_that_reveals_the_new_address(
    client: FlaskClient,
) -> None:
    sign_in(client, "lee.rivers@example.com")
    overview = text_of(client.get("/your-data"))
    assert "Ellie Rivers" in overview
    record = text_of(client.get(f"/your-data/{person_id('ellie')}"))
    assert "Asthma" in record
    for secret in [NEW_ADDRESS, "SY99", *REVEALING]:
        assert secret not in record
        assert secret not in overview
    for other in ("sam", "jamie", "alex"):
        assert client.get(f"/your-data/{person_id(other)}").status_code == 404


def test_opening_a_record_is_an_audit_event(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    client.get(f"/your-data/{person_id('ellie')}")
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == "record.viewed")).all()
    assert [event.subject_person_id for event in events] == [person_id("ellie")]
    assert events[0].session_ref


def test_staff_cannot_use_the_family_pages(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    assert client.get("/your-data").status_code == 404
    assert client.get(f"/your-data/{person_id('sam')}").status_code == 404
