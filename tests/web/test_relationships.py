"""Ending a parental-responsibility link takes effect at once, sessions included."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.models import AuditEvent, Relationship
from tests.conftest import person_id, sign_in
from tests.pages import csrf_token, text_of


def lee_to_ellie(db) -> Relationship:
    return db.scalar(
        select(Relationship).where(
            Relationship.person_id == person_id("lee"),
            Relationship.related_person_id == person_id("ellie"),
        )
    )


def test_ending_a_link_signs_the_guardian_out_and_closes_the_record(
    app: Flask, client: FlaskClient, db
) -> None:
    guardian = app.test_client()
    sign_in(guardian, "lee.rivers@example.com")
    assert guardian.get(f"/your-data/{person_id('ellie')}").status_code == 200

    sign_in(client, "dpo.officer@example.com")
    path = f"/staff/people/{person_id('ellie')}/relationships"
    page = client.get(path)
    assert "Lee Rivers is parent of Ellie Rivers" in text_of(page)
    link = lee_to_ellie(db)
    refused = client.post(f"{path}/{link.id}/end", data={"csrf_token": csrf_token(page)})
    assert "Enter why this link is ending" in text_of(refused)
    client.post(
        f"{path}/{link.id}/end",
        data={"csrf_token": csrf_token(page), "reason": "Court order of 20 November"},
    )
    assert guardian.get("/your-data").status_code == 302  # signed out at once
    sign_in(guardian, "lee.rivers@example.com")
    assert guardian.get(f"/your-data/{person_id('ellie')}").status_code == 404
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "relationship.ended"))
    assert event.detail["reason"] == "Court order of 20 November"


def test_families_cannot_see_relationship_pages(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert client.get(f"/staff/people/{person_id('ellie')}/relationships").status_code == 404
