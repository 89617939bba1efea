"""DPO staff issue and withdraw invitation codes; codes are stored only as keyed hashes."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AuditEvent, InvitationCode
from tests.conftest import person_id, sign_in
from tests.pages import csrf_token, text_of


def issue(client: FlaskClient, who: str) -> str:
    page = client.get(f"/staff/people/{person_id(who)}/invitation-codes")
    response = client.post(
        f"/staff/people/{person_id(who)}/invitation-codes", data={"csrf_token": csrf_token(page)}
    )
    return text_of(response).split("Code for")[1].split()[2]


def test_officer_issues_a_code_shown_once_and_stored_hashed(client: FlaskClient, db) -> None:
    sign_in(client, "dpo.officer@example.com")
    code = issue(client, "alex")
    assert len(code) == 14 and code.count("-") == 2
    stored = db.scalar(select(InvitationCode).where(InvitationCode.person_id == person_id("alex")))
    assert code.replace("-", "") not in stored.code_hash
    assert code not in text_of(client.get(f"/staff/people/{person_id('alex')}/invitation-codes"))
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "invitation.issued"))


def test_a_new_code_stops_the_old_one_and_withdraw_stops_all(client: FlaskClient, db) -> None:
    sign_in(client, "dpo.officer@example.com")
    issue(client, "alex")
    issue(client, "alex")
    codes = db.scalars(
        select(InvitationCode).where(InvitationCode.person_id == person_id("alex"))
    ).all()
    assert sorted(code.revoked_because or "live" for code in codes) == ["live", "replaced"]
    page = client.get(f"/staff/people/{person_id('alex')}/invitation-codes")
    client.post(
        f"/staff/people/{person_id('alex')}/invitation-codes/withdraw",
        data={"csrf_token": csrf_token(page)},
    )
    db.expire_all()
    assert all(code.revoked_at for code in db.scalars(select(InvitationCode)))


def test_families_and_administrators_cannot_issue_codes(client: FlaskClient) -> None:
    for email in ("sam.rivers@example.com", "portal.admin@example.com"):
        sign_in(client, email)
        assert client.get(f"/staff/people/{person_id('alex')}/invitation-codes").status_code == 404
