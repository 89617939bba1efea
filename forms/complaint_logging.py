"""DPO officers logging a complaint that came by post, email or phone."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from forms.base import BaseForm
from forms.fields import GovDateField, SubmitButton, long_text_field
from portal.ages import london_today
from portal.contact_formats import normalise_phone
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import ComplaintCategory, ComplaintChannel, label

STAFF_CHANNELS = (ComplaintChannel.POST, ComplaintChannel.EMAIL, ComplaintChannel.PHONE)
# A letter found late is still logged; a date further back is a typing mistake.
OLDEST_RECEIVED = relativedelta(years=1)
MAX_SCANS = 5
UUID_PATTERN = r"^[0-9a-fA-F-]{32,36}$"


class LogComplaintForm(BaseForm):
    submission_key = HiddenField(validators=[DataRequired(), Length(min=20, max=64)])
    # The person it concerns, chosen on the page before; empty for nobody in particular.
    about = HiddenField(validators=[Optional(), Regexp(UUID_PATTERN)])
    channel = RadioField(
        _l("How did the complaint arrive?"),
        choices=[SelectChoice(channel.value, label(channel)) for channel in STAFF_CHANNELS],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select how the complaint arrived"),
    )
    received_on = GovDateField(
        _l("Date received"),
        description=_l(
            "The day the letter, email or call reached the council, for example 24 12 2026"
        ),
        messages={
            "required": _l("Enter the date the complaint was received"),
            "invalid": _l("Date received must be a real date, like 24 12 2026"),
        },
    )
    complainant_name = StringField(
        _l("Complainant's full name"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter the complainant's full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
        ],
    )
    complainant_email = EmailField(
        _l("Email address (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=320, message=_l("Email address must be 320 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )
    complainant_phone = StringField(
        _l("Phone number (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=30, message=_l("Phone number must be 30 characters or fewer")),
        ],
    )
    complainant_address = TextAreaField(
        _l("Postal address (optional)"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=500, message=_l("Postal address must be 500 characters or fewer")),
        ],
    )
    language = RadioField(
        _l("Language for our letters and emails"),
        choices=[SelectChoice("en", _l("English")), SelectChoice("cy", _l("Welsh"))],
        default="en",
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select the language for our letters and emails"),
    )
    category = RadioField(
        _l("What is the complaint about?"),
        choices=[SelectChoice(category.value, label(category)) for category in ComplaintCategory],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select what the complaint is about"),
    )
    what_happened = long_text_field(
        _l("What happened"),
        _l("In the complainant's words, or a summary of their letter, email or call"),
        _l("Enter what happened"),
        _l("What happened must be 2,000 characters or fewer"),
    )
    desired_outcome = long_text_field(
        _l("What they want the council to do"),
        _l("If they did not say, write that they did not say"),
        _l("Enter what they want the council to do"),
        _l("What they want the council to do must be 2,000 characters or fewer"),
    )
    scans = MultipleFileField(
        _l("Scans and copies (optional)"),
        description=_l(
            "The letter, the email saved as a PDF, or notes of the call: up to 5 PDF, JPG or "
            "PNG files, smaller than 10MB together"
        ),
        widget=GovFileInput(multiple=True),
    )
    submit = SubmitField(_l("Log complaint"), widget=SubmitButton())

    def validate_received_on(self, field: GovDateField) -> None:
        today = london_today()
        if field.data is not None and field.data > today:
            raise ValidationError(_l("Date received must be today or in the past"))
        if field.data is not None and field.data < today - OLDEST_RECEIVED:
            raise ValidationError(_l("Date received must be within the last year"))

    def validate_complainant_phone(self, field: StringField) -> None:
        typed = field.data or ""
        if any(character.isdigit() and not character.isascii() for character in typed):
            raise ValidationError(_l("Enter the phone number using the digits 0 to 9"))
        if normalise_phone(typed) is None:
            raise ValidationError(
                _l("Enter a phone number, like 07700 900 982 or +44 7700 900 982")
            )

    def validate_scans(self, field: MultipleFileField) -> None:
        if len([upload for upload in field.data or [] if upload.filename]) > MAX_SCANS:
            raise ValidationError(_l("Select up to 5 files"))

    def validate(self, extra_validators: Any = None) -> bool:
        """At least one way to reply, and the address an emailed complaint came from."""
        valid = super().validate(extra_validators)
        email = self.complainant_email
        if email.errors:
            return False
        if self.channel.data == ComplaintChannel.EMAIL.value and not email.data:
            self.refuse(email, _l("Enter the email address the complaint came from"))
            return False
        contact = (email.data, self.complainant_phone.data, self.complainant_address.data)
        if not any(contact) and not self.complainant_phone.errors:
            self.refuse(email, _l("Enter an email address, phone number or postal address"))
            return False
        return valid
