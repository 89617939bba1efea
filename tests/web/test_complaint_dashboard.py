"""The complaints dashboard: figures that match a count by hand of the demo complaints, months
with nothing in them, the London calendar, the CSV, a fixed number of queries, and only DPO
officers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from bs4 import BeautifulSoup
from dateutil.relativedelta import relativedelta
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from werkzeug.test import TestResponse

from portal import vocabulary
from portal.ages import london_today
from portal.deadlines import complaint_acknowledgement_due
from portal.models import AuditEvent, Complaint, ComplaintEvent, ComplaintMessage
from portal.services.complaint_dashboard import calendar_year, dashboard, median
from portal.services.complaints import response_due
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus
from tests.conftest import sign_in
from tests.pages import errors_of, text_of
from tests.web.test_query_counts import counted

PAGE = "/staff/complaints-dashboard"
# The earliest year offered, long before the demo complaints.
QUIET_YEAR = london_today().year - 5
CSV = "/staff/complaints-dashboard.csv"

# The demo complaints (portal/demo/complaint_stories.py), counted by hand. Acknowledgement is
# due 30 days after receipt; the outcome one calendar month after (28 to 31 days, moved to the
# next working day, at most 35), plus any days spent waiting. All happen mid-morning, so the
# London date is the day counted.
#
# reference     months ago  category            acknowledged   resolved
# CMP-DEMQ2229  0           request handling    not yet        -
# CMP-DEMQ2232  1           other               day 0: on time -
# CMP-DEMQ2227  1           wrong data          day 1: on time -  (waiting)
# CMP-DEMQ2223  2           unexpected sharing  day 0: on time -
# CMP-DEMQ2228  2           unexpected sharing  not yet (late) -
# CMP-DEMQ2233  3           request handling    day 0: on time day 36, 10 days paused: on time
# CMP-DEMQ2226  4           other               day 2: on time day 14: on time
# CMP-DEMQ2236  4           unexpected sharing  day 31: late   day 42: late
# CMP-DEMQ2224  5           security            day 3: on time day 45: late
# CMP-DEMQ2235  5           other               day 0: on time day 12: on time
# CMP-DEMQ2222  6           wrong data          day 0: on time day 21: on time
# CMP-DEMQ2237  6           security            day 5: on time -
# CMP-DEMQ2225  7           request handling    day 38: late   day 52: late
# CMP-DEMQ2234  8           wrong data          day 30: on time day 40: late
#
# received, acknowledged on time, resolved, resolved on time, median days to resolve
BY_MONTHS_AGO = {
    0: ("1", "0", "0", "0", "None resolved"),
    1: ("2", "2", "0", "0", "None resolved"),
    2: ("2", "1", "0", "0", "None resolved"),
    3: ("1", "1", "1", "1", "36"),
    4: ("2", "1", "2", "1", "28"),  # 14 and 42
    5: ("2", "2", "2", "1", "28.5"),  # 45 and 12
    6: ("2", "2", "1", "1", "21"),
    7: ("1", "0", "1", "0", "52"),
    8: ("1", "1", "1", "0", "40"),
    9: ("0", "0", "0", "0", "None resolved"),
    10: ("0", "0", "0", "0", "None resolved"),
    11: ("0", "0", "0", "0", "None resolved"),
}
BY_CATEGORY = {
    "Information about me or my family is wrong": ("3", "3", "2", "1", "30.5"),  # 21, 40
    "Information was shared in a way I did not expect": ("3", "1", "1", "0", "42"),
    "How my request was handled": ("3", "1", "2", "1", "44"),  # 36, 52
    "The security of my information": ("2", "2", "1", "0", "45"),
    "Something else": ("3", "3", "2", "2", "13"),  # 14, 12
}
# 12, 14, 21, 36 | 40, 42, 45, 52
OVERALL = ("14", "10", "8", "4", "38")


def month_ago(months: int) -> str:
    return f"{london_today().replace(day=1) - relativedelta(months=months):%B %Y}"


def tables(response: TestResponse) -> dict[str, list[list[str]]]:
    """Each table's body rows as text, by its caption."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    found = {}
    for table in page.find_all("table"):
        rows = table.find("tbody").find_all("tr")
        found[table.caption.get_text(strip=True)] = [
            [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in rows
        ]
    return found


def figures_by_name(response: TestResponse, grouping: str) -> dict[str, tuple[str, ...]]:
    """The two tables of a grouping, joined: name to the five figures."""
    found = tables(response)
    counts = found[f"Complaints received, acknowledged on time and resolved on time, by {grouping}"]
    days = found[f"Median days to resolve, by {grouping}"]
    assert [row[0] for row in counts] == [row[0] for row in days]
    return {
        count[0]: (count[1], count[2], day[1], count[3], day[2])
        for count, day in zip(counts, days, strict=True)
    }


def summary(response: TestResponse) -> tuple[str, ...]:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    values = page.find("dl", class_="govuk-summary-list").find_all("dd")
    return tuple(value.get_text(strip=True) for value in values)


def test_figures_match_a_count_by_hand_of_the_demo_complaints(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    response = client.get(PAGE)
    assert figures_by_name(response, "month") == {
        month_ago(months): figures
        for months, figures in sorted(BY_MONTHS_AGO.items(), reverse=True)
    }
    assert list(figures_by_name(response, "month")) == [month_ago(m) for m in range(11, -1, -1)]
    assert figures_by_name(response, "category") == BY_CATEGORY
    assert summary(response) == OVERALL


def test_months_with_no_complaints_show_zeros(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    response = client.get(PAGE, query_string={"period": str(QUIET_YEAR)})
    by_month = figures_by_name(response, "month")
    assert list(by_month) == [f"{dt.date(QUIET_YEAR, m, 1):%B %Y}" for m in range(1, 13)]
    assert set(by_month.values()) == {("0", "0", "0", "0", "None resolved")}
    assert summary(response) == ("0", "0", "0", "0", "None resolved")


def test_the_period_can_be_this_financial_year_or_a_calendar_year(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    today = london_today()
    start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    months = list(
        figures_by_name(client.get(PAGE, query_string={"period": "financial-year"}), "month")
    )
    assert months[0] == f"{start:%B %Y}" and months[-1] == month_ago(0)
    assert len(months) == (today.year - start.year) * 12 + today.month - 3


def test_an_unknown_period_is_an_error_and_shows_the_last_12_months(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    response = client.get(PAGE, query_string={"period": "1066"})
    assert errors_of(response) == ["Select a period from the list"]
    assert len(figures_by_name(response, "month")) == 12


def test_median_of_an_odd_and_an_even_number_of_values() -> None:
    assert median({}) is None
    assert median({7: 1}) == 7
    assert median({3: 1, 10: 1, 4: 1}) == 4
    assert median({1: 1, 2: 1, 10: 1, 20: 1}) == 6
    assert median({2: 2, 9: 2}) == 5.5
    assert median({5: 3, 40: 1}) == 5
    assert median({1: 1, 2: 5, 30: 4}) == 2


def add_complaint(
    db,
    *,
    received_on: dt.date,
    category: ComplaintCategory = ComplaintCategory.OTHER,
    acknowledged_at: dt.datetime | None = None,
    resolved_at: dt.datetime | None = None,
    status: ComplaintStatus | None = None,
    paused_days: int = 0,
) -> Complaint:
    """A complaint made online by someone without an account, with the dates given."""
    key = uuid.uuid4().hex
    complaint = Complaint(
        reference=f"CMP-T{key[:7].upper()}",
        submission_key=key,
        channel=ComplaintChannel.PORTAL,
        category=category,
        complainant_name="Test Complainant",
        what_happened="Something happened.",
        desired_outcome="Put it right.",
        received_at=dt.datetime.combine(received_on, dt.time(10), dt.UTC),
        received_on=received_on,
        acknowledgement_due_on=complaint_acknowledgement_due(received_on),
        acknowledged_at=acknowledged_at,
        response_due_on=response_due(received_on, paused_days, 1),
        paused_days=paused_days,
        resolved_at=resolved_at,
        status=status or (ComplaintStatus.RESOLVED if resolved_at else ComplaintStatus.NEW),
    )
    db.add(complaint)
    db.flush()
    return complaint


def resolved_after(received_on: dt.date, days: int) -> dt.datetime:
    return dt.datetime.combine(received_on + dt.timedelta(days=days), dt.time(11), dt.UTC)


def test_median_days_over_the_complaints_resolved_odd_and_even(db) -> None:
    june = dt.date(2019, 6, 3)
    for days in (3, 8):
        add_complaint(db, received_on=june, resolved_at=resolved_after(june, days))
    add_complaint(db, received_on=june)  # not resolved: not in the median
    found = dashboard(db, calendar_year(2019, london_today()))
    june_figures = dict(found.by_month)[dt.date(2019, 6, 1)]
    assert (june_figures.received, june_figures.resolved) == (3, 2)
    assert june_figures.median_days_to_resolve == 5.5

    add_complaint(db, received_on=june, resolved_at=resolved_after(june, 20))
    found = dashboard(db, calendar_year(2019, london_today()))
    assert dict(found.by_month)[dt.date(2019, 6, 1)].median_days_to_resolve == 8


def test_on_time_is_decided_on_the_london_calendar(db) -> None:
    """23:30 UTC on the due date is already the next day in a British summer, not in winter."""
    summer, winter = dt.date(2019, 7, 1), dt.date(2019, 1, 2)
    for received in (summer, winter):
        due = complaint_acknowledgement_due(received)
        target = response_due(received, 0, 1)
        add_complaint(
            db,
            received_on=received,
            acknowledged_at=dt.datetime.combine(due, dt.time(23, 30), dt.UTC),
            resolved_at=dt.datetime.combine(target, dt.time(23, 30), dt.UTC),
        )
    by_month = dict(dashboard(db, calendar_year(2019, london_today())).by_month)
    july, january = by_month[dt.date(2019, 7, 1)], by_month[dt.date(2019, 1, 1)]
    assert (july.acknowledged_on_time, july.resolved_on_time) == (0, 0)
    assert (january.acknowledged_on_time, january.resolved_on_time) == (1, 1)
    assert july.median_days_to_resolve == (response_due(summer, 0, 1) - summer).days + 1
    assert january.median_days_to_resolve == (response_due(winter, 0, 1) - winter).days


def test_paused_days_and_reopening_count_as_the_complaint_stands(db) -> None:
    received = dt.date(2019, 3, 4)
    # Resolved on day 36, after 10 days waiting for the complainant: on time.
    add_complaint(
        db, received_on=received, paused_days=10, resolved_at=resolved_after(received, 36)
    )
    # Reopened: investigating again, so not resolved whatever resolved_at once said.
    add_complaint(
        db,
        received_on=received,
        resolved_at=resolved_after(received, 5),
        status=ComplaintStatus.INVESTIGATING,
    )
    march = dict(dashboard(db, calendar_year(2019, london_today())).by_month)[
        received.replace(day=1)
    ]
    assert (march.received, march.resolved, march.resolved_on_time) == (2, 1, 1)
    assert march.median_days_to_resolve == 36


def csv_of(response: TestResponse) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_the_figures_of_the_tables(client: FlaskClient, db) -> None:
    sign_in(client, "dpo.officer@example.com")
    page = client.get(PAGE)
    download = client.get(CSV)
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    header, *rows = csv_of(download)
    assert header == [
        "Figures by",
        "Month or category",
        "Received",
        "Acknowledged on time",
        "Resolved",
        "Resolved on time",
        "Median days to resolve",
    ]
    on_page = [
        [grouping.capitalize(), name, *(f if f != "None resolved" else "" for f in figures)]
        for grouping in ("month", "category")
        for name, figures in figures_by_name(page, grouping).items()
    ]
    assert rows[:-1] == on_page
    assert rows[-1] == [
        "Whole period",
        f"{month_ago(11)} to {month_ago(0)}",
        "14",
        "10",
        "8",
        "4",
        "38",
    ]
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.action == "complaints.dashboard_downloaded")
    )
    assert event is not None


def test_csv_follows_the_chosen_period(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    page = BeautifulSoup(
        client.get(PAGE, query_string={"period": str(QUIET_YEAR)}).get_data(as_text=True),
        "html.parser",
    )
    link = page.find("a", string="Download these figures as a spreadsheet (CSV)")
    assert link["href"] == f"{CSV}?period={QUIET_YEAR}"
    download = client.get(link["href"])
    name = f'filename="complaints-{QUIET_YEAR}-01-to-{QUIET_YEAR}-12.csv"'
    assert name in download.headers["Content-Disposition"]
    assert [row[1] for row in csv_of(download)[1:13]] == [
        f"{dt.date(QUIET_YEAR, m, 1):%B %Y}" for m in range(1, 13)
    ]


def test_csv_neutralises_formulas(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing the dashboard writes starts with a formula today; a translation could.
    monkeypatch.setitem(
        vocabulary._LABELS, (ComplaintCategory, "other"), '=HYPERLINK("http://example.com")'
    )
    sign_in(client, "dpo.officer@example.com")
    rows = csv_of(client.get(CSV))
    assert ["Category", '\'=HYPERLINK("http://example.com")', "3", "3", "2", "2", "13"] in rows


def test_the_download_is_in_the_pages_language(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    client.get("/language/cy")
    download = client.get(CSV, query_string={"period": str(QUIET_YEAR)})
    months = [row[1] for row in csv_of(download)[1:3]]
    assert months == [f"Ionawr {QUIET_YEAR}", f"Chwefror {QUIET_YEAR}"]


def replace_complaints(db, count: int) -> None:
    """`count` complaints over the last year, of every category, half of them resolved."""
    db.execute(delete(ComplaintEvent))
    db.execute(delete(ComplaintMessage))
    db.execute(delete(Complaint))
    today = london_today()
    categories = list(ComplaintCategory)
    for number in range(count):
        received = today - dt.timedelta(days=number % 250 + 60)
        add_complaint(
            db,
            received_on=received,
            category=categories[number % len(categories)],
            acknowledged_at=resolved_after(received, number % 40),
            resolved_at=resolved_after(received, number % 50) if number % 2 else None,
        )
    db.commit()


def test_the_dashboard_queries_as_often_for_200_complaints_as_for_5(
    app: Flask, client: FlaskClient, db
) -> None:
    sign_in(client, "dpo.officer@example.com")
    replace_complaints(db, 5)
    with counted(app) as few:
        assert client.get(PAGE).status_code == 200
        assert client.get(CSV).status_code == 200
    replace_complaints(db, 200)
    with counted(app) as many:
        assert client.get(PAGE).status_code == 200
        assert client.get(CSV).status_code == 200
    assert len(many) == len(few), "\n".join(s[:90] for s in ["FEW", *few, "MANY", *many])
    assert summary(client.get(PAGE))[0] == "200"


@pytest.mark.parametrize(
    "email",
    [
        "sam.rivers@example.com",
        "alex.morgan@example.com",
        "jamie.rivers@example.com",
        "lee.rivers@example.com",
        "portal.admin@example.com",
    ],
)
def test_only_dpo_officers_see_the_dashboard(client: FlaskClient, email: str) -> None:
    assert client.get(PAGE).status_code == 404
    sign_in(client, email)
    assert client.get(PAGE).status_code == 404
    assert client.get(CSV).status_code == 404


def test_staff_home_links_to_the_dashboard(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    page = BeautifulSoup(client.get("/staff").get_data(as_text=True), "html.parser")
    assert page.find("a", string="Complaints dashboard")["href"] == PAGE


def test_each_chart_is_an_image_named_by_its_title_with_its_table_after_it(
    client: FlaskClient,
) -> None:
    sign_in(client, "dpo.officer@example.com")
    response = client.get(PAGE)
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    charts = page.find_all("svg")
    assert len(charts) == 4
    for chart in charts:
        assert chart["role"] == "img"
        title, desc = (page.find(id=part) for part in chart["aria-labelledby"].split())
        assert title.name == "title" and desc.name == "desc"
        assert chart.find_next("table").caption.get_text(strip=True) == title.get_text()
    # Every bar is labelled in words, so no figure is told by colour alone.
    first = [text.get_text() for text in charts[0].find_all("text")[:7]]
    assert first == [
        month_ago(11),
        "Received",
        "0",
        "Acknowledged on time",
        "0",
        "Resolved on time",
        "0",
    ]


def test_welsh_month_names(client: FlaskClient) -> None:
    sign_in(client, "dpo.officer@example.com")
    client.get("/language/cy")
    page = text_of(client.get(PAGE, query_string={"period": str(QUIET_YEAR)}))
    assert f"Ionawr {QUIET_YEAR}" in page and f"Rhagfyr {QUIET_YEAR}" in page


def test_the_demo_has_complaints_of_every_channel_category_and_status(db) -> None:
    complaints = list(db.scalars(select(Complaint)))
    assert {c.channel for c in complaints} == set(ComplaintChannel)
    assert {c.category for c in complaints} == set(ComplaintCategory)
    assert {c.status for c in complaints} == set(ComplaintStatus)
    pat = db.scalar(select(Complaint).where(Complaint.complainant_name == "Pat Example"))
    assert pat.complainant_email == "pat.example@example.com" and pat.complainant_account_id is None
    waiting = db.scalar(select(Complaint).where(Complaint.status == ComplaintStatus.WAITING))
    assert waiting.paused_days > 0 and waiting.paused_on is not None
    about_ellie = db.scalar(select(Complaint).where(Complaint.reference == "CMP-DEMQ2222"))
    assert about_ellie.complainant.email == "sam.rivers@example.com"
    assert about_ellie.about_person.given_name == "Ellie"
    for complaint in complaints:
        assert len(complaint.events) >= 1
        assert all(event.at <= dt.datetime.now(dt.UTC) for event in complaint.events)
    notes = [e for c in complaints for e in c.events if e.action == "note"]
    assert notes and not any(note.visible_to_complainant for note in notes)
    assert sum(len(c.messages) for c in complaints) >= 10
