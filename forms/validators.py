"""Validators shared by the journeys."""

from __future__ import annotations

from typing import Any

from wtforms.validators import StopValidation

from portal.contact_formats import normalise_phone
from portal.i18n import lazy_gettext as _l
from portal.password_policy import password_problem


class AcceptablePassword:
    """The password policy (portal.password_policy), checked against the form's email if any."""

    def __init__(self, email_field: str | None = None) -> None:
        self.email_field = email_field

    def __call__(self, form: Any, field: Any) -> None:
        email = getattr(form, self.email_field).data or "" if self.email_field else ""
        problem = password_problem(field.data or "", email)
        if problem is not None:
            raise StopValidation(str(problem))


class UkPhoneNumber:
    """A phone number we can ring: UK, or international with +. Digits from another script
    (٠٧٧٠٠, ０７７００) are refused, not converted: the message says why."""

    def __call__(self, form: Any, field: Any) -> None:
        typed = field.data or ""
        if any(character.isdigit() and not character.isascii() for character in typed):
            raise StopValidation(_l("Enter the phone number using the digits 0 to 9"))
        if normalise_phone(typed) is None:
            raise StopValidation(_l("Enter a phone number, like 07700 900 982 or +44 7700 900 982"))
