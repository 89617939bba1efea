"""Who looked at your data in this portal: staff by team (never by name), when and why, and
the viewer's own visits; never another family member's visits."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from portal.services import access_record
from tests.conftest import person_id, sign_in
from tests.pages import text_of
from tests.web.test_correction_queue import ask

OFFICER_NAME = "Priya Shah"
PAGE = "/who-looked-at-your-data"


def signed_in(client: FlaskClient, email: str) -> FlaskClient:
    other = client.application.test_client()
    sign_in(other, email)
    return other


def rows_of(client: FlaskClient) -> list[str]:
    page = BeautifulSoup(client.get(PAGE).get_data(as_text=True), "html.parser")
    return [" ".join(row.get_text(" ").split()) for row in page.select("tbody tr")]


def test_staff_openings_are_listed_by_team_with_the_reason(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    assert "Nobody has opened these records" in text_of(client.get(PAGE))
    officer = signed_in(client, "dpo.officer@example.com")
    officer.get(f"/staff/people/{person_id('ellie')}")
    reference = ask(client, "ellie-language")
    officer.get(f"/staff/corrections/{reference}")

    rows = rows_of(client)
    assert any("Ellie Rivers" in row and "Opened the record" in row for row in rows)
    assert any("Opened it to work on a request to correct information" in row for row in rows)
    assert all(OFFICER_NAME not in row for row in rows)
    assert all("Information Governance" in row for row in rows)  # the officer's team


def test_the_viewers_own_visits_are_listed_but_not_other_family_members(
    client: FlaskClient,
) -> None:
    sign_in(client, "sam.rivers@example.com")
    client.get(f"/your-data/{person_id('ellie')}")
    lee = signed_in(client, "lee.rivers@example.com")
    lee.get(f"/your-data/{person_id('ellie')}")

    rows = rows_of(client)
    assert rows and all("You" in row for row in rows)
    assert not any("Lee" in row for row in rows)
    assert all("You" in row for row in rows_of(lee))


def test_openings_of_records_the_viewer_may_not_see_are_not_listed(client: FlaskClient) -> None:
    officer = signed_in(client, "dpo.officer@example.com")
    officer.get(f"/staff/people/{person_id('jamie')}")  # 15, not sharing with parents
    officer.get(f"/staff/people/{person_id('alex')}")  # another adult
    sign_in(client, "sam.rivers@example.com")
    assert rows_of(client) == []
    jamie = signed_in(client, "jamie.rivers@example.com")
    assert any("Jamie Rivers" in row for row in rows_of(jamie))


def test_a_long_trail_is_paginated(client: FlaskClient, db) -> None:
    officer = signed_in(client, "dpo.officer@example.com")
    for _ in range(access_record.PAGE_SIZE + 2):
        officer.get(f"/staff/people/{person_id('sam')}")
    sign_in(client, "sam.rivers@example.com")
    first = text_of(client.get(PAGE))
    assert "Page 1 of 2" in first
    assert len(rows_of(client)) == access_record.PAGE_SIZE
    assert "Page 2 of 2" in text_of(client.get(f"{PAGE}?page=2"))
    assert client.get(f"{PAGE}?page=nonsense").status_code == 200
