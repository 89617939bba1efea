"""What every form shares: whitespace stripped (except from passwords), translated messages,
hostile characters and repeated fields refused, and a refused POST remembered so that the
page shown again answers 400 (portal/web/errors.py reads the mark)."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)

from portal.i18n import lazy_gettext as _l
from portal.plain_text import TextProblem, text_problem

PROBLEM_MESSAGES = {
    TextProblem.CONTROL: _l("Remove the hidden control characters from your answer"),
    TextProblem.DIRECTION: _l("Remove the hidden characters that change the direction of text"),
    TextProblem.UNREADABLE: _l("Your answer has a character we could not read: type it again"),
}
REPEATED = _l("Give one answer to this question")
# Fields that take exactly one value; checkboxes and dates (day, month, year) take several.
_SINGLE_VALUE = (StringField, RadioField, SelectField, IntegerField, BooleanField)


def strip_whitespace(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def refused_in_this_request() -> bool:
    """True once a form has refused a POST in this request (the re-shown page answers 400)."""
    return bool(has_request_context() and g.get("form_refused"))


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", []))
            if not issubclass(unbound_field.field_class, PasswordField):
                filters.insert(0, strip_whitespace)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own rules, then the rules every answer obeys, whose message replaces
        any other for that field: a NUL byte is the problem, not "enter a real postcode"."""
        valid = super().validate(extra_validators)
        hostile = {field: problem for field in self if (problem := _hostile(field)) is not None}
        for field, problem in hostile.items():
            field.errors = [problem]
        if valid and not hostile:
            return True
        self.mark_refused()
        return False

    def refuse(self, field: Field, message: Any) -> None:
        """A view's own refusal (a wrong password, a code already taken): shown on the field,
        and the page answers 400 like any other refused form."""
        field.errors = [message]
        self.mark_refused()

    @staticmethod
    def mark_refused() -> None:
        if has_request_context() and request.method == "POST":
            g.form_refused = True


def _hostile(field: Field) -> Any:
    """The message for a repeated field or a value with characters no answer may carry."""
    raw = [value for value in field.raw_data or () if isinstance(value, str)]
    single = isinstance(field, _SINGLE_VALUE) and not isinstance(field, SelectMultipleField)
    if single and len(field.raw_data or ()) > 1:
        return REPEATED
    problems = [problem for value in raw if (problem := text_problem(value)) is not None]
    return PROBLEM_MESSAGES[problems[0]] if problems else None
