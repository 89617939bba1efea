"""Pages issue the same number of SQL statements however much data a household has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from portal.models import Account, CopyRequest, DataItem, Person, Restriction
from portal.vocabulary import ItemKind, Source
from tests.conftest import person_id, sign_in
from tests.factories import copy_request


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = app.extensions["database"].engine

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_items(db, count: int) -> None:
    for number in range(count):
        for name in ("sam", "ellie"):
            item = DataItem(
                person_id=person_id(name),
                kind=ItemKind.HEALTH_NOTE,
                value=f"note {number}",
                source=Source.FAMILY,
                obtained_on=dt.date(2026, 1, 1),
            )
            item.restrictions = [
                Restriction(
                    restricted_person_id=person_id("lee"),
                    reason="r",
                    set_by="s",
                    set_on=dt.date(2026, 1, 1),
                    review_on=dt.date(2027, 1, 1),
                )
            ]
            db.add(item)
    db.commit()


@pytest.mark.parametrize("path", ["/your-data", f"/your-data/{person_id('ellie')}"])
def test_family_pages_do_not_query_more_as_data_grows(
    app: Flask, client: FlaskClient, db, path: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    with counted(app) as before:
        assert client.get(path).status_code == 200
    add_items(db, 300)
    with counted(app) as after:
        assert client.get(path).status_code == 200
    assert len(after) == len(before), "\n".join(
        s[:90] for s in ["BEFORE", *before, "AFTER", *after]
    )


def requests_by(db, email: str, count: int) -> CopyRequest:
    requester = db.scalar(select(Account).where(Account.email == email))
    made = [
        copy_request(db, requester=requester, subject=db.get(Person, person_id(name)), commit=False)
        for _ in range(count)
        for name in ("sam", "ellie")
    ]
    db.commit()
    return made[0]


def test_copy_request_lists_do_not_query_more_as_requests_grow(
    app: Flask, client: FlaskClient, db
) -> None:
    officer = app.test_client()
    sign_in(officer, "dpo.officer@example.com")
    sign_in(client, "sam.rivers@example.com")
    requests_by(db, "sam.rivers@example.com", 1)
    pages = [(client, "/copy-of-your-data"), (officer, "/staff/copy-requests")]
    before = []
    for who, path in pages:
        with counted(app) as statements:
            assert who.get(path).status_code == 200
        before.append(len(statements))
    requests_by(db, "sam.rivers@example.com", 12)
    for (who, path), expected in zip(pages, before, strict=True):
        with counted(app) as statements:
            assert who.get(path).status_code == 200
        assert len(statements) == expected, path


def test_the_copy_review_page_does_not_query_more_as_the_record_grows(
    app: Flask, client: FlaskClient, db
) -> None:
    request = requests_by(db, "sam.rivers@example.com", 1)
    sign_in(client, "dpo.officer@example.com")
    path = f"/staff/copy-requests/{request.reference}"
    with counted(app) as before:
        assert client.get(path).status_code == 200
    add_items(db, 100)
    with counted(app) as after:
        assert client.get(path).status_code == 200
    assert len(after) == len(before), "\n".join(
        s[:90] for s in ["BEFORE", *before, "AFTER", *after]
    )
