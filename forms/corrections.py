"""Asking for a correction, and a statement after a refusal."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton, long_text_field
from portal.i18n import lazy_gettext as _l


class CorrectionForm(BaseForm):
    submission_key = HiddenField(validators=[DataRequired(), Length(min=20, max=64)])
    what_is_wrong = long_text_field(
        _l("What is wrong?"),
        _l("For example, the language is wrong or the information is out of date"),
        _l("Enter what is wrong"),
        _l("What is wrong must be 2,000 characters or fewer"),
    )
    should_say = long_text_field(
        _l("What should it say?"),
        _l("If it should be removed, say so"),
        _l("Enter what it should say"),
        _l("What it should say must be 2,000 characters or fewer"),
    )
    why = long_text_field(
        _l("How do you know?"),
        _l("Tell us anything that helps us check, such as a letter from the school or GP"),
        _l("Enter how you know"),
        _l("How you know must be 2,000 characters or fewer"),
    )
    evidence = FileField(
        _l("Upload evidence (optional)"),
        description=_l("A PDF, JPG or PNG smaller than 10MB, such as a letter or a photo"),
        widget=GovFileInput(),
    )
    submit = SubmitField(_l("Send request"), widget=SubmitButton())


class StatementForm(BaseForm):
    text = long_text_field(
        _l("Your statement"),
        _l(
            "We will show it beside the information wherever we show it, and include it in any "
            "copy of your data"
        ),
        _l("Enter your statement"),
        _l("Your statement must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Add statement"), widget=SubmitButton())
