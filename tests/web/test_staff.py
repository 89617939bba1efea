"""Staff pages: denied by default, DPO officers see whole records, every view audited."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.demo.synthetic import demo_id
from portal.models import AuditEvent, DataItem
from portal.models.columns import utc_now
from portal.services.item_versions import replace_item
from portal.vocabulary import Role, Source
from tests.conftest import person_id, sign_in
from tests.pages import text_of


@pytest.mark.parametrize("path", ["/staff", "/staff/people", f"/staff/people/{person_id('sam')}"])
def test_staff_pages_are_404_to_anyone_else(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404
    sign_in(client, "sam.rivers@example.com")
    assert client.get(path).status_code == 404


def test_dpo_officer_finds_a_person_and_sees_withheld_items_marked(client: FlaskClient, db) -> None:
    sign_in(client, "dpo.officer@example.com")
    results = text_of(client.get("/staff/people?q=rivers"))
    assert "Sam Rivers" in results and "Lee Rivers" in results
    record = text_of(client.get(f"/staff/people/{person_id('sam')}"))
    assert "MARAC" in record and "Withheld" in record
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "record.viewed"))
    assert event.subject_person_id == person_id("sam")


def test_search_by_household_reference(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    results = text_of(client.get("/staff/people?q=eh-000001"))
    assert "Ellie Rivers" in results and "Lee Rivers" not in results  # Lee left the household


def test_search_by_nhs_or_ni_number_in_any_spacing_finds_the_person(
    client: FlaskClient, db
) -> None:
    """The numbers are encrypted: the search compares their blind index."""
    nhs = db.get(DataItem, demo_id("item:ellie-nhs")).value
    ni = db.get(DataItem, demo_id("item:sam-ni")).value
    sign_in(client, "dpo.officer@example.com")
    by_nhs = text_of(client.get(f"/staff/people?q={nhs[:3]}+{nhs[3:6]}+{nhs[6:]}"))
    assert "Ellie Rivers" in by_nhs and "Sam Rivers" not in by_nhs
    by_ni = text_of(client.get(f"/staff/people?q={ni.lower().replace(' ', '')}"))
    assert "Sam Rivers" in by_ni and "Ellie Rivers" not in by_ni
    assert "0 results" in text_of(client.get("/staff/people?q=MW000000A"))


def test_a_replaced_nhs_number_no_longer_finds_the_person(client: FlaskClient, db) -> None:
    item = db.get(DataItem, demo_id("item:ellie-nhs"))
    old = item.value
    replace_item(
        db,
        item,
        value="9990001006",
        source=Source.EARLY_HELP_WORKER,
        now=utc_now(),
        obtained_on=item.obtained_on,
    )
    db.commit()
    sign_in(client, "dpo.officer@example.com")
    assert "0 results" in text_of(client.get(f"/staff/people?q={old}"))
    assert "Ellie Rivers" in text_of(client.get("/staff/people?q=999+000+1006"))


def test_search_needs_a_query(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    response = client.get("/staff/people?q=+")
    assert "Enter a name or household reference" in text_of(response)


def test_search_treats_wildcards_as_text(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    assert "0 results" in text_of(client.get("/staff/people?q=%25%25"))


def test_administrator_has_no_access_to_records(client: FlaskClient) -> None:
    sign_in(client, "portal.admin@example.com")
    assert client.get("/staff").status_code == 200
    assert client.get("/staff/people").status_code == 404
    assert client.get(f"/staff/people/{person_id('sam')}").status_code == 404


def test_every_route_has_an_access_rule(app) -> None:
    """A new route must be public on purpose, or guarded: this fails when one is neither."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or getattr(view, "is_public", False):
            continue
        assert hasattr(view, "__wrapped__"), f"{rule.endpoint} is neither @public nor guarded"


def test_roles_known() -> None:
    assert {role.value for role in Role} == {"family", "dpo_officer", "administrator"}
