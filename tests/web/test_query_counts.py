"""Pages issue the same number of SQL statements however much data a household has."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from portal.models import Account, CopyRequest, DataItem, Person, Restriction
from portal.services import sessions
from portal.vocabulary import ItemKind, Source
from tests.conftest import PASSWORDS, person_id, sign_in
from tests.crawler import crawled_rules, urls
from tests.factories import copy_request
from tests.growing_household import PASSWORD_OF, GrowingHousehold, grow, new_household


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


# The staff queues as an officer filters them: every filter each queue offers.
FILTERED = [
    "/staff/complaints?status=all",
    "/staff/complaints?status=new&category=wrong_data&channel=portal",
    "/staff/complaints?officer=unassigned&overdue=y",
    "/staff/complaints?officer=mine",
    "/staff/copy-requests?status=all",
    "/staff/copy-requests?status=received&officer=unassigned&overdue=y",
]
# Read deep too: the page reached by following "Next page" DEPTH times (200 rows in).
DEEP, DEPTH = ["/staff/complaints?status=all", "/staff/copy-requests?status=all"], 8
NOTHING = str(uuid.uuid4())  # names no record: a guardian request, an attachment
NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


def statements_on(app: Flask, client: FlaskClient, path: str) -> str:
    """The page's status and how many statements it issued."""
    with counted(app) as statements:
        response = client.get(path)
    response.close()
    return f"{response.status_code}, {len(statements)} statements"


def every_page_of(app: Flask, family: GrowingHousehold) -> list[str]:
    """Every GET route, once, naming the household's person, first item and first request of
    each kind (the ones whose history grows)."""
    known = {
        "person_id": [str(family.person.id)],
        "item_id": [str(family.first_item_id)],
        "request_id": [NOTHING],
        "attachment_id": [NOTHING],
        "reference": family.references,
        "token": ["not-a-real-token"],
        "language": ["cy", "en"],
        "field": ["name"],
        "code": ["no-such-partner"],
    }
    return [url for rule in crawled_rules(app) for url, _ in urls(rule, known)]


def deep_page(client: FlaskClient, path: str, depth: int) -> str:
    """The queue page reached from `path` by following its next link `depth` times."""
    for _ in range(depth):
        link = NEXT_LINK.search(client.get(path).get_data(as_text=True))
        assert link is not None, f"no page after {path}"
        path = html.unescape(link.group(1))
    return path


def every_count(
    app: Flask, readers: dict[str, FlaskClient], family: GrowingHousehold, depth: int
) -> dict[str, str]:
    """Statements per page, keyed by reader and page: every page of the household for
    the family and the officer, the filtered queues, and the queues `depth` pages in."""
    pages = every_page_of(app, family)
    wanted = [("family", p, p) for p in pages] + [("officer", p, p) for p in pages + FILTERED]
    wanted += [("officer", f"{q} (deep)", deep_page(readers["officer"], q, depth)) for q in DEEP]
    return {f"{who} {name}": statements_on(app, readers[who], path) for who, name, path in wanted}


def test_no_page_queries_more_for_a_thousand_items_than_for_one(
    app: Flask, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page a family member and a DPO officer can reach, the staff queues filtered and
    deep: the same statements with 1 data item (and one of each request) as with 1,000."""
    # A session notes it was seen once a minute, on whichever page comes then: not this test's.
    monkeypatch.setattr(sessions, "TOUCH_INTERVAL", dt.timedelta(days=1))
    family = new_household(db)
    grow(db, family, 1)
    # Plain clients: the other tests check each page's HTML; here only the count matters.
    readers = {who: FlaskClient(app, app.response_class) for who in ("family", "officer")}
    sign_in(readers["family"], family.account.email, PASSWORDS[PASSWORD_OF])
    sign_in(readers["officer"], "dpo.officer@example.com")
    # Its first visit keeps a new two-step key in the session: once, not per page.
    readers["family"].get("/account/two-step")
    small = every_count(app, readers, family, depth=0)
    grow(db, family, 999)
    large = every_count(app, readers, family, depth=DEPTH)
    differ = [
        f"{page}: {small[page]} with 1 item, {large[page]} with 1,000"
        for page in small
        if small[page] != large[page]
    ]
    assert not differ, "\n".join(differ)
