"""UK phone numbers (phonenumbers) and postal addresses, as the portal stores and shows them."""

from __future__ import annotations

import phonenumbers

from portal.identifiers import normalise_postcode


def normalise_phone(typed: str) -> str | None:
    """A valid UK (or international, with +) number in national format, or None. ASCII digits
    only: other scripts' digits are refused, not converted."""
    if not typed.isascii():
        return None
    try:
        number = phonenumbers.parse(typed, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not (phonenumbers.is_valid_number(number) or _drama_number(number)):
        return None
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def _drama_number(number: phonenumbers.PhoneNumber) -> bool:
    """Ofcom keeps 07700 900000 to 900999 for fiction: never anyone's, so demo and test data
    can use them. phonenumbers calls them invalid because nobody can be given one."""
    national = number.national_number or 0
    return number.country_code == 44 and 7700900000 <= national <= 7700900999


def postal_address(line_1: str, line_2: str, town: str, postcode: str) -> str | None:
    """One line, as the record keeps addresses: "14 Alder Close, Shrewsbury, SY99 1AA"."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    return ", ".join(part for part in (line_1, line_2, town, normalised) if part)
