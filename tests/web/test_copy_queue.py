"""The DPO copy-requests queue (UK GDPR Article 15): sorted by due date with overdue ones first,
filtered, paged by keyset; opening a request is audited; claiming is safe under concurrency;
nobody but a DPO officer sees any of it."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal.ages import london_today
from portal.models import Account, AuditEvent, CopyRequest, CopyRequestEvent, Person
from portal.services import copy_handling, copy_queue
from portal.services.copy_handling import Result
from portal.vocabulary import CopyStatus
from tests.conftest import person_id, sign_in
from tests.databases import keyed_engine
from tests.factories import another_officer, copy_request
from tests.pages import csrf_token, errors_of, text_of
from tests.races import all_at_once, officer, race_database, race_session

SAM = "sam.rivers@example.com"
OFFICER = "dpo.officer@example.com"
REVIEWER = "dpo.reviewer@example.com"
ADMIN = "portal.admin@example.com"
QUEUE = "/staff/copy-requests"


def account_of(db: Session, email: str) -> Account:
    found = db.scalar(select(Account).where(Account.email == email))
    assert found is not None
    return found


def person(db: Session, name: str) -> Person:
    found = db.get(Person, person_id(name))
    assert found is not None
    return found


def stored(db: Session, reference: str) -> CopyRequest:
    db.expire_all()
    found = copy_queue.by_reference(db, reference)
    assert found is not None
    return found


def act(staff: FlaskClient, reference: str, action: str, **fields: Any) -> TestResponse:
    """Posts one of the request page's forms, with the page's CSRF token."""
    page = staff.get(f"{QUEUE}/{reference}")
    assert page.status_code == 200
    return staff.post(
        f"{QUEUE}/{reference}/{action}", data={"csrf_token": csrf_token(page), **fields}
    )


def outcome_of(response: TestResponse) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"].split("outcome=")[1]


def soup_of(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def the(found: object) -> Tag:
    """A tag the page must have."""
    assert isinstance(found, Tag), "not on the page"
    return found


def rows_of(response: TestResponse) -> list[str]:
    return [the(row.find("a")).get_text() for row in soup_of(response).select("tbody tr")]


def test_queue_is_sorted_by_due_date_with_overdue_and_due_soon_marked(
    client: FlaskClient, db: Session
) -> None:
    holder = another_officer(db, "Sorting Officer")
    sam = account_of(db, SAM)
    today = london_today()

    def made(due_on: dt.date, status: CopyStatus = CopyStatus.RECEIVED) -> CopyRequest:
        request = copy_request(db, requester=sam, status=status, assigned_to=holder)
        request.due_on = due_on
        db.commit()
        return request

    later = made(today + dt.timedelta(days=30))
    overdue = made(today - dt.timedelta(days=3))
    soon = made(today)
    waiting = made(today - dt.timedelta(days=10), CopyStatus.WAITING)  # clock stopped
    released = made(today - dt.timedelta(days=20), CopyStatus.RELEASED)
    sign_in(client, OFFICER)

    response = client.get(f"{QUEUE}?officer={holder.id}")
    expected = [waiting, overdue, soon, later]
    assert rows_of(response) == [r.reference for r in expected]
    rows = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("tbody tr")
    tags = {the(row.find("a")).get_text(): row.get_text(" ") for row in rows}
    assert "Overdue" in tags[overdue.reference]
    assert "Due soon" in tags[soon.reference]
    assert "Overdue" not in tags[later.reference] and "Due soon" not in tags[later.reference]
    assert "Overdue" not in tags[waiting.reference]  # the clock is stopped
    assert "Sam Rivers" in tags[later.reference] and "Sorting Officer" in tags[later.reference]
    assert "Waiting for the requester" in tags[waiting.reference]
    assert released.reference not in rows_of(response)  # open ones by default


def test_queue_filters_by_status_officer_unassigned_and_overdue(
    client: FlaskClient, db: Session
) -> None:
    today = london_today()
    sam, me, other = account_of(db, SAM), account_of(db, OFFICER), another_officer(db)
    ellie = person(db, "ellie")
    mine = copy_request(db, requester=sam, assigned_to=me)
    theirs = copy_request(db, requester=sam, subject=ellie, assigned_to=other)
    nobodys = copy_request(db, requester=sam, received_on=today - dt.timedelta(days=40))
    approval = copy_request(db, requester=sam, status=CopyStatus.AWAITING_APPROVAL, assigned_to=me)
    refused = copy_request(
        db, requester=sam, status=CopyStatus.REFUSED, received_on=today - dt.timedelta(days=90)
    )
    sign_in(client, OFFICER)
    made = {r.reference for r in (mine, theirs, nobodys, approval, refused)}

    def shown(query: str) -> set[str]:
        """Which of these requests the page shows."""
        return made & set(rows_of(client.get(f"{QUEUE}?{query}")))

    assert shown("") == {mine.reference, theirs.reference, nobodys.reference, approval.reference}
    assert shown("officer=mine") == {mine.reference, approval.reference}
    assert shown("officer=unassigned") == {nobodys.reference}
    assert shown(f"officer={other.id}") == {theirs.reference}
    assert shown("status=awaiting_approval") == {approval.reference}
    assert shown("status=refused") == {refused.reference}
    assert shown("status=all") == made
    assert shown("overdue=y") == {nobodys.reference}
    assert shown("overdue=y&status=refused") == set()  # a closed request is never overdue
    assert shown("overdue=y&officer=mine") == set()
    page = text_of(client.get(f"{QUEUE}?officer={other.id}"))
    assert "Ellie Rivers" in page and "Dana Officer" in page

    status = the(soup_of(client.get(f"{QUEUE}?status=refused")).find("select", id="status"))
    assert the(status.find("option", selected=True))["value"] == "refused"
    assert "Select a status from the list" in errors_of(client.get(f"{QUEUE}?status=nonsense"))
    unknown = client.get(f"{QUEUE}?officer={uuid.uuid4()}")
    assert errors_of(unknown) == ["Select an officer from the list"]
    assert "Correct the filters to see the queue." in text_of(unknown)


def test_keyset_pages_show_every_request_once_forwards_and_back(
    client: FlaskClient, db: Session
) -> None:
    holder = another_officer(db, "Paging Officer")
    sam = account_of(db, SAM)
    today = london_today()
    made = [
        # Several on each day, so that pages break inside a run of equal due dates.
        copy_request(
            db,
            requester=sam,
            received_on=today - dt.timedelta(days=n % 7),
            assigned_to=holder,
            commit=False,
        )
        for n in range(31)
    ]
    db.commit()
    sign_in(client, OFFICER)

    expected = [r.reference for r in sorted(made, key=lambda r: (r.due_on, r.id))]
    pages: list[list[str]] = []
    url: str | None = f"{QUEUE}?officer={holder.id}"
    while url:
        response = client.get(url)
        pages.append(rows_of(response))
        link = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("a", rel="next")
        url = str(the(link)["href"]) if link else None
        assert url is None or f"officer={holder.id}" in url  # the filters are kept
    assert [len(page) for page in pages] == [copy_queue.PAGE_SIZE, 31 - copy_queue.PAGE_SIZE]
    assert [reference for page in pages for reference in page] == expected

    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    back = client.get(str(the(soup.find("a", rel="prev"))["href"]))
    assert rows_of(back) == pages[0]
    assert BeautifulSoup(back.get_data(as_text=True), "html.parser").find("a", rel="prev") is None
    assert rows_of(client.get(f"{QUEUE}?officer={holder.id}&after=nonsense")) == pages[0]


def test_opening_a_request_is_audited_as_a_view_of_the_persons_record(
    client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM), subject=person(db, "ellie"))
    sign_in(client, OFFICER)
    page = client.get(f"{QUEUE}/{made.reference}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Ellie Rivers" in text and "Sam Rivers" in text and "Everything we hold" in text
    views = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "record.viewed",
            AuditEvent.subject_person_id == person_id("ellie"),
            AuditEvent.actor_account_id == account_of(db, OFFICER).id,
        )
    ).all()
    assert [event.detail["reason"] for event in views] == ["copy_request"]


def test_two_officers_claiming_one_wins_and_the_other_is_told_who_holds_it(
    client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM))
    now = dt.datetime.now(dt.UTC)
    first, second = another_officer(db, "Dana First"), another_officer(db, "Eli Second")
    results = [
        copy_handling.claim(db, who, stored(db, made.reference), now, None)
        for who in (first, second)
    ]
    assert results == [Result.DONE, Result.NOT_ALLOWED]
    assert stored(db, made.reference).assigned_account_id == first.id

    sign_in(client, OFFICER)
    lost = act(client, made.reference, "claim")
    assert outcome_of(lost) == "claim-lost"
    page = text_of(client.get(lost.headers["Location"]))
    assert "Another officer claimed this request first" in page
    assert "Dana First, Information Governance holds this request" in page
    refused = act(client, made.reference, "question", question_text="Which dates?")
    assert outcome_of(refused) == "not-allowed"
    assert [e.action for e in stored(db, made.reference).events] == ["claimed"]


def test_an_officer_takes_over_a_request_another_holds_saying_why(
    client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM))
    away = another_officer(db, "Dana Away")
    copy_handling.claim(db, away, stored(db, made.reference), dt.datetime.now(dt.UTC), None)
    sign_in(client, OFFICER)

    blank = act(client, made.reference, "take-over", take_over_reason="  ")
    assert blank.status_code == 400
    assert "Enter why you are taking it over" in text_of(blank)
    assert stored(db, made.reference).assigned_account_id == away.id

    taken = act(client, made.reference, "take-over", take_over_reason="Dana is on leave")
    assert outcome_of(taken) == "taken-over"
    request = stored(db, made.reference)
    assert request.assigned_account_id == account_of(db, OFFICER).id
    assert [(e.action, e.note, e.visible_to_requester) for e in request.events][-1] == (
        "taken_over",
        "Dana is on leave",
        False,
    )
    page = text_of(client.get(taken.headers["Location"]))
    assert "You have taken over this request" in page and "Dana is on leave" in page
    # Held by this officer now: taking it over again does nothing.
    again = copy_handling.take_over(
        db, account_of(db, OFFICER), request, "again", dt.datetime.now(dt.UTC), None
    )
    assert again is Result.NOT_ALLOWED


def test_staff_home_links_officers_to_the_copy_requests_queue(client: FlaskClient) -> None:
    sign_in(client, OFFICER)
    home = BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser")
    assert the(home.find("a", href=QUEUE)).get_text() == "Copy requests"


def test_an_unknown_reference_is_404(client: FlaskClient) -> None:
    sign_in(client, OFFICER)
    token = csrf_token(client.get(QUEUE))
    assert client.get(f"{QUEUE}/SAR-NOTHING1").status_code == 404
    assert client.get(f"{QUEUE}/SAR-NOTHING1/copy.zip").status_code == 404
    for action in ("claim", "release", "approve", "refuse", "question", "extend"):
        path = f"{QUEUE}/SAR-NOTHING1/{action}"
        assert client.post(path, data={"csrf_token": token}).status_code == 404, path


ACTIONS = ["claim", "question", "extend", "release", "approve", "refuse"]


@pytest.mark.parametrize(
    ("email", "token_page"), [(SAM, "/your-data"), (ADMIN, "/staff"), (None, "/sign-in")]
)
def test_families_administrators_and_strangers_get_404_on_every_staff_copy_request_page(
    client: FlaskClient, db: Session, email: str | None, token_page: str
) -> None:
    sam = account_of(db, SAM)
    made = copy_request(db, requester=sam, assigned_to=account_of(db, OFFICER))
    item = uuid.uuid4()
    if email:
        sign_in(client, email)
    token = csrf_token(client.get(token_page))
    for path in (QUEUE, f"{QUEUE}/{made.reference}", f"{QUEUE}/{made.reference}/copy.zip"):
        assert client.get(path).status_code == 404, path
    for action in [*ACTIONS, f"items/{item}/treat", f"items/{item}/undo"]:
        path = f"{QUEUE}/{made.reference}/{action}"
        data = {"csrf_token": token, "refusal_reason": "manifestly_excessive", "refusal_note": "x"}
        assert client.post(path, data=data).status_code == 404, path
    found = stored(db, made.reference)
    assert found.status is CopyStatus.RECEIVED and found.events == []


# Concurrent claims need committed rows that other connections can see, so they run against a
# database of their own instead of the per-test rolled-back transaction.

REQUESTS = 20


@pytest.fixture(scope="module")
def claim_race(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    def requests(session: Session) -> list[str]:
        sam = account_of(session, SAM)
        made = [copy_request(session, requester=sam, commit=False) for _ in range(REQUESTS)]
        return [request.reference for request in made]

    with race_database(tmp_path_factory.mktemp("copy-claims"), requests) as race:
        yield race


def test_eight_officers_claiming_at_once_claim_each_request_once(
    claim_race: tuple[str, list[str]],
) -> None:
    url, references = claim_race
    engine = keyed_engine(url)
    wins: list[tuple[str, uuid.UUID]] = []

    def officer_claims(n: int, start: threading.Barrier) -> None:
        with race_session(engine) as session:
            me = officer(session, n)
            session.commit()
            start.wait(timeout=30)
            for reference in references:
                request = copy_queue.by_reference(session, reference)
                assert request is not None
                now = dt.datetime.now(dt.UTC)
                if copy_handling.claim(session, me, request, now, None) is Result.DONE:
                    wins.append((reference, me.id))

    assert all_at_once(officer_claims) == []
    assert sorted(reference for reference, _ in wins) == sorted(references)
    with race_session(engine) as session:
        claimed = session.scalars(
            select(CopyRequest).where(CopyRequest.reference.in_(references))
        ).all()
        assert {(r.reference, r.assigned_account_id) for r in claimed} == set(wins)
        events = Counter(
            session.scalars(
                select(CopyRequestEvent.copy_request_id).where(
                    CopyRequestEvent.action == "claimed",
                    CopyRequestEvent.copy_request_id.in_([r.id for r in claimed]),
                )
            )
        )
        assert sorted(events.values()) == [1] * REQUESTS
        claims = session.scalars(select(AuditEvent).where(AuditEvent.action == "copy.claimed"))
        assert len(claims.all()) == REQUESTS
    engine.dispose()
