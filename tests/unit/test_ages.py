"""Age on the council's calendar: Europe/London dates, 29 February birthdays on 1 March."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.ages import age_on, london_today


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2013, 11, 25), dt.date(2026, 11, 24), 12),
        (dt.date(2013, 11, 25), dt.date(2026, 11, 25), 13),
        (dt.date(2013, 11, 25), dt.date(2026, 11, 26), 13),
        (dt.date(2012, 2, 29), dt.date(2025, 2, 28), 12),
        (dt.date(2012, 2, 29), dt.date(2025, 3, 1), 13),
        (dt.date(2012, 2, 29), dt.date(2024, 2, 29), 12),
        (dt.date(2012, 2, 29), dt.date(2028, 2, 29), 16),
        (dt.date(2012, 2, 29), dt.date(2028, 2, 28), 15),
    ],
)
def test_age_on(born: dt.date, on: dt.date, age: int) -> None:
    assert age_on(born, on) == age


def test_half_past_midnight_british_summer_time_is_already_tomorrow() -> None:
    moment = dt.datetime(2026, 6, 14, 23, 30, tzinfo=dt.UTC)  # 00:30 BST on 15 June
    assert london_today(moment) == dt.date(2026, 6, 15)
    assert age_on(dt.date(2013, 6, 15), london_today(moment)) == 13


def test_half_past_midnight_in_winter_is_gmt() -> None:
    moment = dt.datetime(2026, 12, 15, 0, 30, tzinfo=dt.UTC)
    assert london_today(moment) == dt.date(2026, 12, 15)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        london_today(dt.datetime(2026, 1, 1, 12, 0))
