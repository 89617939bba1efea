"""Property tests of the identifier rules (DESIGN.md "Identifiers"): numbers built from the
rules are accepted and normalised idempotently; a wrong check digit, a refused prefix, a
repeated-digit NHS number or another script's digits is refused; and no text at all makes a
normaliser raise."""

from __future__ import annotations

import string

from hypothesis import assume, given
from hypothesis import strategies as st

from portal.contact_formats import normalise_phone, text_message_number
from portal.identifiers import (
    nhs_check_digit,
    normalise_nhs_number,
    normalise_ni_number,
    normalise_postcode,
)

NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NI_REFUSED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
# Digits from other scripts that people type: Arabic-Indic, Extended Arabic-Indic,
# Devanagari, Bengali and full-width.
FOREIGN_DIGITS = st.sampled_from("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९০১২৩৪৫৬৭৮৯０１２３４５６７８９")
ASCII_DIGITS = st.text(string.digits, min_size=1, max_size=1)

# Anything at all, including NUL, lone surrogates and bidirectional overrides.
ANY_TEXT = st.text(
    st.one_of(
        st.characters(codec=None),
        st.sampled_from("\x00\ud800\udfff\u202e\u2066\ufffd٣３"),
    ),
    max_size=40,
)


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    first_nine = draw(st.text(string.digits, min_size=9, max_size=9))
    check = nhs_check_digit(first_nine)
    assume(check is not None and len(set(first_nine + str(check))) > 1)
    return first_nine + str(check)


@st.composite
def ni_numbers(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(NI_FIRST)) + draw(st.sampled_from(NI_SECOND))
    assume(prefix not in NI_REFUSED)
    digits = draw(st.text(string.digits, min_size=6, max_size=6))
    return prefix + digits + draw(st.sampled_from("ABCD"))


@st.composite
def postcodes(draw: st.DrawFn) -> tuple[str, str]:
    """A postcode as typed (any case, any spacing) and as it should be stored."""
    letters = st.sampled_from(string.ascii_uppercase)
    outward = "".join(draw(st.lists(letters, min_size=1, max_size=2)))
    outward += draw(ASCII_DIGITS) + draw(st.sampled_from(["", *string.digits, *"ABCDEFGH"]))
    inward = draw(ASCII_DIGITS) + draw(letters) + draw(letters)
    typed = draw(st.sampled_from(["", " ", "  "])).join([outward, inward])
    typed = "".join(c.lower() if draw(st.booleans()) else c for c in typed)
    return typed, f"{outward} {inward}"


def spaced(value: str, draw: st.DrawFn) -> str:
    return "".join(c + draw(st.sampled_from(["", " ", "-"])) for c in value)


@given(st.data(), nhs_numbers())
def test_nhs_numbers_built_from_the_rules_are_accepted_idempotently(data, number) -> None:
    typed = spaced(number, data.draw)
    assert normalise_nhs_number(typed) == number
    assert normalise_nhs_number(number) == number


@given(nhs_numbers(), st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(number: str, shift: int) -> None:
    wrong = number[:9] + str((int(number[9]) + shift) % 10)
    assert normalise_nhs_number(wrong) is None


@given(ASCII_DIGITS)
def test_repeated_digit_nhs_numbers_are_refused(digit: str) -> None:
    assert normalise_nhs_number(digit * 10) is None


@given(nhs_numbers(), st.integers(0, 9), FOREIGN_DIGITS)
def test_digits_from_other_scripts_are_refused_not_converted(number, at, foreign) -> None:
    assert normalise_nhs_number(number[:at] + foreign + number[at + 1 :]) is None
    assert normalise_phone("07700 90098" + foreign) is None


@given(st.data(), ni_numbers())
def test_ni_numbers_built_from_the_rules_are_accepted_idempotently(data, number) -> None:
    typed = spaced(number, data.draw)
    typed = typed.lower() if data.draw(st.booleans()) else typed
    assert normalise_ni_number(typed) == number
    assert normalise_ni_number(number) == number


@given(ni_numbers(), st.sampled_from(sorted(NI_REFUSED)), st.sampled_from("DFIQUV"))
def test_refused_ni_prefixes_and_letters(number: str, refused: str, letter: str) -> None:
    assert normalise_ni_number(refused + number[2:]) is None
    assert normalise_ni_number(letter + number[1:]) is None
    assert normalise_ni_number(number[0] + letter + number[2:]) is None
    assert normalise_ni_number(number[0] + "O" + number[2:]) is None
    assert normalise_ni_number(number[:8] + "E") is None


@given(postcodes())
def test_postcodes_are_lenient_about_case_and_spaces_and_stored_normalised(case) -> None:
    typed, stored = case
    assert normalise_postcode(typed) == stored
    assert normalise_postcode(stored) == stored


@given(st.integers(0, 999), st.sampled_from(["07700 900{:03d}", "+44 7700 900{:03d}"]))
def test_phone_numbers_are_normalised_idempotently(last: int, shape: str) -> None:
    stored = normalise_phone(shape.format(last))
    assert stored == f"07700 900{last:03d}"
    assert normalise_phone(stored) == stored
    assert text_message_number(stored) == f"+447700900{last:03d}"


@given(ANY_TEXT)
def test_no_text_makes_a_normaliser_raise(text: str) -> None:
    for normalise in (
        normalise_nhs_number,
        normalise_ni_number,
        normalise_postcode,
        normalise_phone,
        text_message_number,
    ):
        result = normalise(text)
        assert result is None or result.isascii()
