"""The one deadline function, on the cases the ICO guidance and our issues name."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.deadlines import (
    complaint_acknowledgement_due,
    is_working_day,
    next_working_day,
    statutory_due_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (D(2026, 11, 3), D(2026, 12, 3), "the corresponding date, a Thursday"),
        (D(2027, 1, 31), D(2027, 3, 1), "28 February 2027 is a Sunday: the next working day"),
        (D(2026, 1, 31), D(2026, 3, 2), "no 31 February: the last day, a Saturday, so Monday"),
        (D(2028, 1, 30), D(2028, 2, 29), "30 January in a leap year: 29 February, a Tuesday"),
        (D(2028, 1, 31), D(2028, 2, 29), "31 January in a leap year: the last day, 29 February"),
        (D(2026, 10, 2), D(2026, 11, 2), "a Friday receipt, due on the Monday date itself"),
        (D(2028, 2, 4), D(2028, 3, 6), "a Friday receipt due on a Saturday: the Monday"),
        (D(2026, 9, 4), D(2026, 10, 5), "a Friday receipt due Sunday 4 October: Monday"),
        (D(2026, 11, 25), D(2026, 12, 29), "Christmas Day, then Boxing Day observed: the 29th"),
        (D(2026, 11, 26), D(2026, 12, 29), "26 December falls on a Saturday: the next working day"),
        (D(2027, 2, 28), D(2027, 3, 30), "28 March 2027 is a Sunday, 29th Easter Monday"),
    ],
)
def test_one_calendar_month(received: dt.date, due: dt.date, why: str) -> None:
    assert statutory_due_date(received) == due, why


def test_the_last_day_of_february_when_it_is_a_working_day() -> None:
    # 31 January 2025 -> 28 February 2025, a Friday.
    assert statutory_due_date(D(2025, 1, 31)) == D(2025, 2, 28)


def test_boxing_day_on_a_weekday_is_not_a_working_day() -> None:
    # 26 November 2025 -> 26 December 2025, a Friday and Boxing Day: Monday 29th.
    assert statutory_due_date(D(2025, 11, 26)) == D(2025, 12, 29)


def test_easter_monday() -> None:
    # 6 March 2026 -> 6 April 2026, Easter Monday: Tuesday 7th.
    assert statutory_due_date(D(2026, 3, 6)) == D(2026, 4, 7)


def test_paused_days_over_a_month_end_are_added() -> None:
    # Received 20 January 2026, paused 12 days (28 January to 8 February): 20 February + 12.
    assert statutory_due_date(D(2026, 1, 20), paused_days=12) == D(2026, 3, 4)


def test_an_extension_adds_two_more_months() -> None:
    assert statutory_due_date(D(2026, 11, 3), extension_months=2) == D(2027, 2, 3)
    with pytest.raises(ValueError, match="0 to 2 months"):
        statutory_due_date(D(2026, 11, 3), extension_months=3)


def test_complaint_acknowledged_within_30_days_from_the_day_after_receipt() -> None:
    assert complaint_acknowledgement_due(D(2026, 6, 19)) == D(2026, 7, 19)


def test_working_days() -> None:
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day observed
    assert is_working_day(D(2026, 12, 29))
    assert next_working_day(D(2026, 12, 24)) == D(2026, 12, 24)
