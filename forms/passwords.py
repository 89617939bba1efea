"""Forgotten passwords: asking for a link, then choosing a new password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton
from forms.validators import AcceptablePassword


class ResetRequestForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter your email address")),
            Length(max=320, message=_l("Email address must be 320 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send me a link"), widget=SubmitButton())


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        description=_l("Use 8 characters or more."),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter a new password")), AcceptablePassword()],
    )
    submit = SubmitField(_l("Save new password"), widget=SubmitButton())
