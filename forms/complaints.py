"""Making a complaint to the Data Protection Officer: one form a page. The view offers the
people the complainant may name; a form only checks that the answer is one it was offered."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forms.base import BaseForm
from forms.fields import SubmitButton, email_field, long_text_field
from forms.validators import UkPhoneNumber
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import ComplaintCategory, label

# The answer for a complaint about no one person in particular.
NOT_ONE_PERSON = "none"


class CategoryForm(BaseForm):
    category = RadioField(
        _l("What is your complaint about?"),
        choices=[SelectChoice(category.value, label(category)) for category in ComplaintCategory],
        invalid_choice_message=_l("Select what your complaint is about"),
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())


class PersonForm(BaseForm):
    about = RadioField(
        _l("Who is your complaint about?"),
        choices=[],
        invalid_choice_message=_l("Select who your complaint is about"),
        widget=GovRadioInput(),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())

    def offer(self, people: Sequence[tuple[str, Any]]) -> None:
        """The people the view may offer (value, words), then "not about one person"."""
        offered = [SelectChoice(value, words) for value, words in people]
        self.about.choices = [*offered, SelectChoice(NOT_ONE_PERSON, _l("Not about one person"))]


class WhatHappenedForm(BaseForm):
    what_happened = long_text_field(
        _l("What happened?"),
        _l("Tell us what went wrong, when, and who was involved if you know"),
        _l("Enter what happened"),
        _l("What happened must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())


class DesiredOutcomeForm(BaseForm):
    desired_outcome = long_text_field(
        _l("What would you like us to do?"),
        _l("For example, correct or delete information, apologise, or change how we work"),
        _l("Enter what you would like us to do"),
        _l("What you would like us to do must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())


def evidence_field(words: Any = None) -> Any:
    """One or more files, each checked by portal/uploads.py when it arrives."""
    return MultipleFileField(
        words or _l("Upload evidence (optional)"),
        description=_l(
            "PDF, JPG or PNG files smaller than 10MB each, such as a letter or a photo. "
            "You can choose more than one."
        ),
        widget=GovFileInput(multiple=True),
    )


class EvidenceForm(BaseForm):
    evidence = evidence_field()
    submit = SubmitField(_l("Continue"), widget=SubmitButton())


class RemoveFileForm(BaseForm):
    file = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Remove"), widget=SubmitButton())


class DetailsForm(BaseForm):
    """Someone without an account: who they are and how we reply."""

    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter your full name")),
            Length(max=200, message=_l("Full name must be 200 characters or fewer")),
        ],
        render_kw={"autocomplete": "name", "spellcheck": "false"},
    )
    email = email_field(
        description=_l("We will email you a link to follow your complaint and reply to us"),
        check_format=True,
    )
    phone = StringField(
        _l("Phone number (optional)"),
        description=_l("For example, 07700 900 982"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=30, message=_l("Phone number must be 30 characters or fewer")),
            UkPhoneNumber(),
        ],
        render_kw={"autocomplete": "tel"},
    )
    address = TextAreaField(
        _l("Postal address (optional)"),
        description=_l("If you would like us to write to you by post as well"),
        widget=GovTextArea(),
        validators=[
            Length(max=500, message=_l("Postal address must be 500 characters or fewer")),
        ],
        render_kw={"autocomplete": "street-address", "rows": 4},
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())


class SendForm(BaseForm):
    submission_key = HiddenField(validators=[DataRequired(), Length(min=20, max=64)])
    submit = SubmitField(_l("Send complaint"), widget=SubmitButton())
