"""NI and NHS numbers, health notes, addresses and two-step keys are encrypted at rest: the
database holds only ciphertext tagged with its key id, and a changed or moved value fails
loudly."""

from __future__ import annotations

import base64
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Text, select, type_coerce, update
from sqlalchemy.orm import Session

from portal.config import TEST_KEYS
from portal.demo.synthetic import demo_id
from portal.encryption import DecryptionError
from portal.models import Account, Complaint, DataItem
from portal.services.key_rotation import encrypted_models
from tests.conftest import person_id, sign_in
from tests.databases import rolled_back_app
from tests.web.test_corrections import ask

ELLIE_HEALTH = demo_id("item:ellie-health")
NEW_KEYS = {
    "DATA_KEYS": f"test-2:{base64.b64encode(b'n' * 32).decode()},{TEST_KEYS['DATA_KEYS']}",
    "DATA_KEY_ID": "test-2",
}


def raw_values(db: Session) -> list[str]:
    """Every non-null value of every encrypted column, as the database holds it."""
    found = []
    for model in encrypted_models():
        for column in model.columns:
            raw = type_coerce(column, Text())
            found += db.scalars(select(raw).where(raw.is_not(None))).all()
    return found


def raw_value(db: Session, item_id: uuid.UUID) -> str:
    raw = type_coerce(DataItem.value, Text())
    return db.scalars(select(raw).where(DataItem.id == item_id)).one()


def test_the_database_holds_no_plaintext_numbers_health_notes_or_addresses(
    client: FlaskClient, db: Session
) -> None:
    sign_in(client, "sam.rivers@example.com")
    ask(client, ELLIE_HEALTH, should_say="No asthma since 2024", why="Letter from Dr Example")
    plaintexts = [
        db.get(DataItem, demo_id(f"item:{key}")).value
        for key in ("sam-ni", "ellie-nhs", "ellie-health", "lee-address", "sam-address")
    ] + ["No asthma since 2024", "Dr Example", "Sample Row"]
    officer = db.scalar(select(Account).where(Account.email == "dpo.officer@example.com"))
    plaintexts.append(officer.totp_secret)  # the key that makes their two-step codes
    stored = raw_values(db)
    assert stored and all(value.startswith("v1:test-1:") for value in stored)
    assert not [text for text in plaintexts if any(text in value for value in stored)]


def test_a_tampered_value_fails_loudly(db: Session) -> None:
    stored = raw_value(db, ELLIE_HEALTH)
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    db.execute(
        update(DataItem)
        .where(DataItem.id == ELLIE_HEALTH)
        .values(value=type_coerce(tampered, Text()))
    )
    db.expire_all()
    with pytest.raises(DecryptionError, match="data_items.value"):
        db.get(DataItem, ELLIE_HEALTH)


def test_a_value_moved_to_another_column_fails(db: Session) -> None:
    complaint_id = db.scalars(
        select(Complaint.id).where(Complaint.complainant_address.is_not(None))
    ).first()
    moved = type_coerce(raw_value(db, ELLIE_HEALTH), Text())
    db.execute(
        update(Complaint).where(Complaint.id == complaint_id).values(complainant_address=moved)
    )
    db.expire_all()
    with pytest.raises(DecryptionError, match="complaints.complainant_address"):
        db.get(Complaint, complaint_id)


def test_sql_cannot_compare_an_encrypted_column() -> None:
    """A comparison would silently match nothing: it is an error instead."""
    with pytest.raises(TypeError, match="blind index"):
        select(DataItem).where(DataItem.value == "Asthma")
    with pytest.raises(TypeError, match="blind index"):
        select(DataItem).where(DataItem.value.like("%Asthma%"))


def test_values_under_the_old_key_read_after_a_new_current_key_is_added(
    database_url: str,
) -> None:
    with rolled_back_app(database_url, NEW_KEYS) as app:
        client = app.test_client()
        sign_in(client, "sam.rivers@example.com")
        page = client.get(f"/your-data/{person_id('ellie')}").get_data(as_text=True)
        assert "Asthma; inhaler kept at school" in page
        ask(client, ELLIE_HEALTH, should_say="No asthma since 2024")
        with app.extensions["database"].sessions() as db:
            assert raw_value(db, ELLIE_HEALTH).startswith("v1:test-1:")
            newest = [value for value in raw_values(db) if value.startswith("v1:test-2:")]
            assert len(newest) == 3  # what is wrong, what it should say, why


def test_each_encrypted_column_is_bound_to_its_own_table_and_column() -> None:
    """A copied model line that kept another column's name would let values move unnoticed."""
    columns = [column for model in encrypted_models() for column in model.columns]
    assert {f"{column.table.name}.{column.name}" for column in columns} >= {
        "data_items.value",
        "supplementary_statements.text",
        "complaints.complainant_address",
    }
    for column in columns:
        assert column.type.context == f"{column.table.name}.{column.name}"
