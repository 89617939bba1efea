"""Validators shared by the journeys."""

from __future__ import annotations

from typing import Any

from wtforms.validators import StopValidation

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
