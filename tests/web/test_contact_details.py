"""Families change their own contact details at once, after proving it is them again; both
old and new channels hear of it unless the old one is unsafe."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.demo.synthetic import demo_id
from portal.models import DataItem, NotificationChannel, Restriction
from tests.conftest import PASSWORDS, person_id, sign_in
from tests.factories import outbox
from tests.pages import csrf_token, errors_of, text_of

SAM_EMAIL = demo_id("item:sam-email")
SAM_PHONE = demo_id("item:sam-phone")
SAM_ADDRESS = demo_id("item:sam-address")


def confirm_password(client: FlaskClient, next_path: str, password: str | None = None):
    page = client.get(f"/confirm-password?next={next_path}")
    return client.post(
        f"/confirm-password?next={next_path}",
        data={"csrf_token": csrf_token(page), "password": password or PASSWORD},
    )


PASSWORD = PASSWORDS["sam.rivers@example.com"]


def change(client: FlaskClient, item_id, **fields: str):
    path = f"/your-data/items/{item_id}/change"
    page = client.get(path)
    assert page.status_code == 200, page.headers.get("Location")
    return client.post(path, data={"csrf_token": csrf_token(page), **fields})


def told(db, address: str, channel: NotificationChannel = NotificationChannel.EMAIL) -> int:
    return sum(
        1 for n in outbox(db, address) if n.kind == "contact_changed" and n.channel == channel
    )


def texted(db, number: str) -> int:
    return told(db, number, NotificationChannel.SMS)


def stale_sign_in(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    with client.session_transaction() as cookie_session:
        cookie_session["authenticated_at"] = 0


def test_a_change_needs_the_password_again_after_a_while(client: FlaskClient) -> None:
    stale_sign_in(client)
    path = f"/your-data/items/{SAM_PHONE}/change"
    assert client.get(path).headers["Location"].startswith("/confirm-password?next=")
    wrong = confirm_password(client, path, "not my password")
    assert "Enter your password correctly" in text_of(wrong)
    assert confirm_password(client, path).headers["Location"] == path
    assert client.get(path).status_code == 200


def test_a_new_phone_number_applies_at_once_and_keeps_the_old_version(
    client: FlaskClient, db
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = change(client, SAM_PHONE, value="+44 7700 900 555")
    assert response.headers["Location"] == f"/your-data/{person_id('sam')}?changed=1"
    page = text_of(client.get(response.headers["Location"]))
    assert "07700 900555" in page and "07700 900123" not in page
    assert "Changed by you on" in page
    old = db.get(DataItem, SAM_PHONE)
    db.refresh(old)
    assert old.value == "07700 900123" and old.replaced_by_id is not None
    assert told(db, "sam.rivers@example.com") == 1


def test_a_new_phone_number_texts_the_old_and_the_new_and_emails_the_account(
    client: FlaskClient, db
) -> None:
    sign_in(client, "sam.rivers@example.com")
    change(client, SAM_PHONE, value="07700 900555")
    assert texted(db, "+447700900123") == 1
    assert texted(db, "+447700900555") == 1
    assert told(db, "sam.rivers@example.com") == 1
    [text] = outbox(db, "+447700900555")
    assert (text.language, text.personalisation) == ("en", {"detail_kind": "phone"})


def test_an_unsafe_old_phone_number_gets_no_text(client: FlaskClient, db) -> None:
    item = db.get(DataItem, SAM_PHONE)
    item.channel_unsafe = True
    db.commit()
    sign_in(client, "sam.rivers@example.com")
    change(client, SAM_PHONE, value="07700 900555")
    assert outbox(db, "+447700900123") == []
    assert texted(db, "+447700900555") == 1
    assert told(db, "sam.rivers@example.com") == 1


@pytest.mark.parametrize("unsafe", [False, True])
def test_the_same_number_typed_again_is_texted_once_and_never_if_unsafe(
    client: FlaskClient, db, unsafe: bool
) -> None:
    item = db.get(DataItem, SAM_PHONE)
    item.channel_unsafe = unsafe
    db.commit()
    sign_in(client, "sam.rivers@example.com")
    change(client, SAM_PHONE, value="+44 (0)7700 900 123")
    assert texted(db, "+447700900123") == (0 if unsafe else 1)
    assert told(db, "sam.rivers@example.com") == 1


def test_an_email_or_address_change_sends_no_text(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    change(client, SAM_EMAIL, value="sam.new@example.com")
    change(
        client, SAM_ADDRESS, line_1="3 Heron Way", line_2="", town="Shrewsbury", postcode="SY99 2AB"
    )
    assert outbox(db, "+447700900123") == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a phone number"),
        ("07700 900ABC", "Enter a phone number, like 07700 900 982 or +44 7700 900 982"),
        ("phone me", "Enter a phone number, like 07700 900 982 or +44 7700 900 982"),
        ("0770 090", "Enter a phone number, like 07700 900 982 or +44 7700 900 982"),
        ("٠٧٧٠٠ ٩٠٠٩٨٢", "Enter the phone number using the digits 0 to 9"),
        ("０７７００ ９００９８２", "Enter the phone number using the digits 0 to 9"),
    ],
)
def test_a_phone_number_that_is_not_one_is_refused_and_nobody_is_told(
    client: FlaskClient, db, typed: str, message: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = change(client, SAM_PHONE, value=typed)
    assert (response.status_code, errors_of(response)) == (400, [message])
    assert db.get(DataItem, SAM_PHONE).replaced_at is None
    assert outbox(db, "+447700900123") == [] and told(db, "sam.rivers@example.com") == 0


def test_a_new_email_address_tells_the_old_and_the_new(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    change(client, SAM_EMAIL, value="Sam.New@Example.com")
    assert told(db, "sam.rivers@example.com") == 1
    assert told(db, "sam.new@example.com") == 1


def test_an_unsafe_old_channel_is_never_told(client: FlaskClient, db) -> None:
    item = db.get(DataItem, SAM_EMAIL)
    item.channel_unsafe = True
    db.commit()
    sign_in(client, "sam.rivers@example.com")
    change(client, SAM_EMAIL, value="sam.safe@example.com")
    assert told(db, "sam.rivers@example.com") == 0
    assert told(db, "sam.safe@example.com") == 1


def test_a_new_address_keeps_the_restrictions_of_the_old(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    change(
        client, SAM_ADDRESS, line_1="3 Heron Way", line_2="", town="Shrewsbury", postcode="sy99 2ab"
    )
    newer = db.get(DataItem, db.get(DataItem, SAM_ADDRESS).replaced_by_id)
    assert newer.value == "3 Heron Way, Shrewsbury, SY99 2AB"
    restricted = db.scalars(
        select(Restriction.restricted_person_id).where(Restriction.item_id == newer.id)
    ).all()
    assert restricted == [person_id("lee")]


@pytest.mark.parametrize(
    ("item", "fields", "message"),
    [
        (SAM_PHONE, {"value": "0770"}, "Enter a phone number, like 07700 900 982"),
        (SAM_PHONE, {"value": "٠٧٧٠٠٩٠٠١٢٣"}, "Enter the phone number using the digits 0 to 9"),
        (SAM_EMAIL, {"value": "not an email"}, "Enter an email address in the correct format"),
        (
            SAM_ADDRESS,
            {"line_1": "3 Heron Way", "line_2": "", "town": "Shrewsbury", "postcode": "NOPE"},
            "Enter a real postcode",
        ),
        (
            SAM_ADDRESS,
            {"line_1": "", "line_2": "", "town": "Shrewsbury", "postcode": "SY99 2AB"},
            "Enter address line 1",
        ),
    ],
)
def test_bad_contact_details_get_a_message_and_nothing_changes(
    client: FlaskClient, db, item, fields: dict[str, str], message: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    response = change(client, item, **fields)
    assert message in text_of(response)
    assert db.get(DataItem, item).replaced_at is None


@pytest.mark.parametrize("other", ["ellie-address", "alex-phone"])
def test_only_your_own_contact_details_are_self_service(client: FlaskClient, other: str) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert client.get(f"/your-data/items/{demo_id('item:' + other)}/change").status_code == 404


def test_a_childs_address_goes_through_a_request_instead(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get(f"/your-data/{person_id('ellie')}"))
    assert "Ask us to correct this (Address)" in page
    own = text_of(client.get(f"/your-data/{person_id('sam')}"))
    assert "Change (Address)" in own and "Ask us to correct this (Address)" not in own
