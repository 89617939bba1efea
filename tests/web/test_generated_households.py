"""Generated households (`demo-data --households N`, the benchmark's data) are whole records
the portal reads like any other: written by COPY on PostgreSQL and INSERT on SQLite."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.ages import london_today
from portal.demo.generated import LOAD_PASSWORD, add_generated_households
from portal.encryption import session_keyring
from portal.models import Account, Complaint, CopyRequest, DataItem, Household, Person, SharingEvent
from portal.models.items import lookup_hash
from portal.passwords import hash_password
from portal.vocabulary import ItemKind
from tests.conftest import sign_in


def generated(db, model) -> list:
    household = select(Household.id).where(Household.reference.like("EH-L%"))
    if model is Household:
        return list(db.scalars(select(Household).where(Household.id.in_(household))))
    return list(db.scalars(select(model)))


def test_generated_households_are_complete_and_added_only_once(app: Flask, db) -> None:
    before = {model: db.scalar(select(func.count()).select_from(model)) for model in (Person,)}
    assert add_generated_households(db, 4, london_today(), hash_password(LOAD_PASSWORD)) == 4
    assert add_generated_households(db, 4, london_today(), hash_password(LOAD_PASSWORD)) == 0
    assert len(generated(db, Household)) == 4
    people = db.scalar(select(func.count()).select_from(Person)) - before[Person]
    assert 8 <= people <= 24
    items = list(db.scalars(select(DataItem).where(DataItem.value.is_not(None))))
    keyring = session_keyring(db)
    numbers = [item for item in items if item.kind in (ItemKind.NHS_NUMBER, ItemKind.NI_NUMBER)]
    assert numbers
    assert all(item.lookup_hash == lookup_hash(keyring, item.kind, item.value) for item in numbers)
    assert db.scalar(select(func.count()).select_from(SharingEvent)) >= 2 * people


def test_a_generated_parent_signs_in_and_sees_their_household(
    app: Flask, client: FlaskClient, db
) -> None:
    add_generated_households(db, 3, london_today(), hash_password(LOAD_PASSWORD))
    parent = db.scalar(select(Account).where(Account.email == "parent2@example.com"))
    sign_in(client, "parent2@example.com", LOAD_PASSWORD)
    page = client.get("/your-data")
    assert page.status_code == 200
    assert parent.person.family_name in page.get_data(as_text=True)


def test_generated_requests_fill_the_queues(app: Flask, db) -> None:
    add_generated_households(db, 6, london_today(), hash_password(LOAD_PASSWORD))
    complaints = db.scalars(select(Complaint).where(Complaint.reference.like("CMP-G%"))).all()
    copies = db.scalars(select(CopyRequest).where(CopyRequest.reference.like("SAR-G%"))).all()
    assert len(complaints) >= 6
    assert all(c.received_on <= london_today() for c in [*complaints, *copies])
