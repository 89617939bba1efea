"""Retention of Early Help case data: a household goes when its youngest child turns 25
(a household with no child: its youngest member, and six years without activity), whole
and in one go, leaving a tombstone that names no one; an open request holds it back; the
demo household (children of 9 and 15) is never touched."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.demo.household import DEMO_REFERENCE
from portal.models import (
    Account,
    Assessment,
    AuditEvent,
    AuthSession,
    Complaint,
    CopyRequest,
    CorrectionRequest,
    DataItem,
    Household,
    HouseholdMembership,
    Notification,
    Person,
    Relationship,
    SharingEvent,
    Tombstone,
)
from portal.passwords import hash_password
from portal.services.retention import DISPOSED, Schedule
from portal.services.retention_households import dispose_households, due_households
from portal.vocabulary import ComplaintStatus, CopyStatus
from tests.conftest import sign_in
from tests.factories import (
    case_household,
    closed_copy_request,
    copy_request,
    decided_correction,
    logged_complaint,
)
from tests.pages import csrf_token
from tests.web.test_retention import assert_names_no_one, noon

LEAP_CHILD = dt.date(2000, 2, 29)  # turns 25 on 1 March 2025
TURNS_25 = dt.date(2025, 3, 1)
PASSWORD = "oldcase-lantern-meadow"  # noqa: S105 (a test password)


def run(app: Flask, db: Session, day: dt.date) -> list[str]:
    done = dispose_households(db, noon(day), Schedule.from_config(app.config))
    return [disposal.label for disposal in done]


def test_a_household_goes_the_day_its_youngest_child_turns_25_not_the_day_before(
    app: Flask, db: Session
) -> None:
    old = case_household(db, adult_born=dt.date(1970, 6, 1), child_born=LEAP_CHILD)
    older_child = Person(
        given_name="Oldcase",
        family_name="Elder",
        date_of_birth=dt.date(1995, 1, 1),
        recorded_on=LEAP_CHILD,
    )
    db.add(older_child)
    db.flush()
    db.add(
        HouseholdMembership(
            household_id=old.household.id, person_id=older_child.id, started_on=LEAP_CHILD
        )
    )
    db.commit()
    reference = old.household.reference

    assert reference not in run(app, db, TURNS_25 - dt.timedelta(days=1))
    assert run(app, db, TURNS_25) == [reference]
    assert run(app, db, TURNS_25 + dt.timedelta(days=1)) == []


def test_disposal_deletes_the_case_data_closes_the_account_and_leaves_a_tombstone(
    app: Flask, db: Session
) -> None:
    old = case_household(db, adult_born=dt.date(1970, 6, 1), child_born=LEAP_CHILD)
    assert old.child is not None
    correction = decided_correction(
        db, person=old.child, requester=old.account, decided_at=noon(dt.date(2024, 1, 5))
    )
    copy = closed_copy_request(
        db, requester=old.account, subject=old.adult, closed_at=noon(dt.date(2024, 6, 1))
    )
    complaint = logged_complaint(db, status=ComplaintStatus.CLOSED, about=old.child)
    complaint.closed_at = noon(dt.date(2024, 7, 1))
    db.commit()
    people = [old.adult.id, old.child.id]
    email = old.account.email

    assert run(app, db, TURNS_25) == [old.household.reference]

    db.expire_all()
    for model, column in (
        (Person, Person.id),
        (DataItem, DataItem.person_id),
        (SharingEvent, SharingEvent.person_id),
        (Relationship, Relationship.person_id),
        (HouseholdMembership, HouseholdMembership.person_id),
    ):
        assert db.scalar(select(func.count()).select_from(model).where(column.in_(people))) == 0
    assert db.get(Household, old.household.id) is None
    assert (
        db.scalars(select(Assessment).where(Assessment.household_id == old.household.id)).all()
        == []
    )
    account = db.get(Account, old.account.id)
    assert account is not None and account.closed_at is not None and account.person_id is None
    assert account.email.endswith("@closed.invalid") and account.password_hash is None
    assert db.scalars(select(AuthSession).where(AuthSession.account_id == account.id)).all() == []
    assert db.scalars(select(Notification).where(Notification.to_address == email)).all() == []
    assert db.get(CorrectionRequest, correction.id) is None and db.get(CopyRequest, copy.id) is None
    anonymised = db.get(Complaint, complaint.id)
    assert anonymised is not None and anonymised.about_person_id is None
    assert anonymised.complainant_name is None and anonymised.anonymised_at is not None

    tombstone = db.scalar(select(Tombstone).where(Tombstone.kind == "household"))
    assert tombstone is not None
    assert (tombstone.rule, tombstone.due_on, tombstone.reference) == (
        "youngest_child_age",
        TURNS_25,
        None,
    )
    assert tombstone.counts["people"] == 2 and tombstone.counts["data_items"] == 4
    assert tombstone.counts["copy_requests"] == 1 and tombstone.counts["complaints"] == 1
    assert_names_no_one(db, tombstone, "Oldcase", "Robin", "Morgan", email, old.household.reference)
    # The requests that went with it leave their own tombstones, under the household's rule.
    follow_on = db.scalar(select(Tombstone).where(Tombstone.reference == correction.reference))
    assert follow_on is not None and follow_on.rule == "with_household"
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == DISPOSED)).all()
    assert {event.detail["kind"] for event in events} >= {"household", "complaint", "copy_request"}
    assert all(event.subject_person_id is None for event in events)


def test_an_open_request_holds_the_household_back_until_it_is_closed(
    app: Flask, db: Session
) -> None:
    old = case_household(db, adult_born=dt.date(1970, 6, 1), child_born=LEAP_CHILD)
    request = copy_request(db, requester=old.account, received_on=dt.date(2025, 2, 20))

    assert run(app, db, TURNS_25) == []
    request.status = CopyStatus.RELEASED
    request.released_at = request.closed_at = noon(dt.date(2025, 3, 3))
    db.commit()
    assert run(app, db, dt.date(2025, 3, 4)) == [old.household.reference]


def test_a_household_with_no_child_goes_six_years_after_its_last_activity(
    app: Flask, db: Session
) -> None:
    last_active = dt.date(2019, 8, 20)
    old = case_household(db, adult_born=dt.date(1980, 1, 1), recorded_on=last_active)

    assert run(app, db, dt.date(2025, 8, 19)) == []
    [reference] = run(app, db, dt.date(2025, 8, 20))
    assert reference == old.household.reference
    tombstone = db.scalar(select(Tombstone).where(Tombstone.kind == "household"))
    assert tombstone is not None and tombstone.rule == "no_child_inactive"


def test_someone_who_also_belongs_to_another_household_keeps_their_record_there(
    app: Flask, db: Session
) -> None:
    old = case_household(db, adult_born=dt.date(1970, 6, 1), child_born=LEAP_CHILD)
    new = case_household(db, adult_born=dt.date(1990, 1, 1), child_born=dt.date(2020, 1, 1))
    db.add(
        HouseholdMembership(
            household_id=new.household.id, person_id=old.adult.id, started_on=dt.date(2021, 1, 1)
        )
    )
    db.commit()

    assert run(app, db, TURNS_25) == [old.household.reference]

    db.expire_all()
    adult = db.get(Person, old.adult.id)
    assert adult is not None and db.get(Account, old.account.id).closed_at is None  # type: ignore[union-attr]
    items = db.scalars(select(DataItem).where(DataItem.person_id == adult.id)).all()
    assert len(items) == 2 and all(item.assessment_id is None for item in items)
    assert db.get(Person, old.child.id) is None  # type: ignore[union-attr]
    assert db.scalars(select(Relationship).where(Relationship.person_id == adult.id)).all() == []
    memberships = db.scalars(
        select(HouseholdMembership).where(HouseholdMembership.person_id == adult.id)
    )
    assert [m.household_id for m in memberships] == [new.household.id]


def test_the_demo_household_is_untouched(app: Flask, db: Session) -> None:
    before = db.scalar(select(func.count()).select_from(DataItem))
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Households' case data disposed of: 0." in result.output
    # Ellie is 9: the household is due when she turns 25, in 16 years, not before.
    schedule = Schedule.from_config(app.config)
    due_in = {
        years: [
            due.reference
            for due in due_households(db, london_today() + relativedelta(years=years), schedule)
        ]
        for years in (15, 17)
    }
    assert DEMO_REFERENCE not in due_in[15] and DEMO_REFERENCE in due_in[17]
    assert db.scalar(select(Household).where(Household.reference == DEMO_REFERENCE))
    assert db.scalar(select(func.count()).select_from(DataItem)) == before


def test_a_disposed_persons_browser_is_signed_out_and_cannot_sign_in_again(
    app: Flask, db: Session, client: FlaskClient
) -> None:
    old = case_household(db, adult_born=dt.date(1970, 6, 1), child_born=LEAP_CHILD)
    old.account.password_hash = hash_password(PASSWORD)
    old.account.email_confirmed_at = noon(dt.date(2024, 1, 1))
    db.commit()
    email = old.account.email
    sign_in(client, email, PASSWORD)
    record = f"/your-data/{old.adult.id}"
    assert "Oldcase Row" in client.get(record).get_data(as_text=True)

    assert run(app, db, TURNS_25) == [old.household.reference]

    assert client.get(record).status_code == 302
    page = client.get("/sign-in")
    again = client.post(
        "/sign-in", data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORD}
    )
    assert again.status_code == 400 and "Oldcase" not in again.get_data(as_text=True)
