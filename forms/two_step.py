"""The second step of signing in, and turning it on or off."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l


class CodeForm(BaseForm):
    code = StringField(
        _l("Security code"),
        description=_l(
            "The 6-digit code from your authenticator app, or one of your recovery codes"
        ),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter the security code")),
            Length(max=20, message=_l("Security code must be 20 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=SubmitButton())
