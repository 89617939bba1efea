"""UK phone numbers (phonenumbers) and postal addresses, as the portal stores and shows them."""

from __future__ import annotations

import re

import phonenumbers

from portal.identifiers import normalise_postcode

# ASCII digits, a leading +, and the spaces, brackets, hyphens and dots people type between
# them. Other scripts' digits are refused rather than converted, and letters are refused
# rather than read off a keypad: phonenumbers alone would take "07700 900ABC" as 07700 900222.
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ().-]+")
_TAKES_TEXT_MESSAGES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def normalise_phone(typed: str) -> str | None:
    """A valid UK (or international, with +) number in national format, or None."""
    number = _phone_number(typed)
    if number is None:
        return None
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def text_message_number(stored: str) -> str | None:
    """The number in E.164 (+447700900982) if it is a mobile, or None. A landline gets no
    text: GOV.UK Notify refuses it, and the outbox would retry the refusal for ever."""
    number = _phone_number(stored)
    if number is None:
        return None
    if not (_drama_number(number) or phonenumbers.number_type(number) in _TAKES_TEXT_MESSAGES):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_number(typed: str) -> phonenumbers.PhoneNumber | None:
    if not _PHONE_CHARACTERS.fullmatch(typed.strip()):
        return None
    try:
        number = phonenumbers.parse(typed, "GB")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) or _drama_number(number) else None


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
