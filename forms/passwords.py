"""Forgotten passwords: asking for a link, then choosing a new password."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired

from forms.base import BaseForm
from forms.fields import SubmitButton, email_field
from forms.validators import AcceptablePassword
from portal.i18n import lazy_gettext as _l


class ResetRequestForm(BaseForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"), widget=SubmitButton())


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        description=_l("Use 8 characters or more."),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter a new password")), AcceptablePassword()],
    )
    submit = SubmitField(_l("Save new password"), widget=SubmitButton())
