"""Changing one's own phone number, email address or postal address, and confirming one's
password first."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton, current_password_field, email_field
from forms.validators import UkPhoneNumber
from portal.i18n import lazy_gettext as _l
from portal.identifiers import normalise_postcode


def _line(label: Any, required: Any = None, autocomplete: str = "") -> StringField:
    validators: list[Any] = [
        Length(max=200, message=_l("Address lines must be 200 characters or fewer"))
    ]
    if required is not None:
        validators.insert(0, DataRequired(message=required))
    return StringField(
        label,
        widget=GovTextInput(),
        validators=validators,
        render_kw={"autocomplete": autocomplete} if autocomplete else None,
    )


class PhoneForm(BaseForm):
    value = StringField(
        _l("Phone number"),
        description=_l("For example, 07700 900 982"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a phone number")),
            Length(max=30, message=_l("Phone number must be 30 characters or fewer")),
            UkPhoneNumber(),
        ],
    )
    submit = SubmitField(_l("Save"), widget=SubmitButton())


class EmailForm(BaseForm):
    value = email_field(check_format=True)
    submit = SubmitField(_l("Save"), widget=SubmitButton())


class AddressForm(BaseForm):
    line_1 = _line(
        _l("Address line 1"), _l("Enter address line 1, typically the building and street")
    )
    line_2 = _line(_l("Address line 2 (optional)"))
    town = _line(_l("Town or city"), _l("Enter town or city"))
    postcode = StringField(
        _l("Postcode"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter postcode")),
            Length(max=10, message=_l("Postcode must be 10 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Save"), widget=SubmitButton())

    def validate_postcode(self, field: Any) -> None:
        if normalise_postcode(field.data or "") is None:
            raise ValidationError(_l("Enter a real postcode"))


class ConfirmPasswordForm(BaseForm):
    password = current_password_field()
    submit = SubmitField(_l("Continue"), widget=SubmitButton())
