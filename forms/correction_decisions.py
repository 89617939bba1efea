"""DPO officers working the corrections queue: filtering it, and deciding a request."""

from __future__ import annotations

import datetime as dt

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SearchField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from forms.base import BaseForm
from forms.fields import GovDateField, SubmitButton, long_text_field
from portal.ages import london_today
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import CorrectionStatus, RefusalReason, Source, label

EARLIEST_BIRTH = dt.date(1900, 1, 1)


class QueueFilterForm(BaseForm):
    """A GET form: the view passes request.args and turns CSRF off."""

    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("open", _l("Open")),
            SelectChoice(CorrectionStatus.ACCEPTED.value, _l("Accepted")),
            SelectChoice(CorrectionStatus.REFUSED.value, _l("Refused")),
        ],
        default="open",
        widget=GovSelect(),
        invalid_choice_message=_l("Select a status from the list"),
    )
    source = SelectField(
        _l("Source"),
        choices=[
            SelectChoice("", _l("Any source")),
            *(SelectChoice(source.value, label(source)) for source in Source),
        ],
        default="",
        widget=GovSelect(),
        invalid_choice_message=_l("Select a source from the list"),
    )
    person = SearchField(
        _l("Person's name"),
        widget=GovTextInput(),
        validators=[Length(max=100, message=_l("Person's name must be 100 characters or fewer"))],
    )
    overdue = BooleanField(_l("Overdue only"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Apply filters"), widget=SubmitButton())


class AcceptForm(BaseForm):
    # Field names differ between the decision forms: they share one page, and ids are names.
    accept_text = long_text_field(
        _l("Tell the family what you have corrected"),
        _l("The family will see this"),
        _l("Enter what you will tell the family"),
        _l("The decision must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Accept and correct"), widget=SubmitButton())


class AcceptNameForm(AcceptForm):
    """Accepting a request about a name: the officer types the name as they checked it."""

    given_name = StringField(
        _l("Given name or names"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter the given name")),
            Length(max=100, message=_l("Given name must be 100 characters or fewer")),
        ],
    )
    family_name = StringField(
        _l("Family name"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter the family name")),
            Length(max=100, message=_l("Family name must be 100 characters or fewer")),
        ],
    )


class AcceptDateOfBirthForm(AcceptForm):
    """Accepting a request about a date of birth: the date as the officer checked it."""

    date_of_birth = GovDateField(
        _l("Date of birth"),
        description=_l("For example, 27 3 2012"),
        messages={
            "required": _l("Enter the date of birth"),
            "invalid": _l("Date of birth must be a real date, like 27 3 2012"),
        },
    )

    def validate_date_of_birth(self, field: GovDateField) -> None:
        if field.data is not None and not EARLIEST_BIRTH <= field.data <= london_today():
            raise ValidationError(_l("Date of birth must be in the past"))


class RefuseForm(BaseForm):
    refusal_reason = RadioField(
        _l("Why are you refusing?"),
        choices=[SelectChoice(reason.value, label(reason)) for reason in RefusalReason],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select why you are refusing"),
    )
    refusal_text = long_text_field(
        _l("Explain the decision to the family"),
        _l("The family will see this, with how to add a statement and how to complain"),
        _l("Enter the reasons to tell the family"),
        _l("The reasons must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Refuse the correction"), widget=SubmitButton())


class ExtendForm(BaseForm):
    months = RadioField(
        _l("How much longer do you need?"),
        description=_l("Counted from the day the request was received, up to 2 months in all"),
        choices=[
            SelectChoice("1", _l("1 more month")),
            SelectChoice("2", _l("2 more months")),
        ],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select how much longer you need"),
    )
    extension_reason = long_text_field(
        _l("Why do you need more time?"),
        _l("The family will see this"),
        _l("Enter why you need more time"),
        _l("The reason must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Extend the deadline"), widget=SubmitButton())
