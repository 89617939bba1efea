"""Creating an account with the invitation code from the Early Help worker."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import GovDateField, SubmitButton, email_field
from forms.validators import AcceptablePassword
from portal.i18n import lazy_gettext as _l


class CreateAccountForm(BaseForm):
    invitation_code = StringField(
        _l("Invitation code"),
        description=_l("Your Early Help worker gave you this. For example, 7KQ2-M9XD-4HTR"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter your invitation code")),
            Length(max=40, message=_l("Invitation code must be 40 characters or fewer")),
        ],
    )
    date_of_birth = GovDateField(
        _l("Date of birth"),
        description=_l("For example, 27 3 2012"),
        messages={
            "required": _l("Enter your date of birth"),
            "invalid": _l("Date of birth must be a real date, like 27 3 2012"),
        },
    )
    email = email_field(
        description=_l("We will send you a link to check it is yours"), check_format=True
    )
    password = PasswordField(
        _l("Create a password"),
        description=_l(
            "Use 8 characters or more. A few unrelated words make a strong password that is "
            "easy to remember."
        ),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter a password")),
            AcceptablePassword(email_field="email"),
        ],
    )
    submit = SubmitField(_l("Create account"), widget=SubmitButton())
