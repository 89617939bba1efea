"""Who we shared your data with: every event about people the viewer may see, and none that
carried anything they may not see."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.demo.synthetic import demo_id
from portal.models import AuditEvent, DataItem, Partner, SharingEvent
from portal.vocabulary import LawfulBasis, SharingPurpose
from tests.conftest import person_id, sign_in
from tests.pages import errors_of, text_of

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


def test_filter_by_kind_of_organisation_and_by_date(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    health = text_of(client.get("/who-we-shared-with?partner_kind=health"))
    assert HEALTH_VISIT in health and SCHOOL not in health and HOUSING not in health
    earliest = min(db.scalars(select(SharingEvent.shared_on)))
    before = earliest - dt.timedelta(days=1)
    nothing = text_of(
        client.get(
            "/who-we-shared-with",
            query_string={"shared_to": [str(before.day), str(before.month), str(before.year)]},
        )
    )
    assert "We have not shared any information that matches" in nothing
    everything = text_of(
        client.get(
            "/who-we-shared-with",
            query_string={
                "shared_from": [str(earliest.day), str(earliest.month), str(earliest.year)]
            },
        )
    )
    assert HEALTH_VISIT in everything and SCHOOL in everything


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"shared_from": ["31", "2", "2026"]}, "The start date must be a real date"),
        ({"shared_to": ["1", "1", "٢٠٢٦"]}, "The end date must be a real date"),
        (
            {"shared_from": ["2", "1", "2026"], "shared_to": ["1", "1", "2026"]},
            "The end date must be the same as or after the start date",
        ),
        ({"partner_kind": "banks"}, "Select a kind of organisation from the list"),
    ],
)
def test_a_wrong_filter_says_what_is_wrong_and_filters_nothing(
    client: FlaskClient, query: dict, message: str
) -> None:
    sign_in(client, "sam.rivers@example.com")
    page = client.get("/who-we-shared-with", query_string=query)
    assert page.status_code == 200
    assert any(message in error for error in errors_of(page))
    assert SCHOOL in text_of(page)


def download(client: FlaskClient, query: str = "") -> list[list[str]]:
    response = client.get(f"/who-we-shared-with.csv{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_record_downloads_as_csv_with_the_same_filter(client: FlaskClient, db) -> None:
    sign_in(client, "sam.rivers@example.com")
    header, *rows = download(client)
    assert header == [
        "Date",
        "Shared with",
        "About",
        "What kinds of information",
        "Why",
        "The law that allowed it",
    ]
    assert len(rows) == 4
    assert any(row[1] == "Schools and colleges" and row[2] == "Ellie Rivers" for row in rows)
    _, *ellies = download(client, f"?person={person_id('ellie')}")
    assert {row[2] for row in ellies} == {"Ellie Rivers"}
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "sharing.downloaded"))


def test_the_download_never_holds_what_the_viewer_may_not_see(client: FlaskClient) -> None:
    sign_in(client, "lee.rivers@example.com")
    text = "\n".join(",".join(row) for row in download(client))
    for marker in ("West Mercia Police", "To keep a child safe", "Alder Vale", "14 Alder Close"):
        assert marker not in text
    assert "Schools and colleges" in text


def test_formulas_in_the_download_are_neutralised(client: FlaskClient, db) -> None:
    schools = db.scalar(select(Partner).where(Partner.code == "schools-and-colleges"))
    schools.name_en = '=HYPERLINK("http://evil.example","Click")'
    db.commit()
    sign_in(client, "sam.rivers@example.com")
    _, *rows = download(client)
    names = {row[1] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","Click")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_research_extracts_are_stated_plainly(client: FlaskClient) -> None:
    sign_in(client, "alex.morgan@example.com")
    page = text_of(client.get("/who-we-shared-with"))
    assert "Information about Alex Morgan was included" in page
    assert "research extract for National government" in page
    parent = client.application.test_client()
    sign_in(parent, "sam.rivers@example.com")
    assert "has not been included in any research extract" in text_of(
        parent.get("/who-we-shared-with")
    )


def shared_with_sam(
    db, *, count: int, newest: dt.date, item: str, basis: LawfulBasis = LawfulBasis.PUBLIC_TASK
) -> None:
    """`count` sharing events about Sam, a day apart, each carrying one demo item."""
    partner = db.scalar(select(Partner).where(Partner.code == "west-mercia-police"))
    carried = db.get(DataItem, demo_id(f"item:{item}"))
    for n in range(count):
        event = SharingEvent(
            person_id=person_id("sam"),
            partner=partner,
            shared_on=newest - dt.timedelta(days=n),
            purpose=SharingPurpose.COORDINATE_SUPPORT,
            lawful_basis=basis,
            items=[carried],
        )
        db.add(event)
    db.commit()


def dates_listed(page) -> list[str]:
    body = page.get_data(as_text=True).split('<tbody class="govuk-table__body">')[1]
    row = r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]+)</td>'
    return re.findall(row, body.split("</tbody>")[0])


def test_a_long_record_is_paged_newest_first_and_what_is_hidden_is_not_counted(
    client: FlaskClient, db
) -> None:
    sign_in(client, "sam.rivers@example.com")
    before = text_of(client.get("/who-we-shared-with"))
    assert "Page" not in before  # the demo record fits on one page
    # Newer than anything in the demo record: 60 Sam may see, and 40 that carried the
    # withheld police report, which must change neither the pages nor their count.
    shared_with_sam(db, count=60, newest=dt.date(2030, 3, 31), item="sam-phone")
    shared_with_sam(db, count=40, newest=dt.date(2031, 3, 31), item="sam-police")
    first = client.get("/who-we-shared-with")
    shown = dates_listed(first)
    assert shown[0] == "31 March 2030" and shown[-1] == "7 March 2030" and len(shown) == 25
    assert "Page 1 of 3" in text_of(first) and "2031" not in text_of(first)
    third = client.get("/who-we-shared-with?page=3")
    assert dates_listed(third)[9] == "31 January 2030"
    assert "Page 3 of 3" in text_of(third)
    # A page past the end shows the last page.
    assert dates_listed(client.get("/who-we-shared-with?page=99")) == dates_listed(third)


def test_only_the_newest_research_extracts_are_named_above_the_list(
    client: FlaskClient, db
) -> None:
    shared_with_sam(
        db, count=14, newest=dt.date(2030, 3, 31), item="sam-phone", basis=LawfulBasis.RESEARCH
    )
    sign_in(client, "sam.rivers@example.com")
    page = text_of(client.get("/who-we-shared-with"))
    assert page.count("in a research extract for West Mercia Police") == 10
    assert "These are the newest 10 of 14 research extracts" in page
    assert "West Mercia Police on 22 March 2030" in page
    assert "West Mercia Police on 21 March 2030" not in page
    # Past the end, with research extracts still to name: the last (here the only) page.
    past = client.get("/who-we-shared-with?page=5")
    assert dates_listed(past) == dates_listed(client.get("/who-we-shared-with"))
    assert text_of(past).count("in a research extract for West Mercia Police") == 10
