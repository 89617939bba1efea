"""Every statutory date in the portal, computed one way (DESIGN.md "Deadlines").

As the ICO describes the "one calendar month" time limit: count from the day of
receipt to the corresponding date in the next month; where that date does not
exist, the last day of that month; where it falls on a weekend or a bank holiday
in England and Wales, the next working day. Days when the clock was paused
(waiting for identity or clarification) are added first. Extensions add up to two
further months, counted the same way.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta

MAX_EXTENSION_MONTHS = 2
COMPLAINT_ACKNOWLEDGEMENT_DAYS = 30


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    # England's bank holidays are Wales's too.
    return holidays.country_holidays("GB", subdiv="ENG", years=[year])


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def calendar_months_after(received_on: dt.date, months: int) -> dt.date:
    """The corresponding date `months` later, or the last day of that month (31 January + 1
    month is 28 or 29 February)."""
    return received_on + relativedelta(months=months)


def statutory_due_date(
    received_on: dt.date, *, months: int = 1, paused_days: int = 0, extension_months: int = 0
) -> dt.date:
    """When a request received on `received_on` must be answered (UK GDPR Articles 12(3), 15,
    16, 18; the complaint policy target too)."""
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"an extension is 0 to {MAX_EXTENSION_MONTHS} months")
    if paused_days < 0 or months < 1:
        raise ValueError("months must be at least 1 and paused days not negative")
    due = calendar_months_after(received_on, months + extension_months)
    return next_working_day(due + dt.timedelta(days=paused_days))


def complaint_acknowledgement_due(received_on: dt.date) -> dt.date:
    """DPA 2018 s164A: acknowledge within 30 days, counted from the day after receipt."""
    return received_on + dt.timedelta(days=COMPLAINT_ACKNOWLEDGEMENT_DAYS)


def extension_allowed(
    received_on: dt.date, paused_days: int, extended_months: int, months: int, today: dt.date
) -> bool:
    """May a request now be extended to `months` in all? Longer than any extension so far,
    two months at most, and decided within the first month, so that the person is told why
    in time (DESIGN.md "Deadlines")."""
    return extended_months < months <= MAX_EXTENSION_MONTHS and today <= extension_notice_due(
        received_on, paused_days
    )


def extension_notice_due(received_on: dt.date, paused_days: int = 0) -> dt.date:
    """An extension must be explained to the person within the first month."""
    return statutory_due_date(received_on, paused_days=paused_days)
