"""The age check: an under-13 sees nothing until a guardian with parental responsibility and
no restriction against them approves, while signed in, with a single-use bound token."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import Account, AccountToken, AuditEvent, GuardianRequest
from portal.vocabulary import GuardianRequestStatus
from tests.conftest import person_id, sign_in
from tests.factories import link_in, outbox
from tests.pages import csrf_token, text_of

ELLIE = "ellie.rivers@example.com"


def ellies_request(db) -> GuardianRequest:
    db.expire_all()
    ellie = db.scalar(select(Account).where(Account.email == ELLIE))
    return db.scalars(
        select(GuardianRequest)
        .where(GuardianRequest.child_account_id == ellie.id)
        .order_by(GuardianRequest.created_at.desc())
    ).first()


def emailed_link(db) -> str:
    return link_in(
        [n for n in outbox(db, "sam.rivers@example.com") if n.kind == "guardian_request"][-1]
    )


def answer(client: FlaskClient, page_path: str, decision: str):
    page = client.get(page_path)
    assert page.status_code == 200, page_path
    token = page.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]
    return client.post(
        "/guardian-requests/answer",
        data={"csrf_token": csrf_token(page), "token": token, "decision": decision},
    )


def test_parent_sees_the_task_and_approves(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    home = text_of(client.get("/your-data"))
    assert "Ellie Rivers has asked to use the portal" in home
    response = answer(client, f"/guardian-requests/review/{ellies_request(db).id}", "approve")
    assert response.headers["Location"] == "/your-data?answered=approve"
    assert ellies_request(db).status == GuardianRequestStatus.APPROVED
    assert outbox(db, ELLIE)[-1].kind == "guardian_decision"
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "guardian_request.approved"))

    child = client.application.test_client()
    sign_in(child, ELLIE)
    assert "You: Ellie Rivers" in text_of(child.get("/your-data"))


def test_the_emailed_link_works_for_the_guardian_it_was_sent_to(client: FlaskClient, db) -> None:
    link = emailed_link(db)
    assert client.get(link).status_code == 302  # sign in first
    sign_in(client, "sam.rivers@example.com")
    response = answer(client, link, "decline")
    assert response.headers["Location"] == "/your-data?answered=decline"
    assert ellies_request(db).status == GuardianRequestStatus.DECLINED


def test_a_token_is_single_use(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = client.get(emailed_link(db))
    token = page.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token(page), "token": token, "decision": "approve"}
    assert client.post("/guardian-requests/answer", data=data).status_code == 302
    assert client.post("/guardian-requests/answer", data=data).status_code == 404


def test_an_expired_token_is_refused(client: FlaskClient, db) -> None:
    for token in db.scalars(
        select(AccountToken).where(AccountToken.purpose == "guardian_approval")
    ):
        token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    sign_in(client, "sam.rivers@example.com")
    assert client.get(emailed_link(db)).status_code == 404


@pytest.mark.parametrize(
    "other", ["alex.morgan@example.com", "lee.rivers@example.com", "jamie.rivers@example.com"]
)
def test_another_persons_token_or_task_is_404(client: FlaskClient, db, other: str) -> None:
    link = emailed_link(db)
    sign_in(client, other)
    assert client.get(link).status_code == 404
    assert client.get(f"/guardian-requests/review/{ellies_request(db).id}").status_code == 404
    assert "has asked to use the portal" not in text_of(client.get("/your-data"))


def test_a_token_for_one_child_cannot_approve_another(client: FlaskClient, db) -> None:
    from tests.factories import invitation_for, make_child_of_the_demo_household
    from tests.web.test_create_account import create

    mia = make_child_of_the_demo_household(db, given_name="Mia", age_years=7)
    create(
        client.application.test_client(),
        invitation_for(db, mia),
        mia.date_of_birth,
        "mia@example.com",
    )
    sign_in(client, "sam.rivers@example.com")
    ellie_page = client.get(emailed_link(db))  # the last guardian email is now Mia's
    token = (
        ellie_page.get_data(as_text=True)
        .split('name="token" type="hidden" value="')[1]
        .split('"')[0]
    )
    client.post(
        "/guardian-requests/answer",
        data={"csrf_token": csrf_token(ellie_page), "token": token, "decision": "approve"},
    )
    mia_account = db.scalar(select(Account).where(Account.email == "mia@example.com"))
    assert mia_account.guardian_approved_at is not None
    assert ellies_request(db).status == GuardianRequestStatus.WAITING


def test_revoked_parental_responsibility_stops_the_token(client: FlaskClient, db) -> None:
    from portal.models import Relationship

    link = emailed_link(db)
    sign_in(client, "sam.rivers@example.com")
    page = client.get(link)
    for relationship in db.scalars(
        select(Relationship).where(
            Relationship.person_id == person_id("sam"),
            Relationship.related_person_id == person_id("ellie"),
        )
    ):
        relationship.ended_on = dt.date.today() - dt.timedelta(days=1)
    db.commit()
    token = page.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/guardian-requests/answer",
        data={"csrf_token": csrf_token(page), "token": token, "decision": "approve"},
    )
    assert response.status_code == 404
    assert ellies_request(db).status == GuardianRequestStatus.WAITING


def stop_sam_deciding(db, change: str) -> None:
    from portal.models import DataItem, Relationship, Restriction

    if change in ("ended", "not_started"):
        for link in db.scalars(
            select(Relationship).where(
                Relationship.person_id == person_id("sam"),
                Relationship.related_person_id == person_id("ellie"),
            )
        ):
            if change == "ended":
                link.ended_on = dt.date.today() - dt.timedelta(days=1)
            else:
                link.started_on = dt.date.today() + dt.timedelta(days=1)
    else:
        item = db.scalars(select(DataItem).where(DataItem.person_id == person_id("ellie"))).first()
        if change == "restricted_on_an_old_version":
            item.replaced_at = dt.datetime.now(dt.UTC)
        item.restrictions.append(
            Restriction(
                restricted_person_id=person_id("sam"),
                reason="r",
                set_by="s",
                set_on=dt.date.today(),
                review_on=dt.date.today() + dt.timedelta(days=90),
            )
        )
    db.commit()


@pytest.mark.parametrize(
    "change", ["ended", "not_started", "restricted", "restricted_on_an_old_version"]
)
def test_the_task_goes_once_the_guardian_may_not_decide(
    client: FlaskClient, db, change: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert "Ellie Rivers has asked to use the portal" in text_of(client.get("/your-data"))
    stop_sam_deciding(db, change)
    assert "has asked to use the portal" not in text_of(client.get("/your-data"))
    assert client.get(f"/guardian-requests/review/{ellies_request(db).id}").status_code == 404


def test_no_answer_chosen_gets_a_clear_message(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = client.get(emailed_link(db))
    token = page.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/guardian-requests/answer", data={"csrf_token": csrf_token(page), "token": token}
    )
    assert "Select yes if you agree" in text_of(response)


def test_the_restricted_guardians_outbox_stays_empty(db) -> None:
    assert outbox(db, "lee.rivers@example.com") == []


def test_staff_approve_with_a_recorded_reason(client: FlaskClient, db) -> None:
    sign_in(client, "dpo.officer@example.com")
    path = f"/staff/guardian-requests/{ellies_request(db).id}"
    assert "Ellie Rivers" in text_of(client.get("/staff/guardian-requests"))
    page = client.get(path)
    refused = client.post(path, data={"csrf_token": csrf_token(page), "grounds": "competent_child"})
    assert "Give details of your decision" in text_of(refused)
    client.post(
        path,
        data={
            "csrf_token": csrf_token(page),
            "grounds": "competent_child",
            "details": "Spoke to Ellie and her worker; she understands.",
        },
    )
    request = ellies_request(db)
    assert request.status == GuardianRequestStatus.APPROVED
    assert "competent_child" in request.reason
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.action == "guardian_request.approved_by_staff")
    )
    assert event.detail["reason"].startswith("competent_child")


def test_declined_requests_are_asked_again_only_through_staff(client: FlaskClient, db) -> None:
    parent = client.application.test_client()
    sign_in(parent, "sam.rivers@example.com")
    answer(parent, emailed_link(db), "decline")
    sign_in(client, "dpo.officer@example.com")
    declined = ellies_request(db)
    page = client.get(f"/staff/guardian-requests/{declined.id}")
    client.post(
        f"/staff/guardian-requests/{declined.id}/ask-again", data={"csrf_token": csrf_token(page)}
    )
    assert ellies_request(db).status == GuardianRequestStatus.WAITING
    assert ellies_request(db).id != declined.id


def test_age_review_closes_requests_once_the_child_is_13(app, db) -> None:
    from portal.models import Person

    ellie = db.get(Person, person_id("ellie"))
    ellie.date_of_birth = ellie.date_of_birth.replace(year=ellie.date_of_birth.year - 4)
    db.commit()
    result = app.test_cli_runner().invoke(args=["age-review"])
    assert "No longer needed (turned 13): 1" in result.output
    assert ellies_request(db).status == GuardianRequestStatus.NOT_NEEDED


def test_age_review_expires_unanswered_requests(app, db) -> None:
    request = ellies_request(db)
    request.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    result = app.test_cli_runner().invoke(args=["age-review"])
    assert "Expired: 1" in result.output
    assert ellies_request(db).status == GuardianRequestStatus.EXPIRED
