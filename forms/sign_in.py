"""Signing in with an email address and password."""

from __future__ import annotations

from wtforms import SubmitField

from forms.base import BaseForm
from forms.fields import SubmitButton, current_password_field, email_field
from portal.i18n import lazy_gettext as _l


class SignInForm(BaseForm):
    email = email_field()
    password = current_password_field()
    submit = SubmitField(_l("Sign in"), widget=SubmitButton())
