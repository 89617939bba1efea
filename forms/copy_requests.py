"""Asking for a copy of one's data (UK GDPR Article 15), and answering our question about it.
The view offers the people the family member may choose; the form only checks the answer is
one it was offered. Whether they may ask for that person is the service's rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import MAX_TEXT, GovDateField, SubmitButton
from portal.ages import london_today
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import Category, CopyDelivery, label

EVERYTHING = "everything"
PARTICULAR = "particular"


class CopyRequestForm(BaseForm):
    person = RadioField(
        _l("Whose data do you want a copy of?"),
        choices=[],
        invalid_choice_message=_l("Select whose data you want a copy of"),
        widget=GovRadioInput(),
    )
    scope = RadioField(
        _l("What do you want a copy of?"),
        choices=[
            SelectChoice(EVERYTHING, _l("Everything we hold")),
            SelectChoice(PARTICULAR, _l("Only some kinds of information")),
        ],
        invalid_choice_message=_l(
            "Select whether you want everything or only some kinds of information"
        ),
        widget=GovRadioInput(),
    )
    categories = SelectMultipleField(
        _l("Which kinds of information?"),
        description=_l("Select all that apply"),
        choices=[SelectChoice(category.value, label(category)) for category in Category],
        invalid_choice_message=_l("Select kinds of information from the list"),
        widget=GovCheckboxesInput(),
    )
    date_from = GovDateField(
        _l("Start date"),
        description=_l("For example, 1 4 2024"),
        optional=True,
        messages={"invalid": _l("The start date must be a real date, like 1 4 2024")},
    )
    date_to = GovDateField(
        _l("End date"),
        description=_l("For example, 31 3 2025"),
        optional=True,
        messages={"invalid": _l("The end date must be a real date, like 31 3 2025")},
    )
    delivery = RadioField(
        _l("How do you want to get your copy?"),
        choices=[SelectChoice(way.value, label(way)) for way in CopyDelivery],
        invalid_choice_message=_l("Select how you want to get your copy"),
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())

    def offer(self, people: Sequence[tuple[str, Any]]) -> None:
        """The people the view may offer: (value, words)."""
        self.person.choices = [SelectChoice(value, words) for value, words in people]

    def chosen_categories(self) -> tuple[Category, ...]:
        """The kinds asked for, in the privacy notice's order; none means everything."""
        if self.scope.data != PARTICULAR:
            return ()
        chosen = set(self.categories.data or ())
        return tuple(category for category in Category if category.value in chosen)

    def validate_categories(self, field: SelectMultipleField) -> None:
        if self.scope.data == PARTICULAR and not field.data:
            raise ValidationError(_l("Select at least one kind of information"))

    def validate_date_from(self, field: GovDateField) -> None:
        if field.data is not None and field.data > london_today():
            raise ValidationError(_l("The start date must be today or in the past"))

    def validate_date_to(self, field: GovDateField) -> None:
        if field.data is not None and field.data > london_today():
            raise ValidationError(_l("The end date must be today or in the past"))
        start = self.date_from.data
        if start is not None and field.data is not None and field.data < start:
            raise ValidationError(_l("The end date must be the same as or after the start date"))


class SendForm(BaseForm):
    """The check page's button: the draft's one-time key, so a second click sends nothing."""

    submission_key = HiddenField(validators=[DataRequired(), Length(min=20, max=64)])
    submit = SubmitField(_l("Send request"), widget=SubmitButton())


def without_nul(value: Any) -> Any:
    """PostgreSQL cannot store a NUL character in text, and no one means to type one."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class AnswerForm(BaseForm):
    answer = TextAreaField(
        _l("Your answer"),
        description=_l(
            "The time we have to prepare your copy starts again when you send your answer"
        ),
        widget=GovCharacterCount(),
        filters=[without_nul],
        validators=[
            DataRequired(message=_l("Enter your answer")),
            Length(max=MAX_TEXT, message=_l("Your answer must be 2,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send answer"), widget=SubmitButton())
