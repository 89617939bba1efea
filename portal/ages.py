"""How old someone is, on the council's calendar (Europe/London)."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

AGE_OF_DIGITAL_CONSENT = 13
ADULTHOOD = 18


def london_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in England and Wales: at 00:30 BST it is already tomorrow."""
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ValueError("london_today needs a timezone-aware moment")
    return moment.astimezone(LONDON).date()


def birthday_in(year: int, date_of_birth: dt.date) -> dt.date:
    """The day someone's birthday falls in `year`: 29 February is 1 March in other years."""
    if date_of_birth.month == 2 and date_of_birth.day == 29 and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return date_of_birth.replace(year=year)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years of age on the date `on`."""
    years = on.year - date_of_birth.year
    if on < birthday_in(on.year, date_of_birth):
        years -= 1
    return years
