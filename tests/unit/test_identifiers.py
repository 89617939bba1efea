"""Identifier rules from DESIGN.md, and demo identifiers that belong to nobody."""

from __future__ import annotations

import random

import pytest

from portal.demo.synthetic import nhs_number, ni_number, phone_number
from portal.identifiers import (
    format_nhs_number,
    format_ni_number,
    normalise_nhs_number,
    normalise_ni_number,
    normalise_postcode,
)


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919"])
def test_valid_nhs_numbers_are_normalised(value: str) -> None:
    assert normalise_nhs_number(value) == "9434765919"


@pytest.mark.parametrize(
    "value",
    [
        "9434765918",
        "1111111111",
        "0000000000",
        "943476591",
        "94347659190",
        "９４３４７６５９１９",
        "٩٤٣٤٧٦٥٩١٩",
        "abcdefghij",
        "",
    ],
)
def test_invalid_nhs_numbers_are_refused(value: str) -> None:
    assert normalise_nhs_number(value) is None


def test_nhs_number_whose_check_digit_would_be_ten_is_refused() -> None:
    # 999000014's weighted sum leaves a check digit of 10, so no last digit makes it valid.
    assert all(normalise_nhs_number(f"999000014{digit}") is None for digit in range(10))


@pytest.mark.parametrize("value", ["MW 12 34 56 A", "mw123456a", "JT123456D", "OA123456B"])
def test_valid_ni_numbers(value: str) -> None:
    assert normalise_ni_number(value) is not None


@pytest.mark.parametrize(
    "value",
    [
        "DA123456A",
        "AD123456A",
        "FA123456A",
        "QA123456A",
        "AO123456A",
        "BG123456A",
        "GB123456A",
        "NK123456A",
        "KN123456A",
        "TN123456A",
        "NT123456A",
        "ZZ123456A",
        "MW123456E",
        "MW12345A",
        "MW１２３４５６A",
    ],
)
def test_invalid_ni_numbers(value: str) -> None:
    assert normalise_ni_number(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("sy991aa", "SY99 1AA"),
        (" SY99  1AA ", "SY99 1AA"),
        ("tf99 1zz", "TF99 1ZZ"),
        ("EC1A1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised(value: str, expected: str) -> None:
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize("value", ["SY99", "1AA SY99", "SY99 1A", ""])
def test_bad_postcodes_are_refused(value: str) -> None:
    assert normalise_postcode(value) is None


def test_demo_identifiers_come_only_from_ranges_that_belong_to_nobody() -> None:
    rng = random.Random(7)
    for _ in range(500):
        nhs = nhs_number(rng)
        assert nhs.startswith("999") and normalise_nhs_number(nhs) == nhs
        ni = ni_number(rng)
        assert ni.startswith("MW") and normalise_ni_number(ni) == ni
        assert phone_number(rng).startswith("07700 900")


def test_formatting() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_ni_number("MW123456A") == "MW 12 34 56 A"
