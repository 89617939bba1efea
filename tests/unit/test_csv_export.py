"""Spreadsheet formulas in CSV downloads are neutralised (OWASP ASVS 5.0 1.2.10)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.csv_export import FORMULA_STARTS, csv_text, neutralise


@pytest.mark.parametrize(
    "dangerous",
    ["=1+1", "+44 7700 900123", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", '=HYPERLINK("x")'],
)
def test_a_cell_that_starts_like_a_formula_is_text(dangerous: str) -> None:
    assert neutralise(dangerous) == "'" + dangerous


@pytest.mark.parametrize("safe", ["Schools and colleges", "2026-11-25", "a=b", "", "Ŵyn Ŷr"])
def test_other_cells_are_unchanged(safe: str) -> None:
    assert neutralise(safe) == safe


def test_the_file_has_a_byte_order_mark_and_quotes_what_needs_it() -> None:
    text = csv_text(["Name", "Note"], [["Rivers, Sam", '=say "hi"']])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["Name", "Note"], ["Rivers, Sam", '\'=say "hi"']]


@given(st.lists(st.text(st.one_of(st.characters(), st.sampled_from('=+-@\t\r\n",')))))
def test_no_cell_of_any_text_reaches_a_spreadsheet_as_a_formula(cells: list[str]) -> None:
    read = list(csv.reader(io.StringIO(csv_text(["h"], [cells]).lstrip("\ufeff"), newline="")))[1:]
    for cell in read[0] if read else []:
        assert not cell.startswith(FORMULA_STARTS)
    assert (read[0] if read else []) == [neutralise(cell) for cell in cells]
