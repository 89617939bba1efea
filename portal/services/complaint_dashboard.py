"""The complaints dashboard for DPO officers: complaints received, acknowledged on time,
resolved on time and the median days to resolve, by month and by category.

Months are the Europe/London calendar months in which complaints were received. Acknowledged
on time: the London date of the acknowledgement is on or before the acknowledgement due date.
Resolved on time: resolved (or resolved and closed) with the London date of the outcome on or
before the target date, which already counts the days spent waiting for the complainant. Days
to resolve: calendar days from receipt to that date. A reopened complaint is not resolved
until its new outcome.

The database counts everything in one query, however many complaints there are: its rows are
one per month, category and number of days to resolve, so Python only adds them up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from sqlalchemy import Integer, Select, and_, case, cast, extract, func, select
from sqlalchemy.orm import Session

from portal.models import Complaint
from portal.sql_dates import days_between, london_date
from portal.vocabulary import ComplaintCategory, ComplaintStatus

RESOLVED = (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
# The financial year of English and Welsh councils starts on 1 April.
FINANCIAL_YEAR_STARTS = 4


@dataclass(frozen=True)
class Period:
    """Whole calendar months, from the first month's 1st to the end of the last month."""

    first_month: dt.date
    last_month: dt.date

    def months(self) -> list[dt.date]:
        count = (self.last_month.year - self.first_month.year) * 12
        count += self.last_month.month - self.first_month.month + 1
        return [self.first_month + relativedelta(months=n) for n in range(count)]

    @property
    def ends_before(self) -> dt.date:
        return self.last_month + relativedelta(months=1)


def last_twelve_months(today: dt.date) -> Period:
    """This month and the eleven before it."""
    this_month = today.replace(day=1)
    return Period(this_month - relativedelta(months=11), this_month)


def financial_year(today: dt.date) -> Period:
    """From 1 April of this financial year to this month."""
    year = today.year if today.month >= FINANCIAL_YEAR_STARTS else today.year - 1
    return Period(dt.date(year, FINANCIAL_YEAR_STARTS, 1), today.replace(day=1))


def calendar_year(year: int, today: dt.date) -> Period:
    """January to December of `year`, or to this month if the year is not over."""
    return Period(dt.date(year, 1, 1), min(dt.date(year, 12, 1), today.replace(day=1)))


@dataclass(frozen=True)
class Figures:
    received: int = 0
    acknowledged_on_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    median_days_to_resolve: float | None = None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    by_month: list[tuple[dt.date, Figures]]
    by_category: list[tuple[ComplaintCategory, Figures]]
    overall: Figures


@dataclass
class _Tally:
    received: int = 0
    acknowledged_on_time: int = 0
    resolved_on_time: int = 0
    days_to_resolve: Counter[int] = field(default_factory=Counter)

    def add(self, received: int, acknowledged: int, on_time: int, days: int | None) -> None:
        self.received += received
        self.acknowledged_on_time += acknowledged
        self.resolved_on_time += on_time
        if days is not None:
            self.days_to_resolve[days] += received

    def figures(self) -> Figures:
        return Figures(
            received=self.received,
            acknowledged_on_time=self.acknowledged_on_time,
            resolved=self.days_to_resolve.total(),
            resolved_on_time=self.resolved_on_time,
            median_days_to_resolve=median(self.days_to_resolve),
        )


def dashboard(db: Session, period: Period) -> Dashboard:
    """DPO officers: the figures for complaints received in `period`. Every month and every
    category is listed, with zeros where there were none."""
    months = {month: _Tally() for month in period.months()}
    categories = {category: _Tally() for category in ComplaintCategory}
    overall = _Tally()
    for year, month, category, days, received, acknowledged, on_time in db.execute(_counts(period)):
        for tally in (months[dt.date(year, month, 1)], categories[category], overall):
            tally.add(received, acknowledged or 0, on_time or 0, days)
    return Dashboard(
        period=period,
        by_month=[(month, tally.figures()) for month, tally in months.items()],
        by_category=[(category, tally.figures()) for category, tally in categories.items()],
        overall=overall.figures(),
    )


def median(days: Mapping[int, int]) -> float | None:
    """The median of values given with how often each occurs; None for no values. With an
    even count, the mean of the middle two."""
    count = sum(days.values())
    if count == 0:
        return None
    wanted = [(count - 1) // 2, count // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(days):
        seen += days[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return sum(found) / 2


def _counts(
    period: Period,
) -> Select[int, int, ComplaintCategory, int | None, int, int | None, int | None]:
    """One row per month received, category and days to resolve (none if unresolved)."""
    resolved = and_(Complaint.status.in_(RESOLVED), Complaint.resolved_at.is_not(None))
    resolved_on = london_date(Complaint.resolved_at)
    each = (
        select(
            cast(extract("year", Complaint.received_on), Integer).label("year"),
            cast(extract("month", Complaint.received_on), Integer).label("month"),
            Complaint.category.label("category"),
            case((resolved, days_between(Complaint.received_on, resolved_on))).label("days"),
            case(
                (london_date(Complaint.acknowledged_at) <= Complaint.acknowledgement_due_on, 1),
                else_=0,
            ).label("acknowledged_on_time"),
            case((and_(resolved, resolved_on <= Complaint.response_due_on), 1), else_=0).label(
                "resolved_on_time"
            ),
        )
        .where(
            Complaint.received_on >= period.first_month,
            Complaint.received_on < period.ends_before,
        )
        .subquery()
    )
    keys = (each.c.year, each.c.month, each.c.category, each.c.days)
    return select(
        *keys,
        func.count(),
        func.sum(each.c.acknowledged_on_time),
        func.sum(each.c.resolved_on_time),
    ).group_by(*keys)
