"""Calendar arithmetic inside SQL, the same on SQLite and PostgreSQL, so that figures such as
"acknowledged on time" can be counted by the database rather than row by row in Python.

Timestamps are stored in UTC; the council's calendar is Europe/London (portal/ages.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class london_date(FunctionElement[dt.date]):  # noqa: N801 (an SQL function's name)
    """The Europe/London calendar date of a UTC timestamp column: 23:30 UTC on a summer
    evening is already the next day in England and Wales."""

    type = Date()
    name = "london_date"
    inherit_cache = True


class days_between(FunctionElement[int]):  # noqa: N801 (an SQL function's name)
    """Whole calendar days from the first date to the second (later) date."""

    type = Integer()
    name = "days_between"
    inherit_cache = True


@compiles(london_date, "postgresql")
def _london_date_postgresql(element: london_date, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(timezone('Europe/London', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(london_date, "sqlite")
def _london_date_sqlite(element: london_date, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite has no time zones, so the UK rule (since 1996) is written out: British Summer Time
    # runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
    # October. From the 25th, 'weekday 0' moves forward to that month's last Sunday. UTC
    # timestamps are stored as 'YYYY-MM-DD HH:MM:SS.ffffff' text, which compares in order;
    # the fraction is cut before date(), which would round 23:59:59.9999 up to the next day.
    moment = compiler.process(element.clauses, **kw)
    year = f"strftime('%Y', {moment})"
    starts = f"datetime(date({year} || '-03-31', '-6 days', 'weekday 0'), '+1 hour')"
    ends = f"datetime(date({year} || '-10-31', '-6 days', 'weekday 0'), '+1 hour')"
    return (
        f"date(substr({moment}, 1, 19), CASE WHEN {moment} >= {starts} AND {moment} < {ends} "
        "THEN '+1 hour' ELSE '+0 hours' END)"
    )


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, last = list(element.clauses)
    # date - date is a whole number of days in PostgreSQL.
    return f"({compiler.process(last, **kw)} - {compiler.process(first, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    first, last = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(last, **kw)}) "
        f"- julianday({compiler.process(first, **kw)}) AS INTEGER)"
    )
