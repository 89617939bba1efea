"""The DPO corrections queue: claim safely, accept (a new version, or a task to ask the source),
refuse (a disputed item the family adds a statement to), extend, and tell every recipient."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.demo.synthetic import demo_id
from portal.models import (
    Account,
    AuditEvent,
    CorrectionEvent,
    CorrectionRequest,
    CorrectionTask,
    DataItem,
    Partner,
)
from portal.services import correction_decisions, correction_queue
from portal.vocabulary import CorrectionStatus, CorrectionTaskKind, RefusalReason, Role, Source
from tests.conftest import person_id, sign_in
from tests.databases import keyed_engine
from tests.factories import another_officer
from tests.pages import csrf_token, text_of
from tests.races import all_at_once, officer, race_database, race_session

SAM = "sam.rivers@example.com"
OFFICER = "dpo.officer@example.com"
ADMIN = "portal.admin@example.com"
QUEUE = "/staff/corrections"


def item_id(key: str) -> uuid.UUID:
    return demo_id(f"item:{key}")


def ask(family: FlaskClient, item_key: str, should_say: str = "Corrected value") -> str:
    """Asks through the family's own form; returns the new request's reference."""
    return send_request(
        family,
        f"/your-data/items/{item_id(item_key)}/correction",
        what_is_wrong=f"The {item_key} is out of date",
        should_say=should_say,
        why="We told the worker last month",
    )


def send_request(family: FlaskClient, path: str, **answers: str) -> str:
    """Fills in a correction form at `path`; returns the new request's reference."""
    page = family.get(path)
    assert page.status_code == 200
    key = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(
        "input", attrs={"name": "submission_key"}
    )
    data = {"csrf_token": csrf_token(page), "submission_key": key["value"], **answers}
    response = family.post(path, data=data)
    assert response.status_code == 302
    return response.headers["Location"].split("/your-requests/")[1].split("?")[0]


def act(staff: FlaskClient, reference: str, action: str, **fields: str):
    """Posts one of the request page's forms, with the page's CSRF token."""
    page = staff.get(f"{QUEUE}/{reference}")
    assert page.status_code == 200
    return staff.post(
        f"{QUEUE}/{reference}/{action}", data={"csrf_token": csrf_token(page), **fields}
    )


def stored(db: Session, reference: str) -> CorrectionRequest:
    db.expire_all()
    found = correction_queue.by_reference(db, reference)
    assert found is not None
    return found


def signed_in_pair(client: FlaskClient) -> tuple[FlaskClient, FlaskClient]:
    """Sam, a parent, and the demo DPO officer, each in their own browser."""
    family = client.application.test_client()
    sign_in(family, SAM)
    sign_in(client, OFFICER)
    return family, client


def test_officer_accepts_a_council_held_item_as_a_new_version(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-gp", should_say="Alder Vale Surgery")
    assert reference in text_of(staff.get(QUEUE))

    assert act(staff, reference, "claim").headers["Location"].endswith("outcome=claimed")
    page = text_of(staff.get(f"{QUEUE}/{reference}"))
    assert "Riverside Medical Practice" in page and "Alder Vale Surgery" in page
    assert "Claimed Internal" in page  # the claim is history the family never sees
    response = act(staff, reference, "accept", accept_text="We have updated the GP practice.")
    assert response.status_code == 302

    old = db.get(DataItem, item_id("ellie-gp"))
    assert old.replaced_at is not None and old.value == "Riverside Medical Practice"
    newer = db.get(DataItem, old.replaced_by_id)
    assert newer.value == "Alder Vale Surgery" and newer.replaced_at is None
    assert newer.restricted_from == {person_id("lee")}
    assert stored(db, reference).status == CorrectionStatus.ACCEPTED
    actions = set(
        db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("correction%")))
    )
    assert {"correction.requested", "correction.claimed", "correction.accepted"} <= actions
    assert "Alder Vale Surgery" in text_of(family.get(f"/your-data/{person_id('ellie')}"))
    assert "We have updated the GP practice." in text_of(family.get(f"/your-requests/{reference}"))


def test_accepting_a_partners_item_keeps_it_and_tells_every_recipient(
    client: FlaskClient, db
) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-attendance", should_say="98% in the autumn term")
    schools = db.scalar(select(Partner).where(Partner.code == "schools-and-colleges"))
    assert schools.name_en in text_of(staff.get(f"{QUEUE}/{reference}"))  # who received it

    act(staff, reference, "claim")
    act(staff, reference, "accept", accept_text="We have asked the school to correct it.")

    item = db.get(DataItem, item_id("ellie-attendance"))
    db.refresh(item)
    assert item.value == "96% in the autumn term" and item.replaced_at is None
    tasks = stored(db, reference).tasks
    assert sorted((t.kind, t.source, t.partner_id) for t in tasks) == [
        (CorrectionTaskKind.ASK_SOURCE, Source.SCHOOLS_ONE_SYSTEM, None),
        (CorrectionTaskKind.TELL_RECIPIENT, None, schools.id),
    ]
    told = text_of(family.get(f"/your-requests/{reference}"))
    assert "Who we told" in told and schools.name_en in told

    task = next(t for t in tasks if t.kind is CorrectionTaskKind.TELL_RECIPIENT)
    done = act(staff, reference, f"tasks/{task.id}/done")
    assert done.headers["Location"].endswith("outcome=task-done")
    db.refresh(task)
    assert task.done_at is not None
    assert act(staff, reference, f"tasks/{task.id}/done").headers["Location"].endswith(reference)
    assert "The task is marked as done" in text_of(staff.get(done.headers["Location"]))


def test_refused_request_gets_a_statement_shown_beside_the_item(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-health", should_say="No asthma")
    act(staff, reference, "claim")
    act(
        staff,
        reference,
        "refuse",
        refusal_reason=RefusalReason.ACCURATE.value,
        refusal_text="The school nurse confirmed the inhaler is still needed.",
    )
    assert stored(db, reference).refusal_reason is RefusalReason.ACCURATE

    request_page = family.get(f"/your-requests/{reference}")
    assert "The information is accurate as recorded" in text_of(request_page)
    family.post(
        f"/your-requests/{reference}",
        data={"csrf_token": csrf_token(request_page), "text": "Ellie has not used it in years."},
    )
    statement = "Statement from the family: Ellie has not used it in years."
    family_view = text_of(family.get(f"/your-data/{person_id('ellie')}"))
    staff_view = text_of(staff.get(f"/staff/people/{person_id('ellie')}"))
    for page in (family_view, staff_view):
        assert statement in page and "Disputed" in page
    assert "Ellie has not used it in years." in text_of(staff.get(f"{QUEUE}/{reference}"))


def test_extension_moves_the_due_date_and_the_family_sees_why(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-language", should_say="Welsh and English")
    act(staff, reference, "claim")
    response = act(
        staff, reference, "extend", months="2", extension_reason="We are waiting for the school."
    )
    assert response.headers["Location"].endswith("outcome=extended")

    request = stored(db, reference)
    assert request.extended_months == 2
    assert request.due_on == statutory_due_date(request.received_on, extension_months=2)
    page = text_of(family.get(f"/your-requests/{reference}"))
    assert "We need more time because: We are waiting for the school." in page

    shorter = act(staff, reference, "extend", months="1", extension_reason="Less time after all")
    assert "You can only extend within the first month" in text_of(shorter)
    assert stored(db, reference).due_on == request.due_on


def test_an_extension_after_the_first_month_is_refused(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-language")
    act(staff, reference, "claim")
    request = stored(db, reference)
    request.received_on -= dt.timedelta(days=45)
    db.commit()
    response = act(staff, reference, "extend", months="1", extension_reason="Too late")
    assert "You can only extend within the first month" in text_of(response)
    assert stored(db, reference).extended_months == 0


def test_mistakes_are_shown_in_an_error_summary_keeping_what_was_typed(
    client: FlaskClient, db
) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-language")
    act(staff, reference, "claim")

    empty = act(staff, reference, "accept", accept_text="  ")
    assert "Enter what you will tell the family" in text_of(empty)
    unreasoned = act(staff, reference, "refuse", refusal_text="Kept as recorded because")
    page = BeautifulSoup(unreasoned.get_data(as_text=True), "html.parser")
    assert page.title.string.startswith("Error:")
    assert "Select why you are refusing" in page.find(class_="govuk-error-summary").get_text()
    assert page.find("textarea", attrs={"name": "refusal_text"}).string.strip() == (
        "Kept as recorded because"
    )
    assert "Select how much longer you need" in text_of(act(staff, reference, "extend"))
    assert stored(db, reference).status == CorrectionStatus.IN_REVIEW


def test_two_officers_claiming_the_same_request_only_one_wins(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-language")
    now = dt.datetime.now(dt.UTC)
    first, second = another_officer(db, "Dana First"), another_officer(db, "Eli Second")
    results = [
        correction_decisions.claim(db, officer, stored(db, reference), now)
        for officer in (first, second)
    ]
    assert results == [True, False]
    assert stored(db, reference).claimed_by_account_id == first.id

    lost = act(staff, reference, "claim")  # the demo officer was a moment too late
    assert lost.status_code == 302
    page = text_of(staff.get(lost.headers["Location"]))
    assert "Another officer claimed this request first" in page
    assert "Dana First, Information Governance has claimed this request" in page
    refused = act(staff, reference, "accept", accept_text="Trying anyway")
    assert refused.headers["Location"].endswith("outcome=not-held")
    assert stored(db, reference).status == CorrectionStatus.IN_REVIEW


def test_a_decision_sent_twice_is_applied_once(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-gp", should_say="Alder Vale Surgery")
    act(staff, reference, "claim")
    page = staff.get(f"{QUEUE}/{reference}")
    data = {"csrf_token": csrf_token(page), "accept_text": "Updated."}
    assert (
        staff.post(f"{QUEUE}/{reference}/accept", data=data)
        .headers["Location"]
        .endswith("outcome=accepted")
    )
    again = staff.post(f"{QUEUE}/{reference}/accept", data=data)
    assert again.headers["Location"].endswith("outcome=not-held")
    versions = db.scalar(
        select(func.count())
        .select_from(DataItem)
        .where(DataItem.person_id == person_id("ellie"), DataItem.kind == "gp_practice")
    )
    assert versions == 2


def test_release_puts_a_request_back_in_the_queue(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    reference = ask(family, "ellie-language")
    act(staff, reference, "claim")
    assert act(staff, reference, "release").headers["Location"].endswith("outcome=released")
    request = stored(db, reference)
    assert request.status == CorrectionStatus.RECEIVED and request.claimed_by_account_id is None
    assert "Claim this request" in text_of(staff.get(f"{QUEUE}/{reference}"))


def test_queue_puts_overdue_first_and_filters(client: FlaskClient, db) -> None:
    family, staff = signed_in_pair(client)
    later = ask(family, "ellie-language")
    overdue = ask(family, "ellie-attendance")
    soon = ask(family, "ellie-gp")
    today = london_today()
    for reference, due_on in ((overdue, today - dt.timedelta(days=3)), (soon, today)):
        stored(db, reference).due_on = due_on
        db.commit()

    rows = BeautifulSoup(staff.get(QUEUE).get_data(as_text=True), "html.parser").select("tbody tr")
    assert [row.find("a").get_text() for row in rows][:3] == [overdue, soon, later]
    assert "Overdue" in rows[0].get_text() and "Due soon" in rows[1].get_text()
    assert "Overdue" not in rows[2].get_text() and "Due soon" not in rows[2].get_text()

    only_overdue = text_of(staff.get(f"{QUEUE}?overdue=y"))
    assert overdue in only_overdue and soon not in only_overdue
    from_schools = text_of(staff.get(f"{QUEUE}?source=schools_one_system"))
    assert overdue in from_schools and later not in from_schools
    assert later in text_of(staff.get(f"{QUEUE}?person=ellie+riv"))
    assert later not in text_of(staff.get(f"{QUEUE}?person=sam"))
    assert later not in text_of(staff.get(f"{QUEUE}?status=accepted"))
    assert "Select a status from the list" in text_of(staff.get(f"{QUEUE}?status=nonsense"))


def test_staff_home_links_to_the_queue(client: FlaskClient) -> None:
    sign_in(client, OFFICER)
    home = BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser")
    assert home.find("a", href=QUEUE).get_text() == "Correction requests"


def test_an_unknown_reference_is_404(client: FlaskClient) -> None:
    sign_in(client, OFFICER)
    page = client.get(QUEUE)
    assert client.get(f"{QUEUE}/COR-NOTHING1").status_code == 404
    data = {"csrf_token": csrf_token(page)}
    assert client.post(f"{QUEUE}/COR-NOTHING1/claim", data=data).status_code == 404


ACTIONS = ["claim", "release", "accept", "refuse", "extend"]


@pytest.mark.parametrize(
    ("email", "token_page"), [(SAM, "/your-data"), (ADMIN, "/staff"), (None, "/sign-in")]
)
def test_families_administrators_and_strangers_get_404(
    client: FlaskClient, db, email: str | None, token_page: str
) -> None:
    family = client.application.test_client()
    sign_in(family, SAM)
    reference = ask(family, "ellie-language")
    task = CorrectionTask(
        request_id=stored(db, reference).id, kind=CorrectionTaskKind.ASK_SOURCE, source=Source.DWP
    )
    db.add(task)
    db.commit()
    if email:
        sign_in(client, email)
    token = csrf_token(client.get(token_page))
    for path in (QUEUE, f"{QUEUE}/{reference}"):
        assert client.get(path).status_code == 404, path
    for action in [*ACTIONS, f"tasks/{task.id}/done"]:
        path = f"{QUEUE}/{reference}/{action}"
        assert client.post(path, data={"csrf_token": token}).status_code == 404, path
    assert stored(db, reference).status == CorrectionStatus.RECEIVED
    assert db.get(CorrectionTask, task.id).done_at is None


# Concurrent claims need committed rows that other connections can see, so they run against
# a database of their own instead of the per-test rolled-back transaction.

REQUESTS = 20


@pytest.fixture(scope="module")
def claim_race(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    def requests(session: Session) -> list[str]:
        return [_unclaimed_request(session, n) for n in range(REQUESTS)]

    with race_database(tmp_path_factory.mktemp("claims"), requests) as race:
        yield race


def _unclaimed_request(session: Session, n: int) -> str:
    today = london_today()
    request = CorrectionRequest(
        reference=f"COR-RACE{n:04d}",
        submission_key=f"race-{n:04d}-{uuid.uuid4().hex}",
        item_id=item_id("ellie-language"),
        person_id=person_id("ellie"),
        requested_by_account_id=demo_id(f"account:{SAM}"),
        received_on=today,
        what_is_wrong="Wrong",
        should_say="Right",
        why="Because",
        due_on=statutory_due_date(today),
    )
    session.add(request)
    return request.reference


def test_eight_officers_claiming_at_once_claim_each_request_once(
    claim_race: tuple[str, list[str]],
) -> None:
    url, references = claim_race
    engine = keyed_engine(url)
    wins: list[tuple[str, str]] = []

    def officer_claims(n: int, start: threading.Barrier) -> None:
        with race_session(engine) as session:
            me = officer(session, n)
            session.commit()
            start.wait(timeout=30)
            for reference in references:
                request = correction_queue.by_reference(session, reference)
                if correction_decisions.claim(session, me, request, dt.datetime.now(dt.UTC)):
                    wins.append((reference, me.email))

    assert all_at_once(officer_claims) == []
    assert sorted(reference for reference, _ in wins) == sorted(references)
    with race_session(engine) as session:
        claimed = session.scalars(
            select(CorrectionRequest).where(CorrectionRequest.reference.in_(references))
        ).all()
        owners = {
            account.id: account.email
            for account in session.scalars(select(Account).where(Account.role == Role.DPO_OFFICER))
        }
        assert {(r.reference, owners[r.claimed_by_account_id]) for r in claimed} == set(wins)
        assert {r.status for r in claimed} == {CorrectionStatus.IN_REVIEW}
        events = Counter(
            session.scalars(
                select(CorrectionEvent.request_id).where(CorrectionEvent.action == "claimed")
            )
        )
        assert sorted(events.values()) == [1] * REQUESTS
    engine.dispose()
