"""Who we shared your data with: every event about people the viewer may see, and none that
carried anything they may not see."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import person_id, sign_in
from tests.pages import text_of

HEALTH_VISIT = "Shropshire Community Health NHS Trust"
SCHOOL = "To support a child's education"
HOUSING = "To help with housing"
POLICE_SAFEGUARDING = "Safeguarding duty (Children Acts 1989 and 2004)"
COURT = "Because a court ordered it"
BEEU = "To arrange health support"
EVALUATION = "Research and statistics (pseudonymised)"


@pytest.mark.parametrize(
    ("email", "sees", "never"),
    [
        (
            "sam.rivers@example.com",
            [HEALTH_VISIT, SCHOOL, HOUSING, POLICE_SAFEGUARDING],
            [COURT, BEEU, EVALUATION],
        ),
        ("lee.rivers@example.com", [SCHOOL], [POLICE_SAFEGUARDING, HOUSING, COURT, EVALUATION]),
        ("jamie.rivers@example.com", [COURT, BEEU], [SCHOOL, HOUSING, EVALUATION]),
        ("alex.morgan@example.com", [EVALUATION], [SCHOOL, HOUSING, COURT]),
        ("ellie.rivers@example.com", [], [SCHOOL, POLICE_SAFEGUARDING]),
    ],
)
def test_each_persona_sees_only_what_they_may(
    client: FlaskClient, email: str, sees: list[str], never: list[str]
) -> None:
    sign_in(client, email)
    page = text_of(client.get("/who-we-shared-with"))
    for words in sees:
        assert words in page
    for words in never:
        assert words not in page


def test_an_event_that_carried_a_restricted_item_leaves_no_trace(client: FlaskClient) -> None:
    """The police safeguarding share carried Ellie's new address and school."""
    sign_in(client, "lee.rivers@example.com")
    page = text_of(client.get("/who-we-shared-with"))
    assert "West Mercia Police" not in page
    assert "Ellie Rivers" in page  # the school share is his to see


def test_filter_by_person_and_ignore_people_you_may_not_see(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    ellie = text_of(client.get(f"/who-we-shared-with?person={person_id('ellie')}"))
    assert SCHOOL in ellie and HOUSING not in ellie
    jamie = text_of(client.get(f"/who-we-shared-with?person={person_id('jamie')}"))
    assert COURT not in jamie and SCHOOL in jamie  # not his to filter by: everyone's shown
    assert client.get("/who-we-shared-with?person=nonsense&page=x").status_code == 200


def test_partner_pages_say_who_they_are(client: FlaskClient) -> None:
    page = text_of(client.get("/partners/west-mercia-police"))
    assert "West Mercia Police" in page and "to keep children and adults safe" in page
    client.get("/language/cy")
    assert "Heddlu Gorllewin Mercia" in text_of(client.get("/partners/west-mercia-police"))
    assert client.get("/partners/no-such-partner").status_code == 404


def test_where_data_came_from_counts_only_what_the_viewer_may_see(client: FlaskClient) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get("/where-your-data-came-from"))
    assert "Department for Work and Pensions" in page
    assert "Schools and colleges (One system)" in page  # Ellie's school records
    assert "West Mercia Police" not in page  # the withheld police report leaves no trace
    assert "Youth Justice Team" not in page  # Jamie's record is not Sam's to see


def test_lee_sees_the_childs_sources_but_nothing_hidden(client: FlaskClient) -> None:
    sign_in(client, "lee.rivers@example.com")
    page = text_of(client.get("/where-your-data-came-from"))
    assert "Ellie Rivers" in page and "Schools and colleges (One system)" in page
    assert "Alder Vale" not in page
