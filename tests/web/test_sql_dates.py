"""London dates and days between dates, worked out by the database (SQLite or PostgreSQL,
whichever this run uses), agree with Python's Europe/London time zone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, literal, select

from portal.ages import london_today
from portal.models.columns import UtcDateTime
from portal.sql_dates import days_between, london_date


def last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def moments() -> list[dt.datetime]:
    """Either side of every change of the clocks from 2000 to 2040, and late evenings."""
    found = []
    for year in range(2000, 2041):
        for month in (3, 10):
            change = dt.datetime.combine(last_sunday(year, month), dt.time(1), dt.UTC)
            found += [change + dt.timedelta(microseconds=step) for step in (-1, 0, 1)]
            found += [
                change - dt.timedelta(hours=1, microseconds=1),
                change + dt.timedelta(hours=23),
            ]
        for day in (dt.date(year, 7, 1), dt.date(year, 12, 31)):
            found += [dt.datetime.combine(day, dt.time(23, 30), dt.UTC)]
            found += [dt.datetime.combine(day, dt.time(23, 59, 59, 999_999), dt.UTC)]
    return found


def test_london_date_agrees_with_the_time_zone(db) -> None:
    for moment in moments():
        found = db.scalar(select(london_date(literal(moment, UtcDateTime()))))
        assert found == london_today(moment), moment


def test_days_between_dates(db) -> None:
    start = dt.date(2024, 2, 27)
    for days in (0, 1, 2, 3, 31, 366, 1000):
        end = start + dt.timedelta(days=days)
        query = select(days_between(literal(start, Date()), literal(end, Date())))
        assert db.scalar(query) == days
