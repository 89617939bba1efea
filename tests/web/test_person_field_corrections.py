"""A name or date of birth is corrected through a request too: the officer enters the value
they checked, the record changes with before and after kept, and every recipient is told."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    Account,
    CorrectionTask,
    GuardianRequest,
    GuardianRequestStatus,
    Notification,
    NotificationKind,
    Partner,
    Person,
    PersonChange,
)
from portal.vocabulary import CorrectionStatus, CorrectionTaskKind, PersonField, RefusalReason
from tests.conftest import person_id, sign_in
from tests.pages import csrf_token, errors_of, text_of
from tests.web.test_correction_queue import OFFICER, QUEUE, SAM, act, send_request, stored


def ask_about(family: FlaskClient, person: str, field: str) -> str:
    """Asks through the family's form; returns the new request's reference."""
    return send_request(
        family,
        f"/your-data/{person_id(person)}/{field}/correction",
        what_is_wrong="It is spelt wrongly",
        should_say="Ellie-Mae Rivers",
        why="It is on her birth certificate",
    )


def pair(client: FlaskClient, family_email: str = SAM) -> tuple[FlaskClient, FlaskClient]:
    family = client.application.test_client()
    sign_in(family, family_email)
    sign_in(client, OFFICER)
    return family, client


def partner(db: Session, code: str) -> Partner:
    return db.scalar(select(Partner).where(Partner.code == code))


def test_a_parent_asks_to_correct_a_childs_name_and_the_officer_applies_it(
    client: FlaskClient, db: Session
) -> None:
    family, staff = pair(client)
    record = text_of(family.get(f"/your-data/{person_id('ellie')}"))
    assert "Ask us to correct this (Name)" in record
    assert "Ask us to correct this (Date of birth)" in record

    reference = ask_about(family, "ellie", "name")
    record = text_of(family.get(f"/your-data/{person_id('ellie')}"))
    assert f"You have asked us to check this ({reference})" in record
    assert "Ask us to correct this (Name)" not in record
    assert "Name for Ellie Rivers" in text_of(family.get("/your-requests"))
    queue = text_of(staff.get(f"{QUEUE}?source=early_help_worker"))
    assert reference in queue
    assert reference not in text_of(staff.get(f"{QUEUE}?source=west_mercia_police"))

    act(staff, reference, "claim")
    act(
        staff,
        reference,
        "accept",
        given_name="Ellie-Mae",
        family_name="Rivers",
        accept_text="We have corrected the spelling.",
    )

    ellie = db.get(Person, person_id("ellie"))
    db.refresh(ellie)
    assert ellie.full_name == "Ellie-Mae Rivers"
    [change] = db.scalars(select(PersonChange)).all()
    assert (change.field, change.before, change.after) == (
        PersonField.NAME,
        "Ellie | Rivers",
        "Ellie-Mae | Rivers",
    )
    tasks = stored(db, reference).tasks
    told = {task.partner_id for task in tasks}
    assert {task.kind for task in tasks} == {CorrectionTaskKind.TELL_RECIPIENT}
    assert told == {partner(db, "schools-and-colleges").id, partner(db, "west-mercia-police").id}
    page = text_of(staff.get(f"{QUEUE}/{reference}"))
    assert "From Ellie | Rivers to Ellie-Mae | Rivers" in page
    request_page = text_of(family.get(f"/your-requests/{reference}"))
    assert "We have corrected the spelling." in request_page
    assert partner(db, "west-mercia-police").name_en in request_page
    assert "Ellie-Mae Rivers" in text_of(family.get(f"/your-data/{person_id('ellie')}"))


def test_who_was_told_leaves_out_a_share_restricted_from_the_asker(
    client: FlaskClient, db: Session
) -> None:
    # Lee may see Ellie's record but not the police share that carried her new address.
    family, staff = pair(client, "lee.rivers@example.com")
    reference = ask_about(family, "ellie", "name")
    act(staff, reference, "claim")
    act(staff, reference, "accept", given_name="Ellie", family_name="Rivers", accept_text="Done.")

    police = partner(db, "west-mercia-police")
    assert police.id in {task.partner_id for task in stored(db, reference).tasks}
    page = text_of(family.get(f"/your-requests/{reference}"))
    assert partner(db, "schools-and-colleges").name_en in page
    assert police.name_en not in page


def test_a_corrected_date_of_birth_changes_who_may_see_the_record_at_once(
    client: FlaskClient, db: Session
) -> None:
    family, staff = pair(client)
    reference = ask_about(family, "ellie", "date_of_birth")
    act(staff, reference, "claim")
    thirteen_years_ago = dt.date.today().replace(day=1) - dt.timedelta(days=14 * 366)
    response = act(
        staff,
        reference,
        "accept",
        date_of_birth=thirteen_years_ago.strftime("%d %m %Y").split(),
        accept_text="The birth certificate shows she is older.",
    )
    assert response.status_code == 302
    assert stored(db, reference).status is CorrectionStatus.ACCEPTED
    # Now 13 or over and not sharing: her parent no longer sees her record, nor the request.
    assert family.get(f"/your-data/{person_id('ellie')}").status_code == 404
    assert family.get(f"/your-requests/{reference}").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"given_name": "", "family_name": "Rivers"}, "Enter the given name"),
        ({"given_name": "Ellie", "family_name": " "}, "Enter the family name"),
        ({"given_name": "E" * 101, "family_name": "Rivers"}, "100 characters or fewer"),
    ],
)
def test_accepting_a_name_needs_the_checked_name(
    client: FlaskClient, db: Session, fields: dict[str, str], message: str
) -> None:
    family, staff = pair(client)
    reference = ask_about(family, "ellie", "name")
    act(staff, reference, "claim")
    page = act(staff, reference, "accept", accept_text="Corrected as asked.", **fields)
    assert page.status_code == 400
    assert any(message in error for error in errors_of(page))
    assert "Corrected as asked." in page.get_data(as_text=True)
    assert stored(db, reference).status is CorrectionStatus.IN_REVIEW
    assert db.get(Person, person_id("ellie")).given_name == "Ellie"


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2016", "must be a real date"),
        ("1", "1", str(dt.date.today().year + 1), "must be in the past"),
        ("", "", "", "Enter the date of birth"),
    ],
)
def test_accepting_a_date_of_birth_needs_a_real_past_date(
    client: FlaskClient, db: Session, day: str, month: str, year: str, message: str
) -> None:
    family, staff = pair(client)
    reference = ask_about(family, "ellie", "date_of_birth")
    act(staff, reference, "claim")
    page = act(
        staff,
        reference,
        "accept",
        date_of_birth=[day, month, year],
        accept_text="Checked.",
    )
    assert page.status_code == 400
    assert any(message in error for error in errors_of(page))
    assert stored(db, reference).status is CorrectionStatus.IN_REVIEW


def test_a_refused_name_gets_a_statement_beside_it_for_family_and_staff(
    client: FlaskClient, db: Session
) -> None:
    family, staff = pair(client)
    reference = ask_about(family, "ellie", "name")
    act(staff, reference, "claim")
    act(
        staff,
        reference,
        "refuse",
        refusal_reason=RefusalReason.NOT_ENOUGH_EVIDENCE.value,
        refusal_text="Please send the birth certificate.",
    )
    request_page = family.get(f"/your-requests/{reference}")
    family.post(
        f"/your-requests/{reference}",
        data={"csrf_token": csrf_token(request_page), "text": "Her name has a hyphen."},
    )
    statement = "Statement from the family: Her name has a hyphen."
    for page in (
        text_of(family.get(f"/your-data/{person_id('ellie')}")),
        text_of(staff.get(f"/staff/people/{person_id('ellie')}")),
    ):
        assert statement in page and "Disputed" in page
    assert db.scalars(select(CorrectionTask)).all() == []


@pytest.mark.parametrize(
    ("email", "person", "field"),
    [
        (SAM, "jamie", "name"),  # a 15-year-old who has not shared
        ("alex.morgan@example.com", "ellie", "date_of_birth"),  # no parental responsibility
        (SAM, "ellie", "nhs_number"),  # not a person field: items have their own page
    ],
)
def test_a_person_the_user_cannot_see_is_404(
    client: FlaskClient, email: str, person: str, field: str
) -> None:
    sign_in(client, email)
    assert client.get(f"/your-data/{person_id(person)}/{field}/correction").status_code == 404


def test_a_date_of_birth_that_makes_an_account_holder_under_13_asks_the_guardians(
    client: FlaskClient, db: Session
) -> None:
    jamie = signed_in_as(client, "jamie.rivers@example.com")
    reference = ask_about(jamie, "jamie", "date_of_birth")
    staff = signed_in_as(client, OFFICER)
    act(staff, reference, "claim")
    twelve = dt.date.today() - dt.timedelta(days=12 * 366)
    act(
        staff,
        reference,
        "accept",
        date_of_birth=twelve.strftime("%d %m %Y").split(),
        accept_text="Checked.",
    )

    [request] = db.scalars(
        select(GuardianRequest)
        .join(Account, Account.id == GuardianRequest.child_account_id)
        .where(Account.person_id == person_id("jamie"))
    ).all()
    assert request.status is GuardianRequestStatus.WAITING
    asked = db.scalars(
        select(Notification.to_address).where(
            Notification.kind == NotificationKind.GUARDIAN_REQUEST
        )
    ).all()
    assert "sam.rivers@example.com" in asked
    assert "waiting for" in text_of(jamie.get("/your-data")).lower()


def test_no_second_guardian_request_while_one_is_open(client: FlaskClient, db: Session) -> None:
    # Ellie, 9, already waits for a guardian: a date that keeps her under 13 asks nobody new.
    before = len(db.scalars(select(GuardianRequest)).all())
    family, staff = pair(client)
    reference = ask_about(family, "ellie", "date_of_birth")
    act(staff, reference, "claim")
    eight = dt.date.today() - dt.timedelta(days=8 * 366)
    act(
        staff,
        reference,
        "accept",
        date_of_birth=eight.strftime("%d %m %Y").split(),
        accept_text="Checked.",
    )
    assert stored(db, reference).status is CorrectionStatus.ACCEPTED
    assert len(db.scalars(select(GuardianRequest)).all()) == before


def signed_in_as(client: FlaskClient, email: str) -> FlaskClient:
    other = client.application.test_client()
    sign_in(other, email)
    return other
