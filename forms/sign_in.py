"""Signing in with an email address and password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton, email_field


class SignInForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter your password")),
            Length(max=1000, message=_l("Password must be 1,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Sign in"), widget=SubmitButton())
